import { fixtureCheckout } from "@e2e-infra/stack-kit";
import { describeServiceStack } from "@e2e-infra/testing/vitest";
import { join } from "node:path";

// The signalprocessing-e2e stack under mocks with its own stack file, against a stand-in checkout of the service repository.
describeServiceStack({
  dir: join(__dirname, ".."),
  project: "signalprocessing",
  stack: "signalprocessing-e2e",
  checkout: fixtureCheckout(),
  outputs: {
    kubeconfigPath: "stdout of cluster-kubeconfig-file",
    metricsUrl: "http://localhost:9182",
    dataStorageUrl: "http://localhost:30081",
    postgresUrl: "postgresql://slm_user:test_password@localhost:30432/action_history?sslmode=disable",
  },
  serviceUnderTest: "signalprocessing",
  collidingPort: ["signalProcessingHostPort", 8080, "gateway-e2e"],
});
