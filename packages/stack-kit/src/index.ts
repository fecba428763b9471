export { assertNoCollisions, exclusive, footprintOf, readFootprints, type FileReader, type StackFootprint } from "./footprint";
export {
  clusterSettings,
  readStackSettings,
  requireServiceRepository,
  SERVICE_REPOSITORY_ENV,
  type RepositoryCommit,
  type StackSettings,
} from "./stack-config";
export { DATA_TIER_PATHS, DataTier, hostPostgresUrl, referenceCluster, serviceImage, type DataTierArgs } from "./environment";
export { checkOptionalKeys } from "./optional-keys";
