import { API_THROUGHPUT_PATCH, KindCluster } from "@e2e-infra/kind-cluster";
import * as k8s from "@pulumi/kubernetes";

// A two-node cluster like the Gateway suite's: NodePort 30080 reachable on localhost:8080.
const cluster = new KindCluster("gateway", {
  name: "gateway-e2e",
  containerRuntime: "podman",
  kubeconfigPath: "~/.kube/gateway-e2e-config",
  nodes: [{ role: "control-plane", extraPortMappings: [{ containerPort: 30080, hostPort: 8080 }] }, { role: "worker" }],
  kubeadmConfigPatches: [API_THROUGHPUT_PATCH],
});

// Objects in the cluster use its provider, and go away with it on destroy.
new k8s.core.v1.Namespace(
  "kubernaut-system",
  { metadata: { name: "kubernaut-system" } },
  { provider: cluster.provider, deletedWith: cluster.deletedWith },
);

export const kubeconfigPath = cluster.kubeconfigPath;
