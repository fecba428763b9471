import { kubernautStack, MONITORING_URLS, suiteAlertManager, suitePrometheus, withConfigFile } from "@e2e-infra/kubernaut";
import { join } from "node:path";

// effectivenessmonitor-e2e at the repository's HEAD: the suite's kind cluster (with the coverdata
// mount its setup adds in code), and the repository's chart with DataStorage, the
// EffectivenessMonitor under test and the AuthWebhook; beside them Prometheus and AlertManager as
// the Go setup deploys them, which the controller reads and the suite writes metrics and alerts to
// (reference: SetupEMInfrastructure). The suite creates its DataStorage client ServiceAccount.

// The node ports of Prometheus and AlertManager, which the suite's kind config maps.
const PROMETHEUS = 30190;
const ALERTMANAGER = 30191;

export = () => {
  const stack = kubernautStack(join(__dirname, ".."), {
    kindConfig: "test/infrastructure/kind-effectivenessmonitor-config.yaml",
    workingDir: ".",
    extraMounts: [{ hostPath: "coverdata", containerPath: "/coverdata" }],
    ports: {
      dataStorageHostPort: { nodePort: 30081, service: "datastorage" },
      dataStorageHealthHostPort: { nodePort: 30281, service: "datastorage", port: "health" },
      // Mapped by the suite's kind config; the controller serves no API.
      effectivenessMonitorHostPort: 30089,
      effectivenessMonitorMetricsHostPort: { nodePort: 30189, service: "effectivenessmonitor", port: "metrics" },
      prometheusHostPort: PROMETHEUS,
      alertManagerHostPort: ALERTMANAGER,
    },
    services: {
      effectivenessmonitor: {
        definition: {
          templates: ["templates/effectivenessmonitor/effectivenessmonitor.yaml"],
          dockerfile: "docker/effectivenessmonitor-controller.Dockerfile",
          goPackage: "cmd/effectivenessmonitor",
          service: "effectivenessmonitor-metrics",
          ports: ["metrics"],
          deployment: "effectivenessmonitor-controller",
          // internal/controller/effectivenessmonitor/reconciler.go: For(&EffectivenessAssessment{}).
          watches: ["effectivenessassessments.kubernaut.ai"],
        },
        patches: {
          // The suite's metrics are minutes old at most: its setup looks back 2m, where the code's
          // default is 30m; the chart's values cannot say it, so it goes into the file.
          "ConfigMap/effectivenessmonitor-config": (configMap) =>
            withConfigFile(configMap, "effectivenessmonitor.yaml", (config) => ({
              ...config,
              external: { ...(config["external"] as object), prometheusLookback: "2m" },
            })),
        },
      },
      // Its setup deploys it beside the controller (DeployAuthWebhookManifestsOnly).
      authwebhook: {},
    },
    values: {
      monitoring: {
        prometheus: { enabled: true, url: MONITORING_URLS.prometheus },
        alertManager: { enabled: true, url: MONITORING_URLS.alertManager },
      },
    },
  });
  const { cluster } = stack;
  const release = stack.release();
  // The controller does not wait for them: it queries them per assessment, as the Go setup
  // deploys them beside it without a wait.
  const prometheus = suitePrometheus("prometheus", { cluster, namespace: release.namespace, nodePort: PROMETHEUS });
  const alertManager = suiteAlertManager("alertmanager", { cluster, namespace: release.namespace, nodePort: ALERTMANAGER });
  return {
    kubeconfigPath: cluster.kubeconfigPath,
    caFile: release.caFile,
    dataStorageUrl: stack.url("dataStorageHostPort"),
    dataStorageHealthUrl: stack.url("dataStorageHealthHostPort"),
    metricsUrl: stack.url("effectivenessMonitorMetricsHostPort"),
    prometheusUrl: prometheus.hostUrls["http"]!,
    alertManagerUrl: alertManager.hostUrls["http"]!,
  };
};
