import {
  ArgumentError,
  claimNodePort,
  requireClusterTarget,
  requireDns1123Label,
  isDns1123Label,
  isImageReference,
  requireDns1123Subdomain,
  requireNodePort,
  requireOptionalBoolean,
  requireOptionalRecord,
  requireOptionalStringList,
  type ManifestObject,
} from "@e2e-infra/core";
import { readDefinitions } from "@e2e-infra/crds";
import { requireBuildArgs } from "@e2e-infra/image-build-load";
import type { KindCluster } from "@e2e-infra/kind-cluster";
import { requireHostPath, type InterServiceTls } from "@e2e-infra/tls";
import type { RepositoryCommit } from "@e2e-infra/stack-kit";
import * as pulumi from "@pulumi/pulumi";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import type { PrebuiltImages } from "./images";
import { readWorkflows } from "./workflows";
import { DATA_STORAGE, KUBERNAUT_SERVICES, type ServiceCertificate, type ServiceDefinition } from "./services";

/** The service repository's HEAD the stacks were verified against. */
export const KUBERNAUT_HEAD: RepositoryCommit = {
  repository: "jordigilh/kubernaut",
  commit: "d5a4a870967312d98dbc302ac2ae3505087bfcb0",
  date: "2026-08-22",
};

export const CHART = "charts/kubernaut";
export const CRDS = `${CHART}/crds`;
/** goose and psql; its Dockerfile reads nothing else of the checkout. */
export const MIGRATE_DOCKERFILE = "docker/db-migrate.Dockerfile";

/** A service under test in the release. */
export interface ServiceArgs {
  /** What the service is; default: its entry in KUBERNAUT_SERVICES (required for any other service). */
  definition?: ServiceDefinition;
  /** NodePorts on its Service's ports, by the chart's port names, as the suite's kind config maps them. */
  nodePorts?: Record<string, number>;
  /** Chart values for the service, merged over its definition's, e.g. signalprocessing's `policies.content`. */
  values?: Record<string, unknown>;
  /**
   * Changes to its rendered objects by "Kind/name", where the suite differs from what the chart's
   * values can say (ChartObjects `patches`; say why where you give one).
   */
  patches?: Record<string, (object: ManifestObject) => ManifestObject>;
  /**
   * What its pods wait for besides their own objects and the CRDs it watches, by a name of yours,
   * e.g. { tekton: tekton.ready }: pod annotations `e2e-infra.dev/<name>`.
   */
  waitsFor?: Record<string, pulumi.Input<string>>;
}

export interface KubernautReleaseArgs {
  cluster: KindCluster;
  /** A checkout of the service repository at (or near) KUBERNAUT_HEAD. */
  repository: string;
  /** The release namespace, created here. */
  namespace: string;
  namespaceLabels?: Record<string, string>;
  /** Build with GOFLAGS=-cover and run with GOCOVERDIR=/coverdata (DD-TEST-007). */
  coverage: boolean;
  /** NodePorts of DataStorage's Service the suite maps: the API (https) and, when mapped, health and metrics. */
  dataStorageNodePorts: { http: number; health?: number; metrics?: number };
  /** A NodePort for PostgreSQL, when the suite connects to it from the host. */
  postgresNodePort?: number;
  /** The services under test, by the chart's values key, with the NodePorts the suite maps. */
  services?: Record<string, ServiceArgs>;
  /** Further certificates signed by the release's CA, for workloads beside the chart's (release.tls.secretNames). */
  certificates?: readonly ServiceCertificate[];
  /**
   * Where the CA certificate is written on the host (InterServiceTls `caFile`), for a suite that
   * reads it elsewhere than beside the kubeconfig. Default: `inter-service-ca.pem` there.
   */
  caFile?: string;
  /**
   * Images built beforehand, taken by tag instead of built from the checkout: each is
   * `localhost/<name>:<tag>` in the host's image store, loaded into the cluster (the service
   * repository's CI loads its images so and names the tag in KUBERNAUT_CI_ARTIFACT_TAG); with
   * `registry`, `<registry>/<name>:<tag>`, which the nodes pull (IMAGE_REGISTRY, IMAGE_TAG). The
   * names: datastorage, db-migrate and each service's values key. Coverage is then the images'
   * own (built with GOFLAGS=-cover or not). Those named in `build` are built from the checkout
   * all the same (the service being worked on, beside CI's images of the others).
   */
  prebuiltImages?: PrebuiltImages;
  /**
   * `--build-arg` values for every image built from the checkout, e.g. the repository's
   * Dockerfiles' BUILDER_IMAGE and BASE_IMAGE pointing at a mirror of their UBI images (the
   * Dockerfiles that pin their FROM lines ignore them). Part of each image's tag.
   */
  buildArgs?: Record<string, string>;
  /**
   * Workloads beside the release, in its namespace, that its services wait for (e.g. Dex, whose keys
   * the Kubernaut Agent fetches when it starts): called once the namespace and the TLS material
   * exist, it makes them and returns what each service waits for, by service and name, besides its
   * `waitsFor` (pod annotations `e2e-infra.dev/<name>`).
   */
  beside?: (release: { namespace: pulumi.Output<string>; tls: InterServiceTls }) => Record<string, Record<string, pulumi.Input<string>>>;
  /**
   * Chart values beside the services' own (merged over the release's), e.g. { monitoring: {
   * prometheus: { enabled: true, url } } } for EffectivenessMonitor.
   */
  values?: Record<string, unknown>;
  /**
   * Secrets the chart's objects refer to that the chart leaves to the installer (e.g. the
   * Notification's delivery credentials, values notification.credentials), by name: each key and
   * its value. Created in the release namespace, their data Pulumi secrets; the pods that mount
   * one wait for it.
   */
  secrets?: Record<string, Record<string, pulumi.Input<string>>>;
  /**
   * Seed the ActionTypes the suites' workflows name (ACTION_TYPES), Active, as the Go setup's
   * SeedActionTypesViaCRD does for the suites that do not seed them themselves. Needs `kubectl`
   * on the host and a cluster with a kubeconfig file.
   */
  actionTypes?: boolean;
  /**
   * RemediationWorkflow files of the checkout to register through the AuthWebhook, as the suites'
   * setups do (needs services.authwebhook and actionTypes): their ids, by name, are `workflowIds`.
   */
  workflows?: readonly string[];
}

/** A service under test with its definition resolved. */
export interface ReleaseService extends ServiceArgs {
  name: string;
  definition: ServiceDefinition;
}

/** The services under test of `services`, each with its definition (given, or the known one). */
export function releaseServices(services: KubernautReleaseArgs["services"]): ReleaseService[] {
  return Object.entries(services ?? {}).map(([name, settings]) => ({
    ...settings,
    name,
    definition: settings?.definition ?? KUBERNAUT_SERVICES[name]!,
  }));
}

/** The chart's templates a release with these services renders. */
export function releaseTemplates(services: readonly ReleaseService[]): string[] {
  return [...DATA_STORAGE.templates, ...services.flatMap((service) => service.definition.templates)];
}

/** The paths of a HEAD checkout a release of these services reads (give them to requireServiceRepository). */
export function kubernautReleasePaths(services: KubernautReleaseArgs["services"] = {}): string[] {
  const resolved = releaseServices(services);
  return [
    `${CHART}/Chart.yaml`,
    ...releaseTemplates(resolved).map((template) => `${CHART}/${template}`),
    CRDS,
    "migrations",
    MIGRATE_DOCKERFILE,
    ...[DATA_STORAGE, ...resolved.map((service) => service.definition)].flatMap(({ dockerfile, goPackage }) => [dockerfile, goPackage]),
  ];
}

/** The keys of a service's arguments, and of a definition's. */
const SERVICE_KEYS = ["definition", "nodePorts", "values", "patches", "waitsFor"];
const DEFINITION_STRINGS = ["dockerfile", "goPackage", "service", "deployment"] as const;
const DEFINITION_LISTS = ["templates", "ports", "watches", "tlsPorts", "webhooks", "omit"] as const;

/** Checks a stack's own definition of a service, field by field. */
function validateDefinition(subject: string, field: string, value: unknown): void {
  const definition = requireOptionalRecord(subject, field, value, "expected a ServiceDefinition (templates, dockerfile, goPackage, ...)")!;
  for (const key of DEFINITION_STRINGS) {
    if (typeof definition[key] !== "string" || definition[key] === "")
      throw new ArgumentError(subject, `${field}.${key}`, definition[key], "expected a non-empty string");
  }
  for (const key of DEFINITION_LISTS) requireOptionalStringList(subject, `${field}.${key}`, definition[key], '["..."]');
  for (const key of ["templates", "ports", "watches"]) {
    if (definition[key] === undefined) throw new ArgumentError(subject, `${field}.${key}`, undefined, "expected a list of strings");
  }
  for (const [index, certificate] of ((definition["certificates"] as unknown[] | undefined) ?? []).entries()) {
    validateCertificate(subject, `${field}.certificates[${index}]`, certificate);
  }
}

function validateCertificate(subject: string, field: string, value: unknown): void {
  const certificate = requireOptionalRecord(subject, field, value, 'expected { serviceName: "my-service", secretName: "my-service-tls" }');
  requireDns1123Label(subject, `${field}.serviceName`, certificate?.["serviceName"]);
  requireDns1123Label(subject, `${field}.secretName`, certificate?.["secretName"]);
}

/** NodePorts by the chart's port names: each a port the Service has, each claimed once in the cluster. */
function validateNodePorts(subject: string, field: string, value: unknown, cluster: KindCluster | undefined, portNames: readonly string[]) {
  const record = requireOptionalRecord(subject, field, value, "expected NodePorts by port name, e.g. { http: 30081 }") ?? {};
  for (const [port, nodePort] of Object.entries(record)) {
    if (!portNames.includes(port)) {
      const names = portNames.length < 2 ? portNames.join("") : `${portNames.slice(0, -1).join(", ")} or ${portNames.at(-1)!}`;
      throw new ArgumentError(
        subject,
        `${field}.${port}`,
        nodePort,
        `expected a NodePort for ${names || "none of its ports"} (the chart's port names)`,
      );
    }
    if (cluster === undefined) requireNodePort(subject, `${field}.${port}`, nodePort);
    else claimNodePort(subject, `${field}.${port}`, cluster, nodePort);
  }
  return record;
}

function validateService(subject: string, cluster: KindCluster | undefined, name: string, value: unknown): void {
  const field = `services.${name}`;
  const settings = requireOptionalRecord(
    subject,
    field,
    value ?? {},
    "expected { definition?, nodePorts?, values?, patches?, waitsFor? }",
  )!;
  for (const key of Object.keys(settings)) {
    if (!SERVICE_KEYS.includes(key))
      throw new ArgumentError(subject, `${field}.${key}`, settings[key], `expected ${SERVICE_KEYS.join(", ")}`);
  }
  if (settings["definition"] !== undefined) validateDefinition(subject, `${field}.definition`, settings["definition"]);
  else if (!Object.hasOwn(KUBERNAUT_SERVICES, name)) {
    throw new ArgumentError(
      subject,
      field,
      value,
      `expected a service the package knows (${Object.keys(KUBERNAUT_SERVICES).join(", ")}), or its definition: { definition: { templates, dockerfile, goPackage, service, ports, deployment, watches } }`,
    );
  }
  const definition = (settings["definition"] as ServiceDefinition | undefined) ?? KUBERNAUT_SERVICES[name]!;
  const patches = requireOptionalRecord(subject, `${field}.patches`, settings["patches"], 'expected patches by "Kind/name"');
  for (const [key, patch] of Object.entries(patches ?? {})) {
    if (typeof patch !== "function") throw new ArgumentError(subject, `${field}.patches.${key}`, patch, "expected a function");
  }
  const waitsFor = requireOptionalRecord(
    subject,
    `${field}.waitsFor`,
    settings["waitsFor"],
    "expected values by name, e.g. { tekton: tekton.ready }",
  );
  for (const [key, wait] of Object.entries(waitsFor ?? {})) {
    // The name becomes the annotation e2e-infra.dev/<name>: a DNS-1123 label keeps it a valid key.
    requireDns1123Label(subject, `${field}.waitsFor`, key);
    if (typeof wait !== "string" && !pulumi.Output.isInstance(wait)) {
      throw new ArgumentError(subject, `${field}.waitsFor.${key}`, wait, "expected a string or an Output");
    }
  }
  requireOptionalRecord(subject, `${field}.values`, settings["values"], "expected chart values for the service");
  validateNodePorts(subject, `${field}.nodePorts`, settings["nodePorts"], cluster, definition.ports);
}

/**
 * Checks KubernautRelease's arguments before it renders or registers anything: the cluster, the
 * namespace (a DNS-1123 label: the chart renders it into its objects), the checkout and the paths
 * it reads, the services and their definitions, the NodePorts (each once in the cluster), the
 * labels, certificates and coverage.
 */
export function validateReleaseArgs(subject: string, args: KubernautReleaseArgs): void {
  requireClusterTarget(subject, "cluster", args.cluster);
  validateReleaseInputs(subject, args, args.cluster);
}

/**
 * validateReleaseArgs without a cluster (NodePorts are checked but not claimed): what a stack checks
 * before it registers the cluster, so a bad release argument fails before anything is created.
 */
export function validateReleaseInputs(subject: string, args: Omit<KubernautReleaseArgs, "cluster">, cluster?: KindCluster): void {
  requireDns1123Label(subject, "namespace", args.namespace);
  const labels = requireOptionalRecord(
    subject,
    "namespaceLabels",
    args.namespaceLabels,
    'expected labels, e.g. { test: "datastorage-e2e" }',
  );
  for (const [key, value] of Object.entries(labels ?? {})) {
    if (typeof value !== "string") throw new ArgumentError(subject, `namespaceLabels.${key}`, value, "expected a string");
  }
  const repository: unknown = args.repository;
  if (typeof repository !== "string" || !existsSync(repository) || !statSync(repository).isDirectory()) {
    throw new ArgumentError(subject, "repository", repository, "expected a checkout of the service repository (an existing directory)");
  }
  const services = requireOptionalRecord(
    subject,
    "services",
    args.services,
    "expected the services under test by name, e.g. { gateway: { nodePorts: { http: 30080 } } }",
  );
  for (const [name, value] of Object.entries(services ?? {})) validateService(subject, cluster, name, value);
  if (args.certificates !== undefined && !Array.isArray(args.certificates)) {
    throw new ArgumentError(
      subject,
      "certificates",
      args.certificates,
      'expected a list, e.g. [{ serviceName: "dex", secretName: "dex-tls" }]',
    );
  }
  for (const [index, certificate] of (args.certificates ?? []).entries())
    validateCertificate(subject, `certificates[${index}]`, certificate);
  validatePrebuiltImages(subject, args.prebuiltImages);
  if (args.caFile !== undefined) requireHostPath(subject, "caFile", args.caFile);
  requireBuildArgs(subject, "buildArgs", args.buildArgs);
  if (args.beside !== undefined && typeof args.beside !== "function") {
    throw new ArgumentError(subject, "beside", args.beside, "expected a function ({ namespace, tls }) => what each service waits for");
  }
  requireOptionalRecord(subject, "values", args.values, "expected chart values, e.g. { monitoring: { prometheus: { enabled: true } } }");
  const example = 'e.g. { "delivery-credentials": { "slack-success": "http://mock-webhook:8080/webhook" } }';
  for (const [secretName, data] of Object.entries(
    requireOptionalRecord(subject, "secrets", args.secrets, `expected Secrets by name, ${example}`) ?? {},
  )) {
    requireDns1123Subdomain(subject, `secrets.${secretName}`, secretName);
    const keys = requireOptionalRecord(subject, `secrets.${secretName}`, data, `expected its keys and values, ${example}`) ?? {};
    if (Object.keys(keys).length === 0)
      throw new ArgumentError(subject, `secrets.${secretName}`, data, `expected at least one key, ${example}`);
    for (const [key, value] of Object.entries(keys)) {
      if (!/^[-._a-zA-Z0-9]+$/.test(key))
        throw new ArgumentError(
          subject,
          `secrets.${secretName}`,
          key,
          "expected keys of letters, digits, '-', '_' and '.' (a Secret's data keys)",
        );
      if (
        value === undefined ||
        value === null ||
        (typeof value !== "string" && !pulumi.Output.isInstance(value) && !(value instanceof Promise))
      )
        throw new ArgumentError(subject, `secrets.${secretName}.${key}`, value, "expected a string (or a Pulumi Input of one)");
    }
  }
  const missing = kubernautReleasePaths(args.services).filter((path) => !existsSync(join(repository, path)));
  if (missing.length > 0) {
    throw new ArgumentError(
      subject,
      "repository",
      repository,
      `expected a checkout of the service repository at ${KUBERNAUT_HEAD.commit.slice(0, 9)} or later; it has no ${missing.join(", ")}`,
    );
  }
  // The CRDs the release's objects wait for by name: the services' informers' and the seeded kind.
  const crds = new Set(readDefinitions(subject, [join(repository, CRDS)]).map((definition) => definition.metadata.name));
  const needed = [
    ...releaseServices(args.services).flatMap((service) => service.definition.watches),
    ...(args.actionTypes === true ? ["actiontypes.kubernaut.ai"] : []),
  ];
  for (const name of needed) {
    if (!crds.has(name)) throw new ArgumentError(subject, "repository", repository, `expected ${CRDS} to hold the CRD ${name}`);
  }
  requireOptionalBoolean(subject, "coverage", args.coverage);
  if (
    readWorkflows(subject, repository, args.workflows).length > 0 &&
    (services?.["authwebhook"] === undefined || args.actionTypes !== true)
  ) {
    throw new ArgumentError(
      subject,
      "workflows",
      args.workflows,
      "expected them with services.authwebhook and actionTypes: true (the AuthWebhook registers them, against the seeded ActionTypes)",
    );
  }
  if (
    requireOptionalBoolean(subject, "actionTypes", args.actionTypes) === true &&
    cluster !== undefined &&
    cluster.kubeconfigPath === undefined
  ) {
    throw new ArgumentError(
      subject,
      "actionTypes",
      true,
      "expected a cluster with a kubeconfig file (KindCluster kubeconfigPath): kubectl seeds them",
    );
  }
  const dataStorageNodePorts = "expected NodePorts by port name, e.g. { http: 30081, health: 30281 }";
  if (args.dataStorageNodePorts === undefined) throw new ArgumentError(subject, "dataStorageNodePorts", undefined, dataStorageNodePorts);
  const dataStorage = validateNodePorts(subject, "dataStorageNodePorts", args.dataStorageNodePorts, cluster, DATA_STORAGE.ports);
  if (dataStorage["http"] === undefined)
    throw new ArgumentError(subject, "dataStorageNodePorts.http", undefined, "expected the API's NodePort");
  if (args.postgresNodePort === undefined) return;
  if (cluster === undefined) requireNodePort(subject, "postgresNodePort", args.postgresNodePort);
  else claimNodePort(subject, "postgresNodePort", cluster, args.postgresNodePort);
}

/** `prebuiltImages`: a tag as container image tags are, and a registry that makes references of them. */
function validatePrebuiltImages(subject: string, prebuilt: unknown): void {
  if (prebuilt === undefined) return;
  const example = 'e.g. { tag: "ci-1234" } or { tag: "ci-1234", registry: "quay.io/kubernaut-ci" }';
  const given = requireOptionalRecord(subject, "prebuiltImages", prebuilt, `expected the images' tag, ${example}`) ?? {};
  const { tag, registry, build } = given as { tag?: unknown; registry?: unknown; build?: unknown };
  if (typeof tag !== "string" || !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) {
    throw new ArgumentError(
      subject,
      "prebuiltImages.tag",
      tag,
      "expected an image tag: letters, digits, '_', '.' and '-', at most 128, not starting with '.' or '-'",
    );
  }
  if (registry !== undefined) {
    if (typeof registry !== "string" || !isImageReference(`${registry}/datastorage:${tag}`)) {
      throw new ArgumentError(
        subject,
        "prebuiltImages.registry",
        registry,
        'expected a registry and path to put the image names under, e.g. "quay.io/kubernaut-ci" (lower case, no trailing "/")',
      );
    }
  }
  if (build !== undefined && (!Array.isArray(build) || !build.every((name) => typeof name === "string" && isDns1123Label(name)))) {
    throw new ArgumentError(
      subject,
      "prebuiltImages.build",
      build,
      'expected a list of image names to build from the checkout, e.g. ["gateway"]',
    );
  }
}
