export { ACTION_TYPES } from "./action-types";
export { chartValues } from "./chart-values";
export { kubernautStack, type KubernautStack, type KubernautStackArgs, type StackPort } from "./kubernaut-stack";
export { MONITORING_URLS, suiteAlertManager, suitePrometheus, type SuiteAlertManagerArgs, type SuitePrometheusArgs } from "./monitoring";
export {
  composePatches,
  patchContainers,
  patchPod,
  withCaBundle,
  withConfigFile,
  withCoverage,
  withNodePorts,
  withPodAnnotations,
  withSecretMount,
  type Patch,
} from "./patches";
export { KubernautRelease } from "./release";
export { KUBERNAUT_HEAD, kubernautReleasePaths, type KubernautReleaseArgs, type ServiceArgs } from "./release-args";
export { KUBERNAUT_SERVICES, type ServiceCertificate, type ServiceDefinition } from "./services";
export { suiteCluster, type SuiteClusterArgs } from "./suite-cluster";
