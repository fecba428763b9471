export { ArgumentError, subjectOf } from "./errors";
export { closest, DNS1123_LABEL_MAX, isDns1123Label, kubernetesName, requireDns1123Label } from "./names";
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
export { inClusterOptions, type ClusterTarget, type InClusterArgs } from "./cluster";
export { claimNodePort, NODE_PORT_MAX, NODE_PORT_MIN } from "./node-ports";
export { CONTROL_PLANE_PLACEMENT, COVERAGE, podService, readyHost, singletonDeployment, type ServicePort } from "./workload";
export { manifestFiles, parseManifests, readManifests, type ManifestObject } from "./manifests";
