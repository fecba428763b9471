import { kubernautStack } from "@e2e-infra/kubernaut";
import { join } from "node:path";

// gateway-e2e at the repository's HEAD: the suite's kind cluster, and the repository's own chart
// with DataStorage and the Gateway under test, the CRDs and the seeded ActionTypes
// (reference: SetupGatewayInfrastructureParallel).
export = () => {
  const stack = kubernautStack(join(__dirname, ".."), {
    kindConfig: "test/infrastructure/kind-gateway-config.yaml",
    // The suite runs from the repository's root: its kind config's ./coverdata is there.
    workingDir: ".",
    // The stack's host port keys, each with the node port the suite's kind config maps to it.
    ports: {
      gatewayHostPort: { nodePort: 30080, service: "gateway" },
      gatewayHealthHostPort: { nodePort: 30180, service: "gateway", port: "health" },
      gatewayMetricsHostPort: { nodePort: 30090, service: "gateway", port: "metrics" },
      dataStorageHostPort: { nodePort: 30081, service: "datastorage" },
      dataStorageHealthHostPort: { nodePort: 30281, service: "datastorage", port: "health" },
      // A second Gateway and DataStorage the suite's resilience tests deploy themselves.
      resilienceGatewayHostPort: 30185,
      resilienceGatewayHealthHostPort: 30183,
      resilienceDataStorageHostPort: 30082,
    },
    services: { gateway: {} },
    actionTypes: true,
  });
  const release = stack.release();
  return {
    kubeconfigPath: stack.cluster.kubeconfigPath,
    caFile: release.caFile,
    gatewayUrl: stack.url("gatewayHostPort"),
    gatewayHealthUrl: stack.url("gatewayHealthHostPort"),
    gatewayMetricsUrl: stack.url("gatewayMetricsHostPort"),
    dataStorageUrl: stack.url("dataStorageHostPort"),
    dataStorageHealthUrl: stack.url("dataStorageHealthHostPort"),
  };
};
