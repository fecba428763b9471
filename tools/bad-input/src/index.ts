import type { BadInput, ComponentCatalogue } from "./catalogue";
import { chartObjects, kubernautRelease } from "./cases/chart";
import { crds } from "./cases/crds";
import { dataStorage } from "./cases/data-storage";
import { dataTier } from "./cases/data-tier";
import { imageBuildLoad } from "./cases/image-build-load";
import { localImage } from "./cases/local-image";
import { registryImage } from "./cases/registry-image";
import { kindCluster } from "./cases/kind-cluster";
import { migrations } from "./cases/migrations";
import { postgres } from "./cases/postgres";
import { redis } from "./cases/redis";
import { serviceDeployment } from "./cases/service-deployment";
import { stackCases } from "./cases/stacks";
import { tekton } from "./cases/tekton";
import { interServiceTls, signingCertificate } from "./cases/tls";

export {
  componentCase,
  problemsOf,
  shown,
  stackCase,
  tryBadInput,
  type BadInput,
  type ComponentCatalogue,
  type ExpectedMessage,
  type Outcome,
} from "./catalogue";
export { stackDirs } from "./cases/stacks";

/** The components of the catalogue, each with its bad inputs. */
export const components: readonly ComponentCatalogue[] = [
  kindCluster,
  imageBuildLoad,
  registryImage,
  localImage,
  postgres,
  redis,
  migrations,
  dataStorage,
  serviceDeployment,
  crds,
  tekton,
  dataTier,
  chartObjects,
  kubernautRelease,
  interServiceTls,
  signingCertificate,
];

/** Every bad input of the catalogue: each component's arguments, then each stack's config keys. */
export function catalogue(): BadInput[] {
  return [...components.flatMap((component) => component.cases), ...stackCases()];
}
