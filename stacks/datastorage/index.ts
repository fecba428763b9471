import { kubernautStack } from "@e2e-infra/kubernaut";
import { join } from "node:path";

// datastorage-e2e at the repository's HEAD: the suite's kind cluster, and the repository's own
// chart with DataStorage under test (reference: SetupDataStorageInfrastructureParallel).
export = () => {
  const stack = kubernautStack(join(__dirname, ".."), {
    kindConfig: "test/infrastructure/kind-datastorage-config.yaml",
    // The suite runs in test/e2e/datastorage: its kind config's ./coverdata is there.
    workingDir: "test/e2e/datastorage",
    // The stack's host port keys, each with the node port the suite's kind config maps to it.
    ports: {
      dataStorageHostPort: { nodePort: 30081, service: "datastorage" },
      dataStorageMetricsHostPort: { nodePort: 30181, service: "datastorage", port: "metrics" },
      dataStorageHealthHostPort: { nodePort: 30281, service: "datastorage", port: "health" },
      postgresHostPort: { nodePort: 30432, service: "postgresql" },
      // A second DataStorage the suite deploys itself (27_ds_restart_cache_recovery_test.go).
      isolatedDataStorageHostPort: 30082,
      isolatedDataStorageHealthHostPort: 30282,
    },
    namespace: "datastorage-e2e",
    namespaceLabels: { test: "datastorage-e2e" },
  });
  const release = stack.release();
  return {
    kubeconfigPath: stack.cluster.kubeconfigPath,
    caFile: release.caFile,
    dataStorageUrl: stack.url("dataStorageHostPort"),
    dataStorageHealthUrl: stack.url("dataStorageHealthHostPort"),
    dataStorageMetricsUrl: stack.url("dataStorageMetricsHostPort"),
    postgresUrl: stack.url("postgresHostPort"),
  };
};
