// The graph library, re-exported for tests (the CLI imports it from @e2e-infra/graph).
export {
  capture,
  capturedResource,
  captureStack,
  defaultOutputs,
  documentedConfigKeys,
  loadWithTsNode,
  missingDeclaredConfig,
  readStackFiles,
  ResourceGraph,
  UNKNOWN,
  type Capture,
  type CaptureOptions,
  type CapturedResource,
  type GraphJson,
  type GraphNode,
  type ResourceQuery,
  type ResourceRef,
} from "@e2e-infra/graph";
export { KubernetesSchemaError, kubernetesObjects, validateKubernetesObject, validateKubernetesResources } from "./kubernetes-schema";
export {
  hangingTool,
  runHostScript,
  runHostScriptAsync,
  shimDirectory,
  waitForFile,
  type HostRun,
  type ShimCall,
  type ShimWorld,
  type Shims,
  type HostScriptOptions,
} from "./host-shims";
export { hermeticPath, MACHINE_TOOLS, SCRIPT_UTILITIES, type HermeticPathOptions } from "./hermetic-path";
export { USERS_KUBECONFIG } from "./kubeconfigs";
export { shellcheck } from "./shellcheck";
export { freePort, startPostgres, startRedis, type LocalPostgres, type LocalServer } from "./servers";
export { assertReadmeShowsExample } from "./readme";
export { assertStackInvariants, hostPortMappings, plainSecretInputs } from "./stack-invariants";
export { notRunHere, toolMissing, type RealTool } from "./tool-missing";
export { fixtureCheckout } from "./fixture-checkout";
