import { fixtureCheckout } from "@e2e-infra/testing";
import { describeServiceStack } from "@e2e-infra/testing/vitest";
import { join } from "node:path";

// The signalprocessing-e2e stack (the repository's HEAD) under mocks with its own stack file, against a stand-in checkout of the service repository.
describeServiceStack({
  dir: join(__dirname, ".."),
  project: "signalprocessing",
  stack: "signalprocessing-e2e",
  checkout: fixtureCheckout(),
  helm: true, // KubernautRelease renders the checkout's chart with helm
  outputs: {
    kubeconfigPath: "/home/user/.kube/signalprocessing-e2e-config",
    caFile: "stdout of kubernaut-tls-ca-file",
    metricsUrl: "http://localhost:9182",
    dataStorageUrl: "https://localhost:30081",
    dataStorageHealthUrl: "http://localhost:30281",
    postgresUrl: "postgresql://slm_user:test_password@localhost:30432/action_history?sslmode=disable",
  },
  collidingPort: ["signalProcessingHostPort", 18080, "demo-e2e"],
});
