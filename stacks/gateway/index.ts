import { headStack, KubernautRelease } from "@e2e-infra/stack-kit";
import { join } from "node:path";

const KIND_CONFIG = "test/infrastructure/kind-gateway-config.yaml";
// The stack's host port keys by the node port the suite's kind config maps to them.
const NODE_PORTS = {
  gatewayHostPort: 30080,
  gatewayHealthHostPort: 30180,
  gatewayMetricsHostPort: 30090,
  dataStorageHostPort: 30081,
  dataStorageHealthHostPort: 30281,
  // A second Gateway and DataStorage the suite's resilience tests deploy themselves.
  resilienceGatewayHostPort: 30185,
  resilienceGatewayHealthHostPort: 30183,
  resilienceDataStorageHostPort: 30082,
};

// gateway-e2e at the repository's HEAD: the suite's kind cluster, and the repository's own chart
// with DataStorage and the Gateway under test, the CRDs and the seeded ActionTypes
// (reference: SetupGatewayInfrastructureParallel).
export = () => {
  // The suite runs from the repository's root: its kind config's ./coverdata is there.
  const { settings, repository, cluster, hostUrl } = headStack(join(__dirname, ".."), {
    kindConfig: KIND_CONFIG,
    nodePorts: NODE_PORTS,
    workingDir: ".",
    services: ["gateway"],
  });
  const release = new KubernautRelease("kubernaut", {
    cluster,
    repository,
    namespace: "kubernaut-system",
    coverage: settings.coverage,
    dataStorageNodePorts: { http: NODE_PORTS.dataStorageHostPort, health: NODE_PORTS.dataStorageHealthHostPort },
    services: {
      gateway: {
        nodePorts: {
          http: NODE_PORTS.gatewayHostPort,
          health: NODE_PORTS.gatewayHealthHostPort,
          metrics: NODE_PORTS.gatewayMetricsHostPort,
        },
      },
    },
    actionTypes: true,
  });
  return {
    kubeconfigPath: cluster.kubeconfigPath,
    caFile: release.caFile,
    gatewayUrl: release.readyUrl("gateway", hostUrl("http", "gatewayHostPort")),
    gatewayHealthUrl: release.readyUrl("gateway", hostUrl("http", "gatewayHealthHostPort")),
    gatewayMetricsUrl: release.readyUrl("gateway", hostUrl("http", "gatewayMetricsHostPort")),
    dataStorageUrl: release.readyUrl("datastorage", hostUrl("https", "dataStorageHostPort")),
    dataStorageHealthUrl: release.readyUrl("datastorage", hostUrl("http", "dataStorageHealthHostPort")),
  };
};
