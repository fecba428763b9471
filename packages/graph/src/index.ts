export { capture, UNKNOWN, type Capture, type CaptureOptions } from "./capture";
export {
  capturedResource,
  ResourceGraph,
  type CapturedResource,
  type GraphJson,
  type GraphNode,
  type ResourceQuery,
  type ResourceRef,
} from "./graph";
export { defaultOutputs } from "./mock-outputs";
export { captureStack, documentedConfigKeys, loadWithTsNode, missingDeclaredConfig, readStackFiles } from "./stack";
