import {
  KUBERNAUT_HEAD,
  KubernautRelease,
  kubernautReleasePaths,
  readStackSettings,
  requireServiceRepository,
  suiteCluster,
} from "@e2e-infra/stack-kit";
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
  const settings = readStackSettings(join(__dirname, ".."), Object.keys(NODE_PORTS));
  const repository = requireServiceRepository(settings, [KIND_CONFIG, ...kubernautReleasePaths(["gateway"])], KUBERNAUT_HEAD);
  // The suite runs from the repository's root: its kind config's ./coverdata is there.
  const cluster = suiteCluster(settings, repository, {
    kindConfig: KIND_CONFIG,
    nodePorts: NODE_PORTS,
    workingDir: ".",
    verifiedAgainst: KUBERNAUT_HEAD,
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
  const host = (key: keyof typeof NODE_PORTS) => `localhost:${settings.hostPorts[key]}`;
  return {
    kubeconfigPath: cluster.kubeconfigPath,
    caFile: release.caFile,
    gatewayUrl: release.readyUrl("gateway", `http://${host("gatewayHostPort")}`),
    gatewayHealthUrl: release.readyUrl("gateway", `http://${host("gatewayHealthHostPort")}`),
    gatewayMetricsUrl: release.readyUrl("gateway", `http://${host("gatewayMetricsHostPort")}`),
    dataStorageUrl: release.readyUrl("datastorage", `https://${host("dataStorageHostPort")}`),
    dataStorageHealthUrl: release.readyUrl("datastorage", `http://${host("dataStorageHealthHostPort")}`),
  };
};
