import { kubernautStack } from "@e2e-infra/kubernaut";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const policy = (file: string) => readFileSync(join(__dirname, "policies", file), "utf8");

// signalprocessing-e2e at the repository's HEAD: the suite's kind cluster, and the repository's
// own chart with DataStorage and the SignalProcessing controller under test, given this stack's
// classification policy and proactive signal mappings, the CRDs and the seeded ActionTypes
// (reference: SetupSignalProcessingInfrastructureHybridWithCoverage).
export = () => {
  const stack = kubernautStack(join(__dirname, ".."), {
    kindConfig: "test/infrastructure/kind-signalprocessing-config.yaml",
    workingDir: ".",
    // The stack's host port keys, each with the node port the suite's kind config maps to it.
    ports: {
      // Mapped by the suite's kind config; the controller serves no API (nothing listens on it).
      signalProcessingHostPort: 30082,
      signalProcessingMetricsHostPort: { nodePort: 30182, service: "signalprocessing", port: "metrics" },
      dataStorageHostPort: { nodePort: 30081, service: "datastorage" },
      dataStorageHealthHostPort: { nodePort: 30281, service: "datastorage", port: "health" },
      postgresHostPort: { nodePort: 30432, service: "postgresql" },
    },
    namespaceLabels: { "app.kubernetes.io/name": "kubernaut", "app.kubernetes.io/component": "signalprocessing" },
    services: {
      signalprocessing: {
        values: {
          policies: { content: policy("policy.rego") },
          proactiveSignalMappings: { content: policy("proactive-signal-mappings.yaml") },
        },
      },
    },
    actionTypes: true,
  });
  const release = stack.release();
  return {
    kubeconfigPath: stack.cluster.kubeconfigPath,
    caFile: release.caFile,
    metricsUrl: stack.url("signalProcessingMetricsHostPort"),
    dataStorageUrl: stack.url("dataStorageHostPort"),
    dataStorageHealthUrl: stack.url("dataStorageHealthHostPort"),
    postgresUrl: stack.url("postgresHostPort"),
  };
};
