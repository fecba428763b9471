import { fixtureCheckout } from "@e2e-infra/testing";
import { describeServiceStack } from "@e2e-infra/testing/vitest";
import { join } from "node:path";

// The effectivenessmonitor-e2e stack (the repository's HEAD) under mocks with its own stack file, against a stand-in checkout of the service repository.
describeServiceStack({
  dir: join(__dirname, ".."),
  project: "effectivenessmonitor",
  stack: "effectivenessmonitor-e2e",
  checkout: fixtureCheckout(),
  helm: true, // KubernautRelease renders the checkout's chart with helm
  outputs: {
    kubeconfigPath: "/home/user/.kube/em-e2e-config",
    caFile: "stdout of kubernaut-tls-ca-file",
    dataStorageUrl: "https://localhost:8091",
    dataStorageHealthUrl: "http://localhost:30281",
    metricsUrl: "http://localhost:9189",
    prometheusUrl: "http://localhost:9190",
    alertManagerUrl: "http://localhost:9193",
  },
  collidingPort: ["dataStorageHostPort", 18080, "demo-e2e"],
});
