import type { WorkloadImage } from "@e2e-infra/core";
import { LocalImage, RegistryImage } from "@e2e-infra/image-build-load";
import type { KindCluster } from "@e2e-infra/kind-cluster";
import { serviceImage } from "@e2e-infra/stack-kit";
import type * as pulumi from "@pulumi/pulumi";
import { chartImage } from "./chart-values";
import { MIGRATE_DOCKERFILE } from "./release-args";
import { DATA_STORAGE, type ServiceDefinition } from "./services";

/** The release's images: DataStorage's, the migrations', and each service's, by name. */
export interface ReleaseImages {
  dataStorage: WorkloadImage;
  migrate: WorkloadImage;
  services: Record<string, WorkloadImage>;
  /** Each image by the reference the chart renders for it (ChartObjects `images`). */
  byChartImage: Record<string, pulumi.Output<string>>;
}

/** Images built beforehand (KubernautRelease `prebuiltImages`): by tag, from the host's image store or a registry. */
export interface PrebuiltImages {
  tag: string;
  registry?: string;
  /** Images built from the checkout nonetheless, by name (the services being worked on): the others are taken by tag. */
  build?: readonly string[];
}

/**
 * The reference of each prebuilt image, by its name (datastorage, db-migrate, each service's values
 * key): `localhost/<name>:<tag>` in the host's image store, as the service repository's CI loads
 * them (KUBERNAUT_CI_ARTIFACT_TAG), or `<registry>/<name>:<tag>` (IMAGE_REGISTRY, IMAGE_TAG).
 */
export function prebuiltReferences(prebuilt: PrebuiltImages, imageNames: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    releaseImageNames(imageNames)
      .filter((image) => !isBuilt(prebuilt, image))
      .map((image) => [image, prebuiltReference(prebuilt, image)]),
  );
}

/** Every image of a release by name: DataStorage's, the migrations', then `imageNames` (its services', a stack's own). */
export function releaseImageNames(imageNames: readonly string[]): string[] {
  return ["datastorage", "db-migrate", ...imageNames];
}

/** Whether an image is built from the checkout all the same: named in the prebuilt images' `build`. */
function isBuilt(prebuilt: PrebuiltImages, imageName: string): boolean {
  return (prebuilt.build ?? []).includes(imageName);
}

/** The reference of one prebuilt image. */
export function prebuiltReference(prebuilt: PrebuiltImages, imageName: string): string {
  return `${prebuilt.registry ?? "localhost"}/${imageName}:${prebuilt.tag}`;
}

/**
 * An image of the checkout: built from its Dockerfile and loaded into the cluster; or, with
 * `prebuilt`, taken by tag from the host's image store (loaded) or a registry (the nodes pull it).
 */
export function checkoutImage(
  name: string,
  args: {
    cluster: KindCluster;
    repository: string;
    coverage: boolean;
    imageName: string;
    dockerfile: string;
    goPackage?: string;
    sources?: string[];
    buildArgs?: Record<string, string> | undefined;
    prebuilt?: PrebuiltImages | undefined;
  },
  opts: pulumi.ComponentResourceOptions,
): WorkloadImage {
  const { cluster, prebuilt } = args;
  if (prebuilt === undefined || isBuilt(prebuilt, args.imageName)) {
    const { repository, coverage, dockerfile, goPackage, sources, buildArgs } = args;
    return serviceImage(
      name,
      {
        cluster,
        repository,
        imageName: `localhost/kubernaut-${args.imageName}`,
        dockerfile,
        coverage,
        ...(goPackage === undefined ? {} : { goPackage }),
        ...(sources === undefined ? {} : { sources }),
        ...(buildArgs === undefined ? {} : { buildArgs }),
      },
      opts,
    );
  }
  const image = prebuiltReference(prebuilt, args.imageName);
  return prebuilt.registry === undefined
    ? new LocalImage(name, { cluster, image }, opts)
    : new RegistryImage(name, { cluster, image }, opts);
}

/**
 * The release's images: built from the checkout's Dockerfiles and loaded into the cluster; or, with
 * `prebuilt`, taken by tag from the host's image store (loaded) or a registry (the nodes pull them).
 */
export function releaseImages(
  name: string,
  args: {
    cluster: KindCluster;
    repository: string;
    coverage: boolean;
    services: readonly { name: string; definition: ServiceDefinition }[];
    buildArgs?: Record<string, string> | undefined;
    prebuilt?: PrebuiltImages | undefined;
  },
  parent: pulumi.Resource,
): ReleaseImages {
  const { cluster, repository, coverage, prebuilt, buildArgs } = args;
  const image = (imageName: string, build: { dockerfile: string; goPackage?: string; sources?: string[]; coverage?: boolean }) =>
    checkoutImage(`${name}-${imageName}-image`, { cluster, repository, coverage, imageName, prebuilt, buildArgs, ...build }, { parent });
  const dataStorage = image("datastorage", DATA_STORAGE);
  // The migrations' image: its Dockerfile copies the migrations, no Go program to cover.
  const migrate = image("db-migrate", { dockerfile: MIGRATE_DOCKERFILE, sources: [MIGRATE_DOCKERFILE], coverage: false });
  const services = Object.fromEntries(
    args.services.map((service) => [service.name, image(service.definition.image ?? service.name, service.definition)]),
  );
  return {
    dataStorage,
    migrate,
    services,
    byChartImage: {
      [chartImage("datastorage")]: dataStorage.image,
      [chartImage("db-migrate")]: migrate.image,
      ...Object.fromEntries(
        args.services.map((service) => [chartImage(service.definition.image ?? service.name), services[service.name]!.image]),
      ),
    },
  };
}
