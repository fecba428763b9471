import { fixtureCheckout } from "@e2e-infra/testing";
import { describeServiceStack } from "@e2e-infra/testing/vitest";
import { join } from "node:path";

// The gateway-e2e stack (the repository's HEAD) under mocks with its own stack file, against a stand-in checkout of the service repository.
describeServiceStack({
  dir: join(__dirname, ".."),
  project: "gateway",
  stack: "gateway-e2e",
  checkout: fixtureCheckout(),
  helm: true, // KubernautRelease renders the checkout's chart with helm
  outputs: {
    kubeconfigPath: "/home/user/.kube/gateway-e2e-config",
    caFile: "stdout of kubernaut-tls-ca-file",
    gatewayUrl: "http://localhost:8080",
    gatewayHealthUrl: "http://localhost:28080",
    gatewayMetricsUrl: "http://localhost:9090",
    dataStorageUrl: "https://localhost:18091",
    dataStorageHealthUrl: "http://localhost:28091",
  },
  collidingPort: ["gatewayHostPort", 18080, "demo-e2e"],
});
