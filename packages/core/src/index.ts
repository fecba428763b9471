export { ArgumentError, subjectOf } from "./errors";
export {
  closest,
  DNS1123_LABEL_MAX,
  DNS1123_SUBDOMAIN_MAX,
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  isQualifiedName,
  kubernetesName,
  requireDns1035Label,
  requireDns1123Label,
  requireDns1123Subdomain,
} from "./names";
export {
  isEventual,
  requireComponent,
  requireOptionalBoolean,
  requireOptionalRecord,
  requireOptionalStringList,
  requireStringInput,
} from "./checks";
export { isImageReference, requireImageReference } from "./image-reference";
export { MANAGED_BY, selectorLabels, standardLabels } from "./labels";
export { buildContextEntries, dockerfilePath, hashBuildContext, type BuildContextInput } from "./build-context";
export {
  HOST_COMMAND_TYPE,
  HostCommand,
  hostCommand,
  hostCommandProvider,
  loadScript,
  type HostCommandArgs,
  type HostCommandState,
} from "./host-command";
export { crdOptions, inClusterOptions, requireClusterTarget, requireInCluster, type ClusterTarget, type InClusterArgs } from "./cluster";
export {
  CONTAINER_RUNTIMES,
  IMAGE_PULL_POLICIES,
  requireWorkloadImage,
  type ContainerRuntime,
  type ImagePullPolicy,
  type KindLoadTarget,
  type WorkloadImage,
} from "./image-delivery";
export { claimNodePort, claimSpareNodePort, NODE_PORT_MAX, NODE_PORT_MIN, requireNodePort } from "./node-ports";
export { CONTROL_PLANE_PLACEMENT, COVERAGE, objectUid, podService, readyHost, singletonDeployment, type ServicePort } from "./workload";
export { cacheDirectory, expandHome } from "./paths";
export { manifestFiles, parseManifests, readManifests, type ManifestObject } from "./manifests";
