export {
  assertNoCollisions,
  EXCLUSIVE_STACKS,
  exclusive,
  footprintOf,
  readFootprints,
  type FileReader,
  type StackFootprint,
} from "./footprint";
export {
  KUBERNAUT_SNAPSHOT_A,
  readStackSettings,
  requireServiceRepository,
  SERVICE_REPOSITORY_ENV,
  type RepositoryCommit,
  type StackSettings,
} from "./stack-config";
export { DATA_TIER_PATHS, DataTier, hostPostgresUrl, referenceCluster, serviceImage, type DataTierArgs } from "./environment";
export { fixtureCheckout } from "./fixture";
export {
  chartValues,
  KUBERNAUT_HEAD,
  KubernautRelease,
  kubernautReleasePaths,
  SERVICES,
  type KubernautReleaseArgs,
  type ServiceArgs,
  type ServiceName,
} from "./kubernaut-release";
export { headStack, type HeadStack, type HeadStackArgs } from "./head-stack";
export { suiteCluster, type SuiteClusterArgs } from "./suite-cluster";
