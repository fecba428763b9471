import {
  KUBERNAUT_HEAD,
  KubernautRelease,
  kubernautReleasePaths,
  readStackSettings,
  requireServiceRepository,
  suiteCluster,
} from "@e2e-infra/stack-kit";
import * as pulumi from "@pulumi/pulumi";
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
  const settings = readStackSettings(join(__dirname, ".."), Object.keys(NODE_PORTS));
  const repository = requireServiceRepository(settings, [KIND_CONFIG, ...kubernautReleasePaths()], KUBERNAUT_HEAD);
  // The suite runs in test/e2e/datastorage: its kind config's ./coverdata is there.
  const cluster = suiteCluster(settings, repository, {
    kindConfig: KIND_CONFIG,
    nodePorts: NODE_PORTS,
    workingDir: "test/e2e/datastorage",
    verifiedAgainst: KUBERNAUT_HEAD,
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
  const host = (key: keyof typeof NODE_PORTS) => `localhost:${settings.hostPorts[key]}`;
  const ready = (url: string) => release.readyUrl("datastorage", url);
  return {
    kubeconfigPath: cluster.kubeconfigPath,
    caFile: release.caFile,
    dataStorageUrl: ready(`https://${host("dataStorageHostPort")}`),
    dataStorageHealthUrl: ready(`http://${host("dataStorageHealthHostPort")}`),
    dataStorageMetricsUrl: ready(`http://${host("dataStorageMetricsHostPort")}`),
    postgresUrl: pulumi.secret(`postgresql://slm_user:test_password@${host("postgresHostPort")}/action_history?sslmode=disable`),
  };
};
