export { KindCluster, type KindClusterArgs, type KindLoadTarget } from "./kind-cluster";
export {
  API_THROUGHPUT_PATCH,
  CGROUP_V1_PATCH,
  CLUSTER_NAME_MAX,
  CONTAINER_RUNTIMES,
  DEFAULT_LISTEN_ADDRESS,
  NODE_ROLES,
  mountDirectories,
  renderKindConfig,
  validateKindConfig,
  type ContainerRuntime,
  type KindClusterConfig,
  type KindNode,
  type Mount,
  type NodeRole,
  type PortMapping,
} from "./kind-config";
