import { inClusterOptions } from "@e2e-infra/core";
import { CustomResourceDefinitions } from "@e2e-infra/crds";
import { ImageBuildLoad } from "@e2e-infra/image-build-load";
import { KindCluster } from "@e2e-infra/kind-cluster";
import { ServiceDeployment } from "@e2e-infra/service-deployment";
import * as k8s from "@pulumi/kubernetes";
import { join } from "node:path";

// In a stack, a checkout of the service repository; here, this package's fixtures.
const repository = join(__dirname, "..", "test", "fixtures");

const cluster = new KindCluster("cluster", {
  name: "gateway-e2e",
  nodes: [{ role: "control-plane", extraPortMappings: [{ containerPort: 30080, hostPort: 8080 }] }, { role: "worker" }],
});
const namespace = new k8s.core.v1.Namespace("ns", { metadata: { name: "kubernaut-system" } }, inClusterOptions(cluster, cluster)).metadata
  .name;
const crds = new CustomResourceDefinitions("crds", { cluster, paths: [join(repository, "crds", "kubernaut.ai_remediationrequests.yaml")] });
const image = new ImageBuildLoad("gateway-image", {
  cluster,
  imageName: "localhost/kubernaut-gateway",
  context: join(repository, "image"),
});

const gateway = new ServiceDeployment("gateway", {
  cluster,
  namespace,
  image,
  crds,
  args: ["--config=/etc/gateway/config.yaml"],
  ports: [{ name: "http", containerPort: 8080, nodePort: 30080 }],
  readinessProbe: { path: "/ready", port: "http" },
  livenessProbe: { path: "/health", port: "http" },
  clusterRules: [
    { apiGroups: ["kubernaut.ai"], resources: ["remediationrequests"], verbs: ["create", "get", "list", "watch", "update", "patch"] },
    { apiGroups: [""], resources: ["namespaces", "configmaps"], verbs: ["get", "list", "watch"] },
  ],
  configMaps: [{ name: "gateway-config", mountPath: "/etc/gateway", files: { "config.yaml": "listen_addr: :8080\n" } }],
  serviceName: "gateway-service",
});

export const gatewayUrl = gateway.hostUrls["http"]; // http://localhost:8080, once Ready
