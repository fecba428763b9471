import { kubernautStack, withConfigFile } from "@e2e-infra/kubernaut";
import { join } from "node:path";

// remediationorchestrator-e2e at the repository's HEAD: the suite's kind cluster (with the
// coverdata mount its setup adds in code), and the repository's own chart with DataStorage, the
// RemediationOrchestrator under test and the AuthWebhook, the CRDs and the seeded ActionTypes
// (reference: SetupROInfrastructureHybridWithCoverage).
export = () => {
  const stack = kubernautStack(join(__dirname, ".."), {
    kindConfig: "test/infrastructure/kind-remediationorchestrator-config.yaml",
    workingDir: ".",
    extraMounts: [{ hostPath: "coverdata", containerPath: "/coverdata" }],
    // The stack's host port keys, each with the node port the suite's kind config maps to it.
    ports: {
      dataStorageHostPort: { nodePort: 30081, service: "datastorage" },
      dataStorageHealthHostPort: { nodePort: 30281, service: "datastorage", port: "health" },
      // Mapped by the suite's kind config; the controller serves no API and no health port there.
      remediationOrchestratorHostPort: 30083,
      remediationOrchestratorMetricsHostPort: { nodePort: 30183, service: "remediationorchestrator", port: "metrics" },
      remediationOrchestratorExtraHostPort: 30284,
    },
    services: {
      remediationorchestrator: {
        // The suite's timeouts: its approval and verification tests wait seconds, not the defaults' minutes.
        values: { config: { timeouts: { verifying: "5s" }, effectivenessAssessment: { stabilizationWindow: "10s" } } },
        patches: {
          // The suite's approval tests expire a request after 3 s (timeouts.awaitingApproval); the
          // chart's values cannot say it (its schema has no such key), so it goes into the file.
          "ConfigMap/remediationorchestrator-config": (configMap) =>
            withConfigFile(configMap, "remediationorchestrator.yaml", (config) => ({
              ...config,
              timeouts: { ...(config["timeouts"] as object), awaitingApproval: "3s" },
            })),
        },
      },
      authwebhook: {},
    },
    actionTypes: true,
  });
  const release = stack.release();
  return {
    kubeconfigPath: stack.cluster.kubeconfigPath,
    caFile: release.caFile,
    metricsUrl: stack.url("remediationOrchestratorMetricsHostPort"),
    dataStorageUrl: stack.url("dataStorageHostPort"),
    dataStorageHealthUrl: stack.url("dataStorageHealthHostPort"),
  };
};
