import { ArgumentError, isImageReference, requireOptionalRecord, type WorkloadImage } from "@e2e-infra/core";
import { requireLocalImages } from "@e2e-infra/image-build-load";
import type { KindCluster } from "@e2e-infra/kind-cluster";
import { readStackSettings, requireServiceRepository, type StackSettings } from "@e2e-infra/stack-kit";
import * as pulumi from "@pulumi/pulumi";
import { checkoutImage, prebuiltReferences, releaseImageNames, type PrebuiltImages } from "./images";
import { KubernautRelease } from "./release";
import { KUBERNAUT_HEAD, kubernautReleasePaths, validateReleaseInputs, type KubernautReleaseArgs, type ServiceArgs } from "./release-args";
import { DATA_STORAGE, KUBERNAUT_SERVICES, type ServiceDefinition } from "./services";
import { suiteCluster } from "./suite-cluster";

/**
 * A host port of the stack: its config key names it once. `nodePort` is the node port the suite's
 * kind config maps to it; `service` and `port` say what serves it: "datastorage", "postgresql" or
 * a service of `services`, on the Service's port of that name (default "http"). A port the suite's
 * kind config maps that nothing of the release serves (the suite deploys it itself, or nothing
 * listens) is a bare node port.
 */
export type StackPort = number | { nodePort: number; service: string; port?: string };

export interface KubernautStackArgs {
  /** The suite's kind config, relative to the checkout, e.g. "test/infrastructure/kind-gateway-config.yaml". */
  kindConfig: string;
  /** The directory, relative to the checkout, the suite runs in: its kind config's relative mount paths start there. */
  workingDir: string;
  /** The stack's host ports by config key (each `...HostPort`), default the suite's own. */
  ports: Record<string, StackPort>;
  /** The services under test, by the chart's values key (their NodePorts come from `ports`). */
  services?: Record<string, Omit<ServiceArgs, "nodePorts">>;
  /** The release namespace. Default "kubernaut-system". */
  namespace?: string;
  namespaceLabels?: Record<string, string>;
  /** Seed the ActionTypes the suites' workflows name (KubernautRelease `actionTypes`). */
  actionTypes?: boolean;
  /** RemediationWorkflow files of the checkout to register (KubernautRelease `workflows`). */
  workflows?: readonly string[];
  /** Further certificates from the release's CA, for workloads beside the chart's. */
  certificates?: KubernautReleaseArgs["certificates"];
  /** Where the release's CA file goes, when the suite reads it elsewhere than beside the kubeconfig (KubernautRelease `caFile`). */
  caFile?: string;
  /** Chart values beside the services' own (KubernautRelease `values`). */
  values?: KubernautReleaseArgs["values"];
  /** Secrets the chart's objects mount that the chart leaves to the installer (KubernautRelease `secrets`). */
  secrets?: KubernautReleaseArgs["secrets"];
  /**
   * Mounts the suite's setup adds to the control-plane node in code rather than in its kind config
   * (paths relative to the checkout); `coverageOnly` where the Go setup adds it only with coverage.
   */
  extraMounts?: readonly { hostPath: string; containerPath: string; coverageOnly?: boolean }[];
  /**
   * The suite's own images besides the release's (e.g. its mock LLM), by image name: built from the
   * checkout's Dockerfile, or with imageTag taken prebuilt as the release's are; `image(name)` gives each.
   */
  images?: Record<string, { dockerfile: string; goPackage: string }>;
  /** Further paths of the checkout the stack reads itself. */
  paths?: readonly string[];
  /** The stack's config keys besides its host ports and serviceRepository (readStackSettings). */
  otherKeys?: readonly string[];
}

export interface KubernautStack {
  settings: StackSettings;
  /** The service repository's checkout, with every path the stack reads. */
  repository: string;
  /** The suite's own kind cluster. */
  cluster: KindCluster;
  /**
   * The release, registered on the first call (give what its services wait for that the stack
   * makes on the cluster first, e.g. { workflowexecution: { tekton: tekton.ready } }).
   */
  release(waitsFor?: Record<string, Record<string, pulumi.Input<string>>>, beside?: KubernautReleaseArgs["beside"]): KubernautRelease;
  /** The URL of a host port key, resolved once what serves it is ready (PostgreSQL's: a secret, with the password). */
  url(hostPortKey: string): pulumi.Output<string>;
  /** One of the suite's own `images`, registered on the first call (pass it where an ImageBuildLoad goes). */
  image(name: string): WorkloadImage;
}

/**
 * A stack for a suite of the service repository at HEAD: its settings (a host port key per node
 * port the suite's kind config maps), the checkout (every path the stack and its release read),
 * the release's arguments, all checked before anything is registered; then the suite's own
 * cluster, and the repository's chart released on it with the services under test.
 */
export function kubernautStack(stacksDir: string, args: KubernautStackArgs): KubernautStack {
  const { ports, services = {} } = args;
  const settings = readStackSettings(stacksDir, Object.keys(ports), [
    "serviceRepository",
    ...PREBUILT_KEYS,
    ...Object.keys(BUILD_KEYS),
    ...(args.otherKeys ?? []),
  ]);
  const subject = `Stack "${settings.stack}"`;
  const buildArgs = builderArgs(settings);
  const extraImages = args.images ?? {};
  const prebuilt = prebuiltImages(settings, [
    // (A service neither known nor defined is refused with the release's arguments, below.)
    ...Object.keys(services).map((name) => definitionOf(name, services)?.image ?? name),
    ...Object.keys(extraImages),
  ]);
  const nodePorts = releaseNodePorts(subject, ports, services);
  const releaseArgs: Omit<KubernautReleaseArgs, "cluster"> = {
    repository: "",
    namespace: args.namespace ?? "kubernaut-system",
    ...(args.namespaceLabels === undefined ? {} : { namespaceLabels: args.namespaceLabels }),
    coverage: settings.coverage,
    dataStorageNodePorts: nodePorts.datastorage as KubernautReleaseArgs["dataStorageNodePorts"],
    ...(nodePorts.postgresql?.["postgresql"] === undefined ? {} : { postgresNodePort: nodePorts.postgresql["postgresql"] }),
    services: Object.fromEntries(
      Object.entries(services).map(([name, service]) => [
        name,
        { ...service, ...(nodePorts[name] === undefined ? {} : { nodePorts: nodePorts[name] }) },
      ]),
    ),
    ...(args.actionTypes === undefined ? {} : { actionTypes: args.actionTypes }),
    ...(args.certificates === undefined ? {} : { certificates: args.certificates }),
    ...(args.caFile === undefined ? {} : { caFile: args.caFile }),
    ...(args.secrets === undefined ? {} : { secrets: args.secrets }),
    ...(args.values === undefined ? {} : { values: args.values }),
    ...(prebuilt === undefined ? {} : { prebuiltImages: prebuilt }),
    ...(buildArgs === undefined ? {} : { buildArgs }),
    ...(args.workflows === undefined ? {} : { workflows: args.workflows }),
  };
  const repository = requireServiceRepository(
    settings,
    [
      args.kindConfig,
      ...kubernautReleasePaths(releaseArgs.services),
      ...(args.workflows ?? []),
      ...Object.values(extraImages).flatMap(({ dockerfile, goPackage }) => [dockerfile, goPackage]),
      ...(args.paths ?? []),
    ],
    KUBERNAUT_HEAD,
  );
  releaseArgs.repository = repository;
  validateReleaseInputs(`KubernautRelease "kubernaut"`, releaseArgs);
  const cluster = suiteCluster(settings, repository, {
    kindConfig: args.kindConfig,
    nodePorts: Object.fromEntries(Object.entries(ports).map(([key, port]) => [key, typeof port === "number" ? port : port.nodePort])),
    workingDir: args.workingDir,
    verifiedAgainst: KUBERNAUT_HEAD,
    extraMounts: (args.extraMounts ?? []).filter((mount) => settings.coverage || mount.coverageOnly !== true),
  });
  let release: KubernautRelease | undefined;
  const images: Record<string, WorkloadImage> = {};
  return {
    settings,
    repository,
    cluster,
    release(waitsFor = {}, beside) {
      if (release !== undefined) throw new Error(`${subject}: its release is registered once`);
      const withWaits = Object.fromEntries(
        Object.entries(releaseArgs.services ?? {}).map(([name, service]) => [
          name,
          waitsFor[name] === undefined ? service : { ...service, waitsFor: { ...service.waitsFor, ...waitsFor[name] } },
        ]),
      );
      release = new KubernautRelease("kubernaut", {
        ...releaseArgs,
        cluster,
        services: withWaits,
        ...(beside === undefined ? {} : { beside }),
      });
      return release;
    },
    image(name) {
      const build = extraImages[name];
      if (build === undefined)
        throw new Error(`${subject}: no image ${name} in its images (${Object.keys(extraImages).join(", ") || "none"})`);
      images[name] ??= checkoutImage(
        `${name}-image`,
        { cluster, repository, coverage: settings.coverage, imageName: name, prebuilt, buildArgs, ...build },
        {},
      );
      return images[name];
    },
    url(hostPortKey) {
      const port = ports[hostPortKey];
      if (release === undefined || port === undefined || typeof port === "number") {
        throw new Error(
          `${subject}: no release serves host port key ${hostPortKey} (register the release first; the keys it serves: ${Object.keys(ports)
            .filter((key) => typeof ports[key] !== "number")
            .join(", ")})`,
        );
      }
      const hostPort = settings.hostPorts[hostPortKey]!;
      if (port.service === "postgresql")
        return pulumi.secret(release.readyUrl("postgresql", "")).apply(() => release!.postgresUrl(hostPort));
      // releaseNodePorts checked that it is datastorage or a service of services.
      const definition = port.service === "datastorage" ? DATA_STORAGE : definitionOf(port.service, services)!;
      const scheme = definition.tlsPorts?.includes(port.port ?? "http") ? "https" : "http";
      return release.readyUrl(definition.deployment, `${scheme}://localhost:${hostPort}`);
    },
  };
}

/** The config keys of prebuilt images (every kubernaut stack reads them; checked by stack-kit's optional-key checks). */
const PREBUILT_KEYS = ["imageTag", "imageRegistry", "buildImages"];

/** The config keys of the builds' images: the repository's Dockerfiles' BUILDER_IMAGE and BASE_IMAGE build arguments. */
const BUILD_KEYS = { builderImage: "BUILDER_IMAGE", baseImage: "BASE_IMAGE" } as const;

/**
 * Config `builderImage` and `baseImage`: the images the repository's Dockerfiles build FROM
 * instead of their pinned UBI images (a mirror, or images made locally), as build arguments of
 * every image built from the checkout. Each must be an image reference; neither goes with
 * `imageTag`, which builds nothing.
 */
function builderArgs(settings: StackSettings): Record<string, string> | undefined {
  const args: Record<string, string> = {};
  for (const [key, arg] of Object.entries(BUILD_KEYS)) {
    const value = settings.config.get(key);
    if (value === undefined) continue;
    const field = `config ${settings.project}:${key}`;
    if (!isImageReference(value))
      throw new ArgumentError(
        `Stack "${settings.stack}"`,
        field,
        value,
        "expected an image reference, e.g. mirror.example.com/ubi10/go-toolset:1.26",
      );
    if (settings.config.get("imageTag") !== undefined && settings.config.get("buildImages") === undefined)
      throw new ArgumentError(
        `Stack "${settings.stack}"`,
        field,
        value,
        `expected it unset while config ${settings.project}:imageTag is set and buildImages is not (prebuilt images are not built)`,
      );
    args[arg] = value;
  }
  return Object.keys(args).length === 0 ? undefined : args;
}

/**
 * Config `imageTag` (and `imageRegistry`): the release's images built beforehand, by tag, but those
 * config `buildImages` names (comma-separated, e.g. "gateway": the services being worked on; only
 * with imageTag, checked with the optional keys), built from the checkout. From the host's image
 * store, each prebuilt one must be there now: one that is not fails here, before anything is
 * registered, naming the config key, the image and what it is for.
 */
function prebuiltImages(settings: StackSettings, imageNames: readonly string[]): PrebuiltImages | undefined {
  const subject = `Stack "${settings.stack}"`;
  const tag = settings.config.get("imageTag");
  const buildImages = settings.config.get("buildImages");
  const build = buildImages?.split(",").map((name) => name.trim());
  if (build !== undefined) {
    const names = releaseImageNames(imageNames);
    const unknown = build.find((name) => !names.includes(name));
    if (unknown !== undefined)
      throw new ArgumentError(
        subject,
        `config ${settings.project}:buildImages`,
        buildImages,
        `expected image names of this stack, comma-separated (${names.join(", ")}); ${JSON.stringify(unknown)} is none`,
      );
  }
  if (tag === undefined) return undefined;
  const prebuilt: PrebuiltImages = { tag, ...(build === undefined ? {} : { build }) };
  const registry = settings.config.get("imageRegistry");
  if (registry !== undefined) return { ...prebuilt, registry };
  requireLocalImages(
    subject,
    `config ${settings.project}:imageTag`,
    prebuiltReferences(prebuilt, imageNames),
    settings.containerRuntime ?? "docker",
  );
  return prebuilt;
}

/** A service's definition: the stack's own, else the known one; none for a service neither (refused with the release's arguments). */
function definitionOf(service: string, services: KubernautStackArgs["services"] = {}): ServiceDefinition | undefined {
  return services[service]?.definition ?? KUBERNAUT_SERVICES[service];
}

/** The NodePorts of the release's Services by service and port name, from the stack's ports (each named once). */
function releaseNodePorts(
  subject: string,
  ports: Record<string, StackPort>,
  services: NonNullable<KubernautStackArgs["services"]>,
): Record<string, Record<string, number>> {
  const nodePorts: Record<string, Record<string, number>> = {};
  for (const [key, port] of Object.entries(
    requireOptionalRecord(
      subject,
      "ports",
      ports,
      'expected host port keys, e.g. { dataStorageHostPort: { nodePort: 30081, service: "datastorage" } }',
    ) ?? {},
  )) {
    if (typeof port === "number") continue;
    const { nodePort, service, port: name = service === "postgresql" ? "postgresql" : "http" } = (port ?? {}) as Exclude<StackPort, number>;
    if (service !== "datastorage" && service !== "postgresql" && !Object.hasOwn(services, service)) {
      throw new ArgumentError(
        subject,
        `ports.${key}.service`,
        service,
        `expected datastorage, postgresql or a service of services (${Object.keys(services).join(", ") || "none"})`,
      );
    }
    nodePorts[service] = { ...nodePorts[service], [name]: nodePort };
  }
  if (nodePorts["datastorage"]?.["http"] === undefined) {
    throw new ArgumentError(
      subject,
      "ports",
      Object.keys(ports),
      'expected a host port key for DataStorage\'s API: { nodePort: 30081, service: "datastorage" }',
    );
  }
  return nodePorts;
}
