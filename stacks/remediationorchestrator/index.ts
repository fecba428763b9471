import { headStack, KubernautRelease } from "@e2e-infra/stack-kit";
import { join } from "node:path";
import { parse, stringify } from "yaml";

const KIND_CONFIG = "test/infrastructure/kind-remediationorchestrator-config.yaml";
// The stack's host port keys by the node port the suite's kind config maps to them.
const NODE_PORTS = {
  dataStorageHostPort: 30081,
  dataStorageHealthHostPort: 30281,
  // Mapped by the suite's kind config; the controller serves no API and no health port there.
  remediationOrchestratorHostPort: 30083,
  remediationOrchestratorMetricsHostPort: 30183,
  remediationOrchestratorExtraHostPort: 30284,
};

// remediationorchestrator-e2e at the repository's HEAD: the suite's kind cluster (with the
// coverdata mount its setup adds in code), and the repository's own chart with DataStorage, the
// RemediationOrchestrator under test and the AuthWebhook, the CRDs and the seeded ActionTypes
// (reference: SetupROInfrastructureHybridWithCoverage).
export = () => {
  const { settings, repository, cluster, hostUrl } = headStack(join(__dirname, ".."), {
    kindConfig: KIND_CONFIG,
    nodePorts: NODE_PORTS,
    workingDir: ".",
    extraMounts: [{ hostPath: "coverdata", containerPath: "/coverdata" }],
    services: ["remediationorchestrator", "authwebhook"],
  });
  const release = new KubernautRelease("kubernaut", {
    cluster,
    repository,
    namespace: "kubernaut-system",
    coverage: settings.coverage,
    dataStorageNodePorts: { http: NODE_PORTS.dataStorageHostPort, health: NODE_PORTS.dataStorageHealthHostPort },
    services: {
      remediationorchestrator: {
        nodePorts: { metrics: NODE_PORTS.remediationOrchestratorMetricsHostPort },
        // The suite's timeouts: its approval and verification tests wait seconds, not the defaults' minutes.
        values: { config: { timeouts: { verifying: "5s" }, effectivenessAssessment: { stabilizationWindow: "10s" } } },
        patches: {
          // The suite's approval tests expire a request after 3 s (timeouts.awaitingApproval); the
          // chart's values cannot say it (its schema has no such key), so it goes into the file.
          "ConfigMap/remediationorchestrator-config": (configMap) => {
            const data = configMap["data"] as Record<string, string>;
            const config = parse(data["remediationorchestrator.yaml"]!) as { timeouts?: Record<string, string> };
            config.timeouts = { ...config.timeouts, awaitingApproval: "3s" };
            return { ...configMap, data: { ...data, "remediationorchestrator.yaml": stringify(config) } };
          },
        },
      },
      authwebhook: {},
    },
    actionTypes: true,
  });
  return {
    kubeconfigPath: cluster.kubeconfigPath,
    caFile: release.caFile,
    metricsUrl: release.readyUrl("remediationorchestrator-controller", hostUrl("http", "remediationOrchestratorMetricsHostPort")),
    dataStorageUrl: release.readyUrl("datastorage", hostUrl("https", "dataStorageHostPort")),
    dataStorageHealthUrl: release.readyUrl("datastorage", hostUrl("http", "dataStorageHealthHostPort")),
  };
};
