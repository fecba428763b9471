import { ArgumentError, inClusterOptions, readManifests } from "@e2e-infra/core";
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
import { join } from "node:path";

const MANIFEST = "test/e2e/gateway/gateway-deployment.yaml";
const CRD = "config/crd/bases/kubernaut.ai_remediationrequests.yaml";
const DOCKERFILE = "docker/gateway-ubi9.Dockerfile";
// The main package its Dockerfile builds: the image's tag covers what its go build reads.
const GO_PACKAGE = "cmd/gateway";

// gateway-e2e: the data tier, the RemediationRequest CRD and the Gateway under test
// (reference: SetupGatewayInfrastructureParallel, without its duplicate DataStorage build).
export = () => {
  const settings = readStackSettings(join(__dirname, ".."), ["gatewayHostPort", "gatewayMetricsHostPort", "dataStorageHostPort"]);
  const repository = requireServiceRepository(
    settings,
    [DOCKERFILE, GO_PACKAGE, CRD, MANIFEST, ...Object.values(DATA_TIER_PATHS)],
    KUBERNAUT_SNAPSHOT_A,
  );
  const cluster = referenceCluster(
    settings,
    { gatewayHostPort: 30080, gatewayMetricsHostPort: 30090, dataStorageHostPort: 30081 },
    join(repository, "coverdata"),
  );
  const namespace = new k8s.core.v1.Namespace("namespace", { metadata: { name: "kubernaut-system" } }, inClusterOptions(cluster, cluster))
    .metadata.name;
  const crds = new CustomResourceDefinitions("crds", { cluster, paths: [join(repository, CRD)] });
  const data = new DataTier("data", { cluster, namespace, repository, coverage: settings.coverage });
  const image = serviceImage("gateway-image", {
    cluster,
    repository,
    imageName: "localhost/kubernaut-gateway",
    dockerfile: DOCKERFILE,
    goPackage: GO_PACKAGE,
    coverage: settings.coverage,
  });

  // The Gateway's config and priority policy are the suite's own (its manifest's ConfigMaps).
  const manifest = readManifests([join(repository, MANIFEST)]);
  const configMapData = (name: string): Record<string, string> => {
    const found = manifest.find((object) => object.kind === "ConfigMap" && object.metadata.name === name);
    if (found === undefined) {
      throw new ArgumentError(
        `Stack "${settings.stack}"`,
        `config ${settings.project}:serviceRepository`,
        repository,
        `expected ${MANIFEST} to hold the ConfigMap ${name}`,
      );
    }
    return found["data"] as Record<string, string>;
  };

  const gateway = new ServiceDeployment("gateway", {
    cluster,
    namespace,
    image,
    crds,
    args: ["--config=/etc/gateway/config.yaml"],
    configMaps: [
      { name: "gateway-config", mountPath: "/etc/gateway", files: configMapData("gateway-config") },
      { name: "gateway-rego-policy", mountPath: "/etc/gateway-policy", files: configMapData("gateway-rego-policy") },
    ],
    ports: [
      { name: "http", containerPort: 8080, nodePort: 30080 },
      { name: "metrics", containerPort: 9090, nodePort: 30090 },
    ],
    livenessProbe: { path: "/health", port: "http", initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
    readinessProbe: { path: "/ready", port: "http", initialDelaySeconds: 2, periodSeconds: 2, timeoutSeconds: 5, failureThreshold: 60 },
    resources: { requests: { memory: "256Mi", cpu: "100m" }, limits: { memory: "512Mi", cpu: "500m" } },
    clusterRules: [
      { apiGroups: ["kubernaut.ai"], resources: ["remediationrequests"], verbs: ["create", "get", "list", "watch", "update", "patch"] },
      { apiGroups: ["kubernaut.ai"], resources: ["remediationrequests/status"], verbs: ["update", "patch"] },
      { apiGroups: [""], resources: ["namespaces", "configmaps"], verbs: ["get", "list", "watch"] },
    ],
    serviceName: "gateway-service",
    pinToControlPlane: true,
    coverage: settings.coverage,
  });

  return {
    kubeconfigPath: cluster.kubeconfigPath,
    gatewayUrl: gateway.hostUrls["http"],
    gatewayMetricsUrl: gateway.hostUrls["metrics"],
    dataStorageUrl: data.dataStorage.hostUrl,
  };
};
