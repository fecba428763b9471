export { ACTION_TYPES } from "./action-types";
export { chartValues } from "./chart-values";
export { suiteDex, type SuiteDexArgs } from "./dex";
export { kubernautStack, type KubernautStack, type KubernautStackArgs, type StackPort } from "./kubernaut-stack";
export {
  agentOnMocks,
  MOCK_LLM_IMAGE,
  MOCK_LLM_PROFILES,
  MOCK_LLM_SECRETS,
  mockScenarios,
  suiteMockLlm,
  type SuiteMockLlmArgs,
} from "./mock-llm";
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
export { enrichmentFixtures, suiteClient } from "./suite-fixtures";
export { AGENT_SUITE_WORKFLOWS } from "./workflows";
