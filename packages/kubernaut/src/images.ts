import type { WorkloadImage } from "@e2e-infra/core";
import { ImageBuildLoad, LocalImage, RegistryImage } from "@e2e-infra/image-build-load";
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
}

/**
 * The reference of each prebuilt image, by its name (datastorage, db-migrate, each service's values
 * key): `localhost/<name>:<tag>` in the host's image store, as the service repository's CI loads
 * them (KUBERNAUT_CI_ARTIFACT_TAG), or `<registry>/<name>:<tag>` (IMAGE_REGISTRY, IMAGE_TAG).
 */
export function prebuiltReferences(prebuilt: PrebuiltImages, serviceNames: readonly string[]): Record<string, string> {
  const registry = prebuilt.registry ?? "localhost";
  return Object.fromEntries(["datastorage", "db-migrate", ...serviceNames].map((image) => [image, `${registry}/${image}:${prebuilt.tag}`]));
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
    prebuilt?: PrebuiltImages | undefined;
  },
  parent: pulumi.Resource,
): ReleaseImages {
  const { cluster, repository, coverage, prebuilt } = args;
  const references =
    prebuilt === undefined
      ? {}
      : prebuiltReferences(
          prebuilt,
          args.services.map((service) => service.name),
        );
  const take = (imageName: string): WorkloadImage =>
    prebuilt?.registry === undefined
      ? new LocalImage(`${name}-${imageName}-image`, { cluster, image: references[imageName]! }, { parent })
      : new RegistryImage(`${name}-${imageName}-image`, { cluster, image: references[imageName]! }, { parent });
  const image = (imageName: string, { dockerfile, goPackage }: ServiceDefinition): WorkloadImage =>
    prebuilt !== undefined
      ? take(imageName)
      : serviceImage(
          `${name}-${imageName}-image`,
          { cluster, repository, imageName: `localhost/kubernaut-${imageName}`, dockerfile, goPackage, coverage },
          { parent },
        );
  const dataStorage = image("datastorage", DATA_STORAGE);
  const migrate =
    prebuilt !== undefined
      ? take("db-migrate")
      : new ImageBuildLoad(
          `${name}-db-migrate-image`,
          {
            cluster,
            imageName: "localhost/kubernaut-db-migrate",
            context: repository,
            dockerfile: MIGRATE_DOCKERFILE,
            sources: [MIGRATE_DOCKERFILE],
          },
          { parent },
        );
  const services = Object.fromEntries(args.services.map((service) => [service.name, image(service.name, service.definition)]));
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
