import { DataStorage } from "@e2e-infra/data-storage";
import { ImageBuildLoad } from "@e2e-infra/image-build-load";
import { API_THROUGHPUT_PATCH, KindCluster, type Mount } from "@e2e-infra/kind-cluster";
import { Migrations } from "@e2e-infra/migrations";
import { Postgres } from "@e2e-infra/postgres";
import { Redis } from "@e2e-infra/redis";
import * as pulumi from "@pulumi/pulumi";
import { join } from "node:path";
import type { StackSettings } from "./stack-config";

/**
 * The cluster every reference suite uses: a control plane and a worker, the API throughput
 * kubeadm patch, host ports mapped on the control plane (`mappings`: HostPort config key ->
 * NodePort), and with coverage on, `<coverdataDir>` mounted at /coverdata on both nodes.
 */
export function referenceCluster(settings: StackSettings, mappings: Record<string, number>, coverdataDir?: string): KindCluster {
  const mounts: Mount[] | undefined =
    settings.coverage && coverdataDir !== undefined ? [{ hostPath: coverdataDir, containerPath: "/coverdata" }] : undefined;
  return new KindCluster("cluster", {
    name: settings.clusterName,
    containerRuntime: settings.containerRuntime,
    kubeconfigPath: settings.kubeconfigPath,
    kubeadmConfigPatches: [API_THROUGHPUT_PATCH],
    nodes: [
      {
        role: "control-plane",
        extraPortMappings: Object.entries(mappings).map(([key, nodePort]) => ({
          containerPort: nodePort,
          hostPort: settings.hostPorts[key]!,
        })),
        ...(mounts === undefined ? {} : { extraMounts: mounts }),
      },
      { role: "worker", ...(mounts === undefined ? {} : { extraMounts: mounts }) },
    ],
  });
}

/**
 * An image of the service repository, built from `dockerfile` with the checkout as context and
 * loaded into the cluster; with coverage on, built with GOFLAGS=-cover (DD-TEST-007).
 */
export function serviceImage(
  name: string,
  args: { cluster: KindCluster; repository: string; imageName: string; dockerfile: string; coverage: boolean },
  opts: pulumi.ComponentResourceOptions = {},
): ImageBuildLoad {
  return new ImageBuildLoad(
    name,
    {
      cluster: args.cluster,
      imageName: args.imageName,
      context: args.repository,
      dockerfile: args.dockerfile,
      ...(args.coverage ? { buildArgs: { GOFLAGS: "-cover" } } : {}),
    },
    opts,
  );
}

/** What DataTier reads from the service repository: DataStorage's Dockerfile and the migrations directory. */
export const DATA_TIER_PATHS = { dockerfile: "docker/data-storage.Dockerfile", migrations: "migrations" } as const;

export interface DataTierArgs {
  cluster: KindCluster;
  namespace: pulumi.Input<string>;
  /** The service repository checkout: docker/data-storage.Dockerfile and migrations/ are read from it. */
  repository: string;
  /** Default 30081. */
  dataStorageNodePort?: number;
  /** Expose Postgres on this NodePort. Default: not exposed. */
  postgresNodePort?: number;
  /** Apply only these migrations (file names or versions). Default: all. */
  migrations?: (string | number)[];
  coverage?: boolean;
}

/**
 * The data tier of every reference suite: the DataStorage image built from the checkout,
 * Postgres, Redis, the checkout's migrations, and DataStorage. Each waits only for what it uses
 * (see the components); the image builds while the cluster is being created.
 */
export class DataTier extends pulumi.ComponentResource {
  readonly image: ImageBuildLoad;
  readonly database: Postgres;
  readonly redis: Redis;
  readonly migrations: Migrations;
  readonly dataStorage: DataStorage;

  constructor(name: string, args: DataTierArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("e2e-infra:index:DataTier", name, {}, opts);
    const { cluster, namespace } = args;
    const parent = { parent: this };
    this.image = serviceImage(
      `${name}-datastorage-image`,
      {
        cluster,
        repository: args.repository,
        imageName: "localhost/datastorage",
        dockerfile: DATA_TIER_PATHS.dockerfile,
        coverage: args.coverage === true,
      },
      parent,
    );
    this.database = new Postgres(
      `${name}-postgres`,
      { cluster, namespace, ...(args.postgresNodePort === undefined ? {} : { nodePort: args.postgresNodePort }) },
      parent,
    );
    this.redis = new Redis(`${name}-redis`, { cluster, namespace }, parent);
    this.migrations = new Migrations(
      `${name}-migrations`,
      {
        cluster,
        namespace,
        database: this.database,
        directory: join(args.repository, DATA_TIER_PATHS.migrations),
        ...(args.migrations === undefined ? {} : { only: args.migrations }),
      },
      parent,
    );
    this.dataStorage = new DataStorage(
      `${name}-datastorage`,
      {
        cluster,
        namespace,
        image: this.image,
        database: this.database,
        redis: this.redis,
        migrations: this.migrations,
        nodePort: args.dataStorageNodePort ?? 30081,
        coverage: args.coverage === true,
      },
      parent,
    );
    this.registerOutputs({ dataStorageUrl: this.dataStorage.url });
  }
}

/**
 * The Postgres URL a test suite on the host uses (through the kind host port mapped to the
 * Postgres NodePort): a secret, resolving once Postgres is ready.
 */
export function hostPostgresUrl(database: Postgres, hostPort: number): pulumi.Output<string> {
  return pulumi.secret(
    pulumi
      .all([database.user, database.password, database.database])
      .apply(
        ([user, password, name]) => `postgresql://${user}:${encodeURIComponent(password)}@localhost:${hostPort}/${name}?sslmode=disable`,
      ),
  );
}
