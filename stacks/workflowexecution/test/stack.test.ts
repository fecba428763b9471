import { fixtureCheckout } from "@e2e-infra/testing";
import { describeServiceStack } from "@e2e-infra/testing/vitest";
import { join } from "node:path";

// The workflowexecution-e2e stack (the repository's HEAD) under mocks with its own stack file, against a stand-in checkout of the service repository.
describeServiceStack({
  dir: join(__dirname, ".."),
  project: "workflowexecution",
  stack: "workflowexecution-e2e",
  checkout: fixtureCheckout(),
  helm: true, // KubernautRelease renders the checkout's chart with helm
  config: { "workflowexecution:tektonManifest": join(__dirname, "fixtures", "tekton-release.yaml") },
  outputs: {
    kubeconfigPath: "/home/user/.kube/workflowexecution-e2e-config",
    caFile: "stdout of kubernaut-tls-ca-file",
    metricsUrl: "http://localhost:9185",
    dataStorageUrl: "https://localhost:8092",
    dataStorageHealthUrl: "http://localhost:30281",
    workflowIds: "stdout of kubernaut-workflows",
    tektonReady: "tekton-pipelines",
  },
  withoutSchema: ["test-echo-task", "test-fail-task", "test-hello-world", "test-intentional-failure"],
  collidingPort: ["dataStorageHostPort", 18080, "demo-e2e"],
});
