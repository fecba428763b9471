import { inClusterOptions } from "@e2e-infra/core";
import { CustomResourceDefinitions } from "@e2e-infra/crds";
import { ServiceDeployment } from "@e2e-infra/service-deployment";
import {
  DATA_TIER_PATHS,
  DataTier,
  hostPostgresUrl,
  readStackSettings,
  referenceCluster,
  KUBERNAUT_SNAPSHOT_A,
  requireServiceRepository,
  serviceImage,
} from "@e2e-infra/stack-kit";
import * as k8s from "@pulumi/kubernetes";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const CRDS = ["config/crd/bases/kubernaut.ai_signalprocessings.yaml", "config/crd/bases/kubernaut.ai_remediationrequests.yaml"];
const DOCKERFILE = "docker/signalprocessing-controller.Dockerfile";
// The main package its Dockerfile builds: the image's tag covers what its go build reads.
const GO_PACKAGE = "cmd/signalprocessing";
const POLICIES = ["environment", "priority", "business", "customlabels"];

// signalprocessing-e2e: the data tier, the SignalProcessing and RemediationRequest CRDs, the Rego
// policies and the controller under test (reference: SetupSignalProcessingInfrastructureHybridWithCoverage).
export = () => {
  const settings = readStackSettings(join(__dirname, ".."), [
    "signalProcessingHostPort",
    "signalProcessingMetricsHostPort",
    "dataStorageHostPort",
    "postgresHostPort",
  ]);
  const repository = requireServiceRepository(
    settings,
    [DOCKERFILE, GO_PACKAGE, ...CRDS, ...Object.values(DATA_TIER_PATHS)],
    KUBERNAUT_SNAPSHOT_A,
  );
  const cluster = referenceCluster(
    settings,
    { signalProcessingHostPort: 30082, signalProcessingMetricsHostPort: 30182, dataStorageHostPort: 30081, postgresHostPort: 30432 },
    join(repository, "coverdata"),
  );
  const namespace = new k8s.core.v1.Namespace(
    "namespace",
    {
      metadata: {
        name: "kubernaut-system",
        labels: { "app.kubernetes.io/name": "kubernaut", "app.kubernetes.io/component": "signalprocessing" },
      },
    },
    inClusterOptions(cluster, cluster),
  ).metadata.name;
  const crds = new CustomResourceDefinitions("crds", { cluster, paths: CRDS.map((crd) => join(repository, crd)) });
  const data = new DataTier("data", { cluster, namespace, repository, postgresNodePort: 30432, coverage: settings.coverage });
  const image = serviceImage("signalprocessing-image", {
    cluster,
    repository,
    imageName: "localhost/signalprocessing-controller",
    dockerfile: DOCKERFILE,
    goPackage: GO_PACKAGE,
    coverage: settings.coverage,
  });

  const controller = new ServiceDeployment("signalprocessing", {
    cluster,
    namespace,
    image,
    crds,
    workloadName: "signalprocessing-controller",
    // It calls DataStorage for audit and retries: it does not wait for it.
    env: { NAMESPACE: { fieldRef: "metadata.namespace" }, DATA_STORAGE_URL: data.dataStorage.endpoint },
    ports: [
      { name: "metrics", containerPort: 9090, nodePort: 30182 },
      { name: "health", containerPort: 8081 },
    ],
    livenessProbe: { path: "/healthz", port: "health", initialDelaySeconds: 15, periodSeconds: 20 },
    readinessProbe: { path: "/readyz", port: "health", initialDelaySeconds: 1, periodSeconds: 2 },
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
    clusterRules: [
      {
        apiGroups: ["kubernaut.ai"],
        resources: ["signalprocessings", "remediationrequests"],
        verbs: ["get", "list", "watch", "create", "update", "patch", "delete"],
      },
      {
        apiGroups: ["kubernaut.ai"],
        resources: ["signalprocessings/status", "signalprocessings/finalizers"],
        verbs: ["get", "update", "patch"],
      },
      {
        apiGroups: [""],
        resources: ["pods", "services", "namespaces", "nodes", "configmaps", "secrets", "events"],
        verbs: ["get", "list", "watch", "create", "update", "patch"],
      },
      { apiGroups: ["apps"], resources: ["deployments", "replicasets", "statefulsets", "daemonsets"], verbs: ["get", "list", "watch"] },
      { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: ["get", "list", "watch"] },
      { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: ["get", "list", "watch"] },
      { apiGroups: ["networking.k8s.io"], resources: ["networkpolicies"], verbs: ["get", "list", "watch"] },
      { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] },
    ],
    projectedConfig: {
      mountPath: "/etc/signalprocessing/policies",
      configMaps: POLICIES.map((policy) => ({
        name: `signalprocessing-${policy}-policy`,
        files: { [`${policy}.rego`]: readFileSync(join(__dirname, "policies", `${policy}.rego`), "utf8") },
      })),
    },
    serviceName: "signalprocessing-controller-metrics",
    coverage: settings.coverage,
  });

  return {
    kubeconfigPath: cluster.kubeconfigPath,
    metricsUrl: controller.hostUrls["metrics"],
    dataStorageUrl: data.dataStorage.hostUrl,
    postgresUrl: hostPostgresUrl(data.database, settings.hostPorts["postgresHostPort"]!),
  };
};
