import { inClusterOptions } from "@e2e-infra/core";
import { CustomResourceDefinitions } from "@e2e-infra/crds";
import { ServiceDeployment } from "@e2e-infra/service-deployment";
import {
  DATA_TIER_PATHS,
  DataTier,
  readStackSettings,
  referenceCluster,
  KUBERNAUT_SNAPSHOT_A,
  requireServiceRepository,
  serviceImage,
} from "@e2e-infra/stack-kit";
import * as k8s from "@pulumi/kubernetes";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const CRDS = [
  "remediationrequests",
  "remediationapprovalrequests",
  "aianalyses",
  "workflowexecutions",
  "signalprocessings",
  "notificationrequests",
].map((plural) => `config/crd/bases/kubernaut.ai_${plural}.yaml`);
const DOCKERFILE = "docker/remediationorchestrator-controller.Dockerfile";
// The main package its Dockerfile builds: the image's tag covers what its go build reads.
const GO_PACKAGE = "cmd/remediationorchestrator";

// remediationorchestrator-e2e: the data tier, the six CRDs the orchestrator reads and writes (one
// set, applied at once, not six applies) and the controller under test (reference: SetupROInfrastructureHybridWithCoverage).
export = () => {
  const settings = readStackSettings(join(__dirname, ".."), [
    "dataStorageHostPort",
    "remediationOrchestratorHostPort",
    "remediationOrchestratorMetricsHostPort",
    "remediationOrchestratorExtraHostPort",
  ]);
  const repository = requireServiceRepository(
    settings,
    [DOCKERFILE, GO_PACKAGE, ...CRDS, ...Object.values(DATA_TIER_PATHS)],
    KUBERNAUT_SNAPSHOT_A,
  );
  const cluster = referenceCluster(
    settings,
    {
      dataStorageHostPort: 30081,
      remediationOrchestratorHostPort: 30083,
      remediationOrchestratorMetricsHostPort: 30183,
      remediationOrchestratorExtraHostPort: 30284,
    },
    join(repository, "coverdata"),
  );
  const namespace = new k8s.core.v1.Namespace("namespace", { metadata: { name: "kubernaut-system" } }, inClusterOptions(cluster, cluster))
    .metadata.name;
  const crds = new CustomResourceDefinitions("crds", { cluster, paths: CRDS.map((crd) => join(repository, crd)) });
  const data = new DataTier("data", { cluster, namespace, repository, coverage: settings.coverage });
  const image = serviceImage("remediationorchestrator-image", {
    cluster,
    repository,
    imageName: "localhost/remediationorchestrator-controller",
    dockerfile: DOCKERFILE,
    goPackage: GO_PACKAGE,
    coverage: settings.coverage,
  });

  const controller = new ServiceDeployment("remediationorchestrator", {
    cluster,
    namespace,
    image,
    crds,
    workloadName: "remediationorchestrator-controller",
    args: ["--config=/etc/config/remediationorchestrator.yaml"],
    configMaps: [
      {
        name: "remediationorchestrator-config",
        mountPath: "/etc/config",
        files: { "remediationorchestrator.yaml": readFileSync(join(__dirname, "config", "remediationorchestrator.yaml"), "utf8") },
      },
    ],
    ports: [
      { name: "health", containerPort: 8084 },
      { name: "metrics", containerPort: 9093, nodePort: 30183 },
    ],
    livenessProbe: { path: "/healthz", port: "health", initialDelaySeconds: 15, periodSeconds: 20 },
    readinessProbe: { path: "/readyz", port: "health", initialDelaySeconds: 1, periodSeconds: 2 },
    clusterRules: [
      {
        apiGroups: ["kubernaut.ai"],
        resources: ["remediationrequests", "remediationapprovalrequests"],
        verbs: ["get", "list", "watch", "create", "update", "patch", "delete"],
      },
      {
        apiGroups: ["kubernaut.ai"],
        resources: ["remediationrequests/status", "remediationapprovalrequests/status"],
        verbs: ["get", "update", "patch"],
      },
      { apiGroups: ["kubernaut.ai"], resources: ["signalprocessings"], verbs: ["create", "get", "list", "watch", "update", "patch"] },
      { apiGroups: ["kubernaut.ai"], resources: ["aianalyses", "workflowexecutions"], verbs: ["get", "list", "watch"] },
      { apiGroups: ["kubernaut.ai"], resources: ["notificationrequests"], verbs: ["create", "get", "list", "watch"] },
      { apiGroups: [""], resources: ["events"], verbs: ["create", "patch"] },
    ],
    serviceName: "remediationorchestrator-controller",
    coverage: settings.coverage,
  });

  return {
    kubeconfigPath: cluster.kubeconfigPath,
    metricsUrl: controller.hostUrls["metrics"],
    dataStorageUrl: data.dataStorage.hostUrl,
  };
};
