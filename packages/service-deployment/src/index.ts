export { ServiceDeployment, type ServiceDeploymentArgs } from "./service-deployment";
export type { ConfigFiles, EnvValue, HttpProbe, PolicyRule, PortSpec, ProjectedConfig, SecretFiles } from "./spec";
