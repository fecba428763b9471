import { fixtureCheckout } from "@e2e-infra/stack-kit";
import { describeServiceStack } from "@e2e-infra/testing/vitest";
import { join } from "node:path";

// The gateway-e2e stack under mocks with its own stack file, against a stand-in checkout of the service repository.
describeServiceStack({
  dir: join(__dirname, ".."),
  project: "gateway",
  stack: "gateway-e2e",
  checkout: fixtureCheckout(),
  outputs: {
    kubeconfigPath: "stdout of cluster-kubeconfig-file",
    gatewayUrl: "http://localhost:8080",
    gatewayMetricsUrl: "http://localhost:9090",
    dataStorageUrl: "http://localhost:18091",
  },
  serviceUnderTest: "gateway",
  collidingPort: ["gatewayHostPort", 28090, "datastorage-e2e"],
});
