import { ImageBuildLoad } from "@e2e-infra/image-build-load";
import type { KindCluster } from "@e2e-infra/kind-cluster";
import { serviceImage } from "@e2e-infra/stack-kit";
import type * as pulumi from "@pulumi/pulumi";
import { chartImage } from "./chart-values";
import { MIGRATE_DOCKERFILE } from "./release-args";
import { DATA_STORAGE, type ServiceDefinition } from "./services";

/** The release's images: DataStorage's, the migrations', and each service's, by name. */
export interface ReleaseImages {
  dataStorage: ImageBuildLoad;
  migrate: ImageBuildLoad;
  services: Record<string, ImageBuildLoad>;
  /** Each image by the reference the chart renders for it (ChartObjects `images`). */
  byChartImage: Record<string, pulumi.Output<string>>;
}

/** Builds the release's images from the checkout's Dockerfiles and loads them into the cluster. */
export function releaseImages(
  name: string,
  args: {
    cluster: KindCluster;
    repository: string;
    coverage: boolean;
    services: readonly { name: string; definition: ServiceDefinition }[];
  },
  parent: pulumi.Resource,
): ReleaseImages {
  const { cluster, repository, coverage } = args;
  const image = (imageName: string, { dockerfile, goPackage }: ServiceDefinition) =>
    serviceImage(
      `${name}-${imageName}-image`,
      { cluster, repository, imageName: `localhost/kubernaut-${imageName}`, dockerfile, goPackage, coverage },
      { parent },
    );
  const dataStorage = image("datastorage", DATA_STORAGE);
  const migrate = new ImageBuildLoad(
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
