import { ArgumentError, cacheDirectory, subjectOf } from "@e2e-infra/core";
import { DataStorage } from "@e2e-infra/data-storage";
import { ImageBuildLoad } from "@e2e-infra/image-build-load";
import { API_THROUGHPUT_PATCH, KindCluster, type Mount } from "@e2e-infra/kind-cluster";
import { Migrations } from "@e2e-infra/migrations";
import { Postgres } from "@e2e-infra/postgres";
import { Redis } from "@e2e-infra/redis";
import * as pulumi from "@pulumi/pulumi";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { isAbsolute, join, posix } from "node:path";
import { validateDataTierArgs } from "./data-tier-args";
import { clusterSettings, type StackSettings } from "./stack-config";

/**
 * The cluster every reference suite uses: a control plane and a worker, the API throughput
 * kubeadm patch, host ports mapped on the control plane (`mappings`: HostPort config key ->
 * NodePort), and with coverage on, `<coverdataDir>` mounted at /coverdata on both nodes.
 */
export function referenceCluster(settings: StackSettings, mappings: Record<string, number>, coverdataDir?: string): KindCluster {
  const mounts: Mount[] | undefined =
    settings.coverage && coverdataDir !== undefined ? [{ hostPath: coverdataDir, containerPath: "/coverdata" }] : undefined;
  return new KindCluster("cluster", {
    ...clusterSettings(settings),
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
 *
 * The checkout is every image's context, so the content hash is narrowed to what this image's
 * build reads: with `goPackage`, what `go build ./<goPackage>` reads (`goBuildSources`), plus
 * `sources`. A change to another service's code then rebuilds nothing here.
 *
 * Built with Podman, every image's build shares Go's module and build caches with every other
 * (GO_BUILD_CACHES): after the first build, modules are not downloaded again and a one-line
 * change compiles one package. Docker's builder cannot mount them without editing the Dockerfile.
 */
export function serviceImage(
  name: string,
  args: {
    cluster: KindCluster;
    repository: string;
    imageName: string;
    dockerfile: string;
    coverage: boolean;
    /**
     * The Go main package the Dockerfile builds, relative to the checkout, e.g. "cmd/gateway".
     * Default: none, and then without `sources` the whole checkout counts.
     */
    goPackage?: string;
    /** Other paths of the checkout the Dockerfile reads, e.g. a file it copies into the image. */
    sources?: string[];
    /** `--build-arg` values besides coverage's GOFLAGS, e.g. { BUILDER_IMAGE: "mirror.example/go-toolset:1.26" }. */
    buildArgs?: Record<string, string>;
  },
  opts: pulumi.ComponentResourceOptions = {},
): ImageBuildLoad {
  const goSources = args.goPackage === undefined ? [] : goBuildSources(subjectOf("serviceImage", name), args.repository, args.goPackage);
  const sources = [...goSources, ...(args.sources ?? [])];
  return new ImageBuildLoad(
    name,
    {
      cluster: args.cluster,
      imageName: args.imageName,
      context: args.repository,
      dockerfile: args.dockerfile,
      ...(args.coverage || args.buildArgs !== undefined
        ? { buildArgs: { ...args.buildArgs, ...(args.coverage ? { GOFLAGS: "-cover" } : {}) } }
        : {}),
      ...(args.goPackage === undefined && args.sources === undefined ? {} : { sources }),
      ...(args.cluster.containerRuntime === "podman" ? { caches: goBuildCaches() } : {}),
    },
    opts,
  );
}

/**
 * Where the service repository's builder (UBI go-toolset: user 1001, HOME and GOPATH under
 * /opt/app-root/src) keeps Go's module cache and build cache. A builder image that keeps them
 * elsewhere (config builderImage) builds as before, without them.
 */
export const GO_TOOLSET_CACHES = { modules: "/opt/app-root/src/go/pkg/mod", build: "/opt/app-root/src/.cache/go-build" } as const;

/**
 * The host directories of GO_TOOLSET_CACHES, shared by every build of every stack:
 * `~/.cache/e2e-infra/build-cache/go-mod` and `.../go-build` (or under $XDG_CACHE_HOME). Their
 * files belong to the builder's user (uid 1001, or what rootless Podman maps it to): remove them
 * with `podman unshare rm -rf <dir>` (rootless) or as root (rootful).
 */
export function goBuildCaches(): { source: string; target: string }[] {
  return [
    { source: cacheDirectory("build-cache", "go-mod"), target: GO_TOOLSET_CACHES.modules },
    { source: cacheDirectory("build-cache", "go-build"), target: GO_TOOLSET_CACHES.build },
  ];
}

/**
 * What `go build ./<goPackage>` reads in a Go module checkout, as paths relative to it: go.mod,
 * go.sum and vendor/ (those present), local `replace` targets, and the directory of the main
 * package and of every package of the module it imports, directly or not (a directory with
 * everything beneath it, so files it embeds count). Imports are read from every non-test .go
 * file whatever its build constraints, so the set errs towards more, never fewer.
 */
export function goBuildSources(subject: string, repository: string, goPackage: string): string[] {
  const start = posix.normalize(goPackage).replace(/\/+$/, "");
  if (isAbsolute(goPackage) || start === ".." || start.startsWith("../") || !isDirectory(join(repository, start))) {
    throw new ArgumentError(
      subject,
      "goPackage",
      goPackage,
      `expected the main package's directory, relative to the checkout ${repository}, e.g. "cmd/gateway"`,
    );
  }
  const goMod = join(repository, "go.mod");
  const module = existsSync(goMod) ? /^\s*module\s+"?([^\s"]+)"?/m.exec(readFileSync(goMod, "utf8"))?.[1] : undefined;
  if (module === undefined) {
    throw new ArgumentError(subject, "repository", repository, "expected a Go module checkout (a go.mod with a module line)");
  }
  const packages = new Set<string>();
  const queue = [start];
  while (queue.length > 0) {
    const dir = queue.pop()!;
    if (packages.has(dir)) continue;
    packages.add(dir);
    for (const imported of goImports(join(repository, dir))) {
      if (imported !== module && !imported.startsWith(`${module}/`)) continue;
      const path = imported === module ? "." : imported.slice(module.length + 1);
      if (isDirectory(join(repository, path))) queue.push(path);
    }
  }
  const replaced = [...readFileSync(goMod, "utf8").matchAll(/=>\s*(\.\/[^\s]+)/g)].map((match) => posix.normalize(match[1]!));
  const dirs = [...packages, ...replaced.filter((path) => existsSync(join(repository, path)))].sort();
  const outermost = dirs.filter(
    (dir, i) => dirs.indexOf(dir) === i && !dirs.some((other) => other !== dir && (other === "." || dir.startsWith(`${other}/`))),
  );
  return [...["go.mod", "go.sum", "vendor"].filter((file) => existsSync(join(repository, file))), ...outermost];
}

/** The import paths of a Go package's non-test files. */
function goImports(dir: string): string[] {
  const imports: string[] = [];
  for (const file of readdirSync(dir).filter((entry) => entry.endsWith(".go") && !entry.endsWith("_test.go"))) {
    if (!statSync(join(dir, file)).isFile()) continue;
    // Imports come before the first declaration; comments are dropped so none is read as one.
    const header = readFileSync(join(dir, file), "utf8")
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/\/\/.*$/gm, "")
      .split(/^(?:func|type|var|const)\b/m)[0]!;
    for (const declaration of header.matchAll(/\bimport\s*(?:\(([^)]*)\)|([^\n]*))/g)) {
      for (const spec of (declaration[1] ?? declaration[2]!).matchAll(/"([^"]+)"|`([^`]+)`/g)) imports.push(spec[1] ?? spec[2]!);
    }
  }
  return imports;
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/**
 * What DataTier reads from the service repository: DataStorage's Dockerfile, its main package
 * and the OpenAPI file its image carries, and the migrations directory.
 */
export const DATA_TIER_PATHS = {
  dockerfile: "docker/data-storage.Dockerfile",
  goPackage: "cmd/datastorage",
  openapi: "api/openapi/data-storage-v1.yaml",
  migrations: "migrations",
} as const;

export interface DataTierArgs {
  cluster: KindCluster;
  namespace: pulumi.Input<string>;
  /** The service repository checkout: the paths of DATA_TIER_PATHS are read from it. */
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
    validateDataTierArgs(subjectOf("DataTier", name), args, Object.values(DATA_TIER_PATHS));
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
        goPackage: DATA_TIER_PATHS.goPackage,
        sources: [DATA_TIER_PATHS.openapi],
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
