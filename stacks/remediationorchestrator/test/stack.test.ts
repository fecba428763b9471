import { fixtureCheckout } from "@e2e-infra/stack-kit";
import { describeServiceStack } from "@e2e-infra/testing/vitest";
import { join } from "node:path";

// The remediationorchestrator-e2e stack under mocks with its own stack file, against a stand-in checkout of the service repository.
describeServiceStack({
  dir: join(__dirname, ".."),
  project: "remediationorchestrator",
  stack: "remediationorchestrator-e2e",
  checkout: fixtureCheckout(),
  outputs: {
    kubeconfigPath: "stdout of cluster-kubeconfig-file",
    metricsUrl: "http://localhost:9183",
    dataStorageUrl: "http://localhost:18081",
  },
  serviceUnderTest: "remediationorchestrator",
  collidingPort: ["dataStorageHostPort", 8081, "workflowexecution-e2e"],
});
