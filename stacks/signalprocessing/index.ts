import { headStack, KubernautRelease } from "@e2e-infra/stack-kit";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const KIND_CONFIG = "test/infrastructure/kind-signalprocessing-config.yaml";
// The stack's host port keys by the node port the suite's kind config maps to them.
const NODE_PORTS = {
  // Mapped by the suite's kind config; the controller serves no API (nothing listens on it).
  signalProcessingHostPort: 30082,
  signalProcessingMetricsHostPort: 30182,
  dataStorageHostPort: 30081,
  dataStorageHealthHostPort: 30281,
  postgresHostPort: 30432,
};
const policy = (file: string) => readFileSync(join(__dirname, "policies", file), "utf8");

// signalprocessing-e2e at the repository's HEAD: the suite's kind cluster, and the repository's
// own chart with DataStorage and the SignalProcessing controller under test, given this stack's
// classification policy and proactive signal mappings, the CRDs and the seeded ActionTypes
// (reference: SetupSignalProcessingInfrastructureHybridWithCoverage).
export = () => {
  const { settings, repository, cluster, hostUrl } = headStack(join(__dirname, ".."), {
    kindConfig: KIND_CONFIG,
    nodePorts: NODE_PORTS,
    workingDir: ".",
    services: ["signalprocessing"],
  });
  const release = new KubernautRelease("kubernaut", {
    cluster,
    repository,
    namespace: "kubernaut-system",
    namespaceLabels: { "app.kubernetes.io/name": "kubernaut", "app.kubernetes.io/component": "signalprocessing" },
    coverage: settings.coverage,
    dataStorageNodePorts: { http: NODE_PORTS.dataStorageHostPort, health: NODE_PORTS.dataStorageHealthHostPort },
    postgresNodePort: NODE_PORTS.postgresHostPort,
    services: {
      signalprocessing: {
        nodePorts: { metrics: NODE_PORTS.signalProcessingMetricsHostPort },
        values: {
          policies: { content: policy("policy.rego") },
          proactiveSignalMappings: { content: policy("proactive-signal-mappings.yaml") },
        },
      },
    },
    actionTypes: true,
  });
  return {
    kubeconfigPath: cluster.kubeconfigPath,
    caFile: release.caFile,
    metricsUrl: release.readyUrl("signalprocessing-controller", hostUrl("http", "signalProcessingMetricsHostPort")),
    dataStorageUrl: release.readyUrl("datastorage", hostUrl("https", "dataStorageHostPort")),
    dataStorageHealthUrl: release.readyUrl("datastorage", hostUrl("http", "dataStorageHealthHostPort")),
    postgresUrl: release.postgresUrl(settings.hostPorts["postgresHostPort"]!),
  };
};
