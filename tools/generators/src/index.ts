export { default as serviceStack, footprints, FIRST_HOST_PORT, planStack, type ServiceStackOptions } from "./service-stack/generator";
export { stackFiles, type StackPlan } from "./service-stack/files";
export { workspaceWithStacks, writeGeneratedStack } from "./service-stack/workspace";
