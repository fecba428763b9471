import { inClusterOptions } from "@e2e-infra/core";
import {
  DATA_TIER_PATHS,
  DataTier,
  hostPostgresUrl,
  readStackSettings,
  referenceCluster,
  KUBERNAUT_SNAPSHOT_A,
  requireServiceRepository,
} from "@e2e-infra/stack-kit";
import * as k8s from "@pulumi/kubernetes";
import { join } from "node:path";

// datastorage-e2e: the data tier, with DataStorage itself under test (reference: SetupDataStorageInfrastructureParallel).
export = () => {
  const settings = readStackSettings(join(__dirname, ".."), ["dataStorageHostPort", "postgresHostPort"]);
  const repository = requireServiceRepository(settings, Object.values(DATA_TIER_PATHS), KUBERNAUT_SNAPSHOT_A);
  const cluster = referenceCluster(settings, { dataStorageHostPort: 30081, postgresHostPort: 30432 }, join(repository, "coverdata"));
  const namespace = new k8s.core.v1.Namespace(
    "namespace",
    { metadata: { name: "datastorage-e2e", labels: { test: "datastorage-e2e" } } },
    inClusterOptions(cluster, cluster),
  ).metadata.name;

  const data = new DataTier("data", { cluster, namespace, repository, postgresNodePort: 30432, coverage: settings.coverage });

  return {
    kubeconfigPath: cluster.kubeconfigPath,
    dataStorageUrl: data.dataStorage.hostUrl,
    postgresUrl: hostPostgresUrl(data.database, settings.hostPorts["postgresHostPort"]!),
  };
};
