import { headStack, KubernautRelease } from "@e2e-infra/stack-kit";
import { join } from "node:path";

const KIND_CONFIG = "test/infrastructure/kind-datastorage-config.yaml";
// The stack's host port keys by the node port the suite's kind config maps to them.
const NODE_PORTS = {
  dataStorageHostPort: 30081,
  dataStorageMetricsHostPort: 30181,
  dataStorageHealthHostPort: 30281,
  postgresHostPort: 30432,
  // A second DataStorage the suite deploys itself (27_ds_restart_cache_recovery_test.go).
  isolatedDataStorageHostPort: 30082,
  isolatedDataStorageHealthHostPort: 30282,
};

// datastorage-e2e at the repository's HEAD: the suite's kind cluster, and the repository's own
// chart with DataStorage under test (reference: SetupDataStorageInfrastructureParallel).
export = () => {
  // The suite runs in test/e2e/datastorage: its kind config's ./coverdata is there.
  const { settings, repository, cluster, hostUrl } = headStack(join(__dirname, ".."), {
    kindConfig: KIND_CONFIG,
    nodePorts: NODE_PORTS,
    workingDir: "test/e2e/datastorage",
  });
  const release = new KubernautRelease("kubernaut", {
    cluster,
    repository,
    namespace: "datastorage-e2e",
    namespaceLabels: { test: "datastorage-e2e" },
    coverage: settings.coverage,
    dataStorageNodePorts: {
      http: NODE_PORTS.dataStorageHostPort,
      health: NODE_PORTS.dataStorageHealthHostPort,
      metrics: NODE_PORTS.dataStorageMetricsHostPort,
    },
    postgresNodePort: NODE_PORTS.postgresHostPort,
  });
  const ready = (url: string) => release.readyUrl("datastorage", url);
  return {
    kubeconfigPath: cluster.kubeconfigPath,
    caFile: release.caFile,
    dataStorageUrl: ready(hostUrl("https", "dataStorageHostPort")),
    dataStorageHealthUrl: ready(hostUrl("http", "dataStorageHealthHostPort")),
    dataStorageMetricsUrl: ready(hostUrl("http", "dataStorageMetricsHostPort")),
    postgresUrl: release.postgresUrl(settings.hostPorts["postgresHostPort"]!),
  };
};
