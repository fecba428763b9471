import { ChartObjects, objectKey, renderChart } from "@e2e-infra/chart";
import {
  ArgumentError,
  claimNodePort,
  COVERAGE,
  hostCommand,
  inClusterOptions,
  loadScript,
  requireClusterTarget,
  requireDns1123Label,
  requireOptionalBoolean,
  requireOptionalRecord,
  subjectOf,
  type ManifestObject,
} from "@e2e-infra/core";
import { CustomResourceDefinitions, readDefinitions } from "@e2e-infra/crds";
import { ImageBuildLoad } from "@e2e-infra/image-build-load";
import type { KindCluster } from "@e2e-infra/kind-cluster";
import { InterServiceTls, RandomKey, SigningCertificate } from "@e2e-infra/tls";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import type { RepositoryCommit } from "./stack-config";
import { serviceImage } from "./environment";

/** The service repository's HEAD the HEAD stacks were verified against. */
export const KUBERNAUT_HEAD: RepositoryCommit = {
  repository: "jordigilh/kubernaut",
  commit: "d5a4a870967312d98dbc302ac2ae3505087bfcb0",
  date: "2026-08-22",
};

const CHART = "charts/kubernaut";
const TEMPLATES = {
  dataStorage: "templates/datastorage/datastorage.yaml",
  rbac: "templates/rbac/datastorage-rbac.yaml",
  postgres: "templates/infrastructure/postgresql.yaml",
  valkey: "templates/infrastructure/valkey.yaml",
  migrations: "templates/hooks/migration-job.yaml",
  gateway: "templates/gateway/gateway.yaml",
};
const DOCKERFILES = {
  dataStorage: "docker/data-storage.Dockerfile",
  migrate: "docker/db-migrate.Dockerfile",
  gateway: "docker/gateway.Dockerfile",
};
const PACKAGES = { dataStorage: "cmd/datastorage", gateway: "cmd/gateway" };
const CRDS = `${CHART}/crds`;

/** The paths of a HEAD checkout KubernautRelease reads (give them to requireServiceRepository). */
export function kubernautReleasePaths(gateway: boolean): string[] {
  const templates = Object.entries(TEMPLATES)
    .filter(([name]) => gateway || name !== "gateway")
    .map(([, template]) => `${CHART}/${template}`);
  return [
    `${CHART}/Chart.yaml`,
    ...templates,
    CRDS,
    "migrations",
    DOCKERFILES.dataStorage,
    DOCKERFILES.migrate,
    PACKAGES.dataStorage,
    ...(gateway ? [DOCKERFILES.gateway, PACKAGES.gateway] : []),
  ];
}

// The chart renders one registry and tag for every Kubernaut image; these placeholders are
// replaced by each image's own content-hash tag (ChartObjects `images`).
const PLACEHOLDER_TAG = "chart-placeholder";
const placeholder = (service: string) => `localhost/${service}:${PLACEHOLDER_TAG}`;

/** The suite's fixed database credentials (the suites connect with them; a throwaway cluster's). */
const DATABASE = { user: "slm_user", password: "test_password", name: "action_history" };

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
  /** The Gateway too, with the NodePorts the suite maps. */
  gateway?: { http: number; health?: number; metrics?: number };
  /**
   * Seed the ActionTypes the suites' workflows name (ACTION_TYPES), Active, as the Go setup's
   * SeedActionTypesViaCRD does for the suites that do not seed them themselves. Needs `kubectl`
   * on the host and a cluster with a kubeconfig file.
   */
  actionTypes?: boolean;
}

/**
 * The ActionTypes the suites' test workflows name (their names are the suites'; the descriptions
 * are ours): metadata.name and spec.name.
 */
export const ACTION_TYPES: readonly { name: string; specName: string; what: string; whenToUse: string }[] = [
  { name: "delete-pod", specName: "DeletePod", what: "Delete pods outright.", whenToUse: "Pods are stuck and cannot be restarted." },
  { name: "drain-node", specName: "DrainNode", what: "Cordon and drain a node.", whenToUse: "A node-level fault affects its workloads." },
  {
    name: "fix-authorization-policy",
    specName: "FixAuthorizationPolicy",
    what: "Correct a service mesh authorization policy.",
    whenToUse: "A policy denies legitimate traffic.",
  },
  {
    name: "fix-certificate",
    specName: "FixCertificate",
    what: "Restore the CA Secret behind a certificate issuer.",
    whenToUse: "Certificates stay not ready for a missing CA.",
  },
  {
    name: "increase-memory-limits",
    specName: "IncreaseMemoryLimits",
    what: "Raise containers' memory limits.",
    whenToUse: "Containers are OOM-killed under limits set too low.",
  },
  {
    name: "restart-deployment",
    specName: "RestartDeployment",
    what: "Restart all pods of a workload, rolling.",
    whenToUse: "A fault in state affects the whole workload.",
  },
  { name: "restart-pod", specName: "RestartPod", what: "Recreate pods.", whenToUse: "A transient fault a new process would clear." },
  {
    name: "rollback-deployment",
    specName: "RollbackDeployment",
    what: "Return a deployment to its previous revision.",
    whenToUse: "A recent rollout brought a regression.",
  },
  {
    name: "increase-cpu-limits",
    specName: "IncreaseCPULimits",
    what: "Raise containers' CPU limits.",
    whenToUse: "Throttling from CPU limits set too low.",
  },
  {
    name: "scale-replicas",
    specName: "ScaleReplicas",
    what: "Change a workload's replica count.",
    whenToUse: "Capacity is short for the load.",
  },
  {
    name: "reconfigure-resource",
    specName: "ReconfigureResource",
    what: "Correct fields of a resource's spec.",
    whenToUse: "A misconfiguration a spec change fixes.",
  },
];

const scripts = join(__dirname, "..", "scripts");
const SEED_ACTION_TYPES = loadScript(join(scripts, "seed-action-types.sh"));

/**
 * The service repository's own Helm chart (charts/kubernaut) at HEAD, rendered with test values
 * and registered object by object: PostgreSQL and Valkey, the goose migrations Job, DataStorage
 * with its RBAC and, optionally, the Gateway. Around it, what the chart expects to exist
 * (tls.mode=manual): the inter-service CA and certificates, the signing certificate, the
 * database, Valkey and audit HMAC Secrets, the hook ServiceAccount, the CRDs; and the images,
 * built from the checkout's Dockerfiles and loaded into the cluster.
 */
export class KubernautRelease extends pulumi.ComponentResource {
  readonly namespace: pulumi.Output<string>;
  readonly crds: CustomResourceDefinitions;
  readonly images: { dataStorage: ImageBuildLoad; migrate: ImageBuildLoad; gateway?: ImageBuildLoad };
  /** The CA file beside the kubeconfig, where the suites read it. */
  readonly caFile: pulumi.Output<string> | undefined;
  /** The objects of the chart, by "Kind/name" across the release. */
  readonly resources: Readonly<Record<string, pulumi.CustomResource>>;

  constructor(name: string, args: KubernautReleaseArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const subject = subjectOf("KubernautRelease", name);
    validateReleaseArgs(subject, args);
    const gateway = args.gateway !== undefined;
    const templates = Object.entries(TEMPLATES)
      .filter(([key]) => gateway || key !== "gateway")
      .map(([, template]) => template);
    const objects = renderChart(subject, {
      chart: join(args.repository, CHART),
      release: "kubernaut",
      namespace: args.namespace,
      values: chartValues(args),
      templates,
      kubeVersion: "1.36.1",
    });
    super("e2e-infra:index:KubernautRelease", name, {}, opts);
    const cluster = args.cluster;
    const options = inClusterOptions(cluster, this);

    const namespaceResource = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      { metadata: { name: args.namespace, ...(args.namespaceLabels === undefined ? {} : { labels: args.namespaceLabels }) } },
      options,
    );
    this.namespace = namespaceResource.metadata.name;
    const namespace = this.namespace;

    // No workload reads the CRDs at start (DataStorage stopped at HEAD: server_routes.go); the
    // suites create and watch kubernaut.ai objects, so they are installed, with no edge to a workload.
    this.crds = new CustomResourceDefinitions(`${name}-crds`, { cluster, paths: [join(args.repository, CRDS)] }, { parent: this });
    const crd = (crdName: string): pulumi.Output<string> => {
      const found = this.crds.established[crdName];
      if (found === undefined)
        throw new ArgumentError(subject, "repository", args.repository, `expected ${CRDS} to hold the CRD ${crdName}`);
      return found;
    };

    const image = (service: "dataStorage" | "gateway", imageName: string) =>
      serviceImage(
        `${name}-${imageName}-image`,
        {
          cluster,
          repository: args.repository,
          imageName: `localhost/kubernaut-${imageName}`,
          dockerfile: DOCKERFILES[service],
          goPackage: PACKAGES[service],
          coverage: args.coverage,
        },
        { parent: this },
      );
    this.images = {
      dataStorage: image("dataStorage", "datastorage"),
      // goose and psql; its Dockerfile reads nothing else of the checkout.
      migrate: new ImageBuildLoad(
        `${name}-db-migrate-image`,
        {
          cluster,
          imageName: "localhost/kubernaut-db-migrate",
          context: args.repository,
          dockerfile: DOCKERFILES.migrate,
          sources: [DOCKERFILES.migrate],
        },
        { parent: this },
      ),
      ...(gateway ? { gateway: image("gateway", "gateway") } : {}),
    };

    // What the chart expects to exist with tls.mode=manual (charts/kubernaut values.yaml, tls).
    // The servers that speak TLS: DataStorage and Valkey (the Gateway serves plain HTTP and
    // trusts the CA through inter-service-ca).
    const certificates = [
      { serviceName: "data-storage-service", secretName: "datastorage-tls" },
      { serviceName: "valkey", secretName: "valkey-tls" },
    ];
    const tls = new InterServiceTls(`${name}-tls`, { cluster, namespace, services: certificates }, { parent: this });
    this.caFile = tls.caFile;
    const signing = new SigningCertificate(
      `${name}-signing`,
      { cluster, namespace, secretName: "datastorage-signing-cert" },
      { parent: this },
    );
    const password = pulumi.secret(DATABASE.password);
    const secret = (resource: string, secretName: string, stringData: Record<string, pulumi.Input<string>>) =>
      new k8s.core.v1.Secret(`${name}-${resource}`, { metadata: { name: secretName, namespace }, stringData }, options).metadata.name;
    const hmac = new RandomKey(`${name}-audit-hmac`, { bytes: 32 }, { parent: this });
    const hookAccount = new k8s.core.v1.ServiceAccount(`${name}-hook-sa`, { metadata: { name: "kubernaut-hook-sa", namespace } }, options);
    const references: Record<string, pulumi.Input<string>> = {
      "Secret/postgresql-secret": secret("postgresql-secret", "postgresql-secret", {
        POSTGRES_USER: DATABASE.user,
        POSTGRES_PASSWORD: password,
        POSTGRES_DB: DATABASE.name,
        "db-secrets.yaml": pulumi.interpolate`username: ${DATABASE.user}\npassword: ${password}\n`,
      }),
      // Valkey runs without a password (the chart's valkey.yaml sets no requirepass).
      "Secret/valkey-secret": secret("valkey-secret", "valkey-secret", { "valkey-secrets.yaml": 'password: ""\n' }),
      "Secret/datastorage-audit-hmac-key": secret("audit-hmac-key", "datastorage-audit-hmac-key", {
        "audit-hmac-key.yaml": pulumi.interpolate`hmacKey: ${hmac.base64}\n`,
      }),
      "ConfigMap/inter-service-ca": tls.caConfigMapName,
      "Secret/datastorage-signing-cert": signing.secretName,
      "ServiceAccount/kubernaut-hook-sa": hookAccount.metadata.name,
      ...Object.fromEntries(certificates.map(({ serviceName, secretName }) => [`Secret/${secretName}`, tls.secretNames[serviceName]!])),
    };

    // Three groups, so each waits for exactly what the one before gives it: the migrations Job
    // is named after the database's claim (a new claim, a new database: the Job runs again), and
    // DataStorage's pods name the Job (they start once the schema is there, as the Go setup
    // orders it: datastorage.go, "migrations must finish before DS starts").
    const migrationKeys = ["ConfigMap/kubernaut-migrations", "Job/kubernaut-db-migration"];
    const dataStorageKey = "Deployment/datastorage";
    const images = { [placeholder("datastorage")]: this.images.dataStorage.image, [placeholder("db-migrate")]: this.images.migrate.image };
    if (this.images.gateway !== undefined) images[placeholder("gateway")] = this.images.gateway.image;
    const pick = (keys: string[]) => objects.filter((object) => keys.includes(objectKey(object)));
    const imagesOf = (group: ManifestObject[]) =>
      Object.fromEntries(Object.entries(images).filter(([rendered]) => JSON.stringify(group).includes(JSON.stringify(rendered))));

    const baseObjects = objects.filter((object) => ![...migrationKeys, dataStorageKey].includes(objectKey(object)));
    const base = new ChartObjects(
      `${name}-chart`,
      {
        cluster,
        namespace,
        objects: baseObjects,
        images: imagesOf(baseObjects),
        references,
        patches: {
          "Service/data-storage-service": (service) => withNodePorts(service, args.dataStorageNodePorts),
          // The Go setup's PostgreSQL: more connections than the default 100 for the suite's
          // parallel processes and DataStorage's pool (datastorage.go, `-c max_connections=200`).
          "Deployment/postgresql": (deployment) =>
            patchContainers(deployment, (container) => ({ ...container, args: ["-c", "max_connections=200"] })),
          ...(args.postgresNodePort === undefined
            ? {}
            : { "Service/postgresql": (service: ManifestObject) => withNodePorts(service, { postgresql: args.postgresNodePort! }) }),
          ...(args.gateway === undefined
            ? {}
            : {
                "Service/gateway-service": (service: ManifestObject) => withNodePorts(service, args.gateway!),
                // Its informer cache watches RemediationRequests (pkg/gateway/server_constructors.go):
                // its pods name that CRD, so they start once it is Established.
                "Deployment/gateway": (deployment: ManifestObject) => {
                  const withCrds = withPodAnnotations(deployment, {
                    "e2e-infra.dev/crds": crd("remediationrequests.kubernaut.ai"),
                  });
                  return args.coverage ? withCoverage(withCrds) : withCrds;
                },
              }),
        },
      },
      { parent: this },
    );

    const claimUid = (base.resources["PersistentVolumeClaim/postgresql-data"] as k8s.core.v1.PersistentVolumeClaim).metadata.uid;
    const migrationObjects = pick(migrationKeys);
    const migrations = new ChartObjects(
      `${name}-migrations`,
      {
        cluster,
        namespace,
        objects: migrationObjects,
        images: imagesOf(migrationObjects),
        references: { ...references, ...base.names },
        patches: {
          // Named after its content and immutable: a changed migration set is a new ConfigMap,
          // and with it a new Job.
          "ConfigMap/kubernaut-migrations": (configMap) => ({
            ...configMap,
            metadata: { ...configMap.metadata, name: `kubernaut-migrations-${digest(configMap["data"]).slice(0, 10)}` },
            immutable: true,
          }),
          // Helm reruns its hook on every upgrade; here the Job's identity is the migration set
          // and the database's claim, so it runs once per database, and again for a new set or a
          // new database. A Job that failed is replaced by the next `up` (replaceUnready), and it
          // is not deleted behind Pulumi's back (no ttlSecondsAfterFinished).
          "Job/kubernaut-db-migration": (job) => {
            const { ttlSecondsAfterFinished: _ttl, ...spec } = job["spec"] as Record<string, unknown>;
            const annotations = (job.metadata["annotations"] ?? {}) as Record<string, string>;
            return {
              ...job,
              metadata: {
                ...job.metadata,
                name: claimUid.apply((uid) => `kubernaut-db-migration-${digest(migrationObjects).slice(0, 8)}-${uid.slice(0, 8)}`),
                annotations: { ...annotations, "pulumi.com/replaceUnready": "true" },
              },
              spec,
            };
          },
        },
      },
      { parent: this },
    );

    const dataStorageObjects = pick([dataStorageKey]);
    const dataStorage = new ChartObjects(
      `${name}-datastorage`,
      {
        cluster,
        namespace,
        objects: dataStorageObjects,
        images: imagesOf(dataStorageObjects),
        references: { ...references, ...base.names },
        patches: {
          [dataStorageKey]: (deployment) => {
            const withJob = withPodAnnotations(deployment, { "e2e-infra.dev/migrations": migrations.names["Job/kubernaut-db-migration"]! });
            return args.coverage ? withCoverage(withJob) : withJob;
          },
        },
      },
      { parent: this },
    );
    this.resources = { ...base.resources, ...migrations.resources, ...dataStorage.resources };

    if (args.actionTypes === true) {
      const environment = {
        KUBECONFIG: cluster.kubeconfigPath!,
        NAMESPACE: namespace,
        ACTION_TYPES: ACTION_TYPES.map((type) =>
          stringify({
            apiVersion: "kubernaut.ai/v1alpha1",
            kind: "ActionType",
            metadata: { name: type.name },
            spec: { name: type.specName, description: { what: type.what, whenToUse: type.whenToUse } },
          }),
        ).join("---\n"),
        ACTION_TYPE_NAMES: ACTION_TYPES.map((type) => type.name).join("\n"),
        CRD: crd("actiontypes.kubernaut.ai"),
      };
      hostCommand(
        `${name}-action-types`,
        {
          create: SEED_ACTION_TYPES,
          environment,
          // They live in the namespace: a new namespace (a new cluster) is seeded again. No
          // refresh check: with the cluster gone, kubectl could not tell, and the new namespace
          // re-seeds them anyway.
          triggers: [namespaceResource.metadata.uid],
        },
        { parent: this },
      );
    }
    this.registerOutputs({ namespace: this.namespace });
  }
}

/**
 * Checks KubernautRelease's arguments before it renders or registers anything: the cluster, the
 * namespace (a DNS-1123 label: the chart renders it into its objects), the checkout and the paths
 * it reads, the NodePorts (each once in the cluster), the labels and coverage.
 */
function validateReleaseArgs(subject: string, args: KubernautReleaseArgs): void {
  requireClusterTarget(subject, "cluster", args.cluster);
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
  const gateway = requireOptionalRecord(subject, "gateway", args.gateway, "expected the Gateway's NodePorts, e.g. { http: 30080 }");
  const missing = kubernautReleasePaths(gateway !== undefined).filter((path) => !existsSync(join(repository, path)));
  if (missing.length > 0) {
    throw new ArgumentError(
      subject,
      "repository",
      repository,
      `expected a checkout of the service repository at ${KUBERNAUT_HEAD.commit.slice(0, 9)} or later; it has no ${missing.join(", ")}`,
    );
  }
  // The CRDs the release's objects wait for by name: the Gateway's informer and the seeded kind.
  const crds = new Set(readDefinitions(subject, [join(repository, CRDS)]).map((definition) => definition.metadata.name));
  const needed = [
    ...(gateway === undefined ? [] : ["remediationrequests.kubernaut.ai"]),
    ...(args.actionTypes === true ? ["actiontypes.kubernaut.ai"] : []),
  ];
  for (const name of needed) {
    if (!crds.has(name)) throw new ArgumentError(subject, "repository", repository, `expected ${CRDS} to hold the CRD ${name}`);
  }
  requireOptionalBoolean(subject, "coverage", args.coverage);
  if (requireOptionalBoolean(subject, "actionTypes", args.actionTypes) === true && args.cluster.kubeconfigPath === undefined) {
    throw new ArgumentError(
      subject,
      "actionTypes",
      true,
      "expected a cluster with a kubeconfig file (KindCluster kubeconfigPath): kubectl seeds them",
    );
  }
  const ports = (field: string, value: unknown, required: boolean) => {
    const record = requireOptionalRecord(subject, field, value, "expected NodePorts by port name, e.g. { http: 30081, health: 30281 }");
    if (record === undefined) {
      if (required) throw new ArgumentError(subject, field, value, "expected NodePorts by port name, e.g. { http: 30081, health: 30281 }");
      return;
    }
    for (const [port, nodePort] of Object.entries(record)) {
      if (!["http", "health", "metrics"].includes(port)) {
        throw new ArgumentError(
          subject,
          `${field}.${port}`,
          nodePort,
          "expected a NodePort for http, health or metrics (the chart's port names)",
        );
      }
      claimNodePort(subject, `${field}.${port}`, args.cluster, nodePort);
    }
    if (record["http"] === undefined) throw new ArgumentError(subject, `${field}.http`, undefined, "expected the API's NodePort");
  };
  ports("dataStorageNodePorts", args.dataStorageNodePorts, true);
  if (args.postgresNodePort !== undefined) claimNodePort(subject, "postgresNodePort", args.cluster, args.postgresNodePort);
  if (gateway !== undefined) ports("gateway", gateway, true);
}

/** The values the environments render the chart with. */
export function chartValues(args: Pick<KubernautReleaseArgs, "dataStorageNodePorts" | "gateway">): Record<string, unknown> {
  return {
    global: {
      image: { registry: "localhost", namespace: "", tag: PLACEHOLDER_TAG, pullPolicy: "IfNotPresent" },
      // Required by the chart's schema and its kubernaut-agent template, which helm renders even
      // when only other templates are shown; no template used here reads them.
      llmProfiles: { unused: { provider: "openai", model: "unused", credentialsSecretName: "unused" } },
    },
    signalprocessing: { policies: { existingConfigMap: "unused" } },
    aianalysis: { policies: { existingConfigMap: "unused" } },
    // The stack makes the CA, certificates and signing certificate (@e2e-infra/tls), kept in its state.
    tls: { mode: "manual" },
    postgresql: { storage: { size: "1Gi" } },
    datastorage: {
      service: { type: "NodePort", nodePort: args.dataStorageNodePorts.http },
      // The suite's parallel processes share one source address: the chart's 50/s would throttle them.
      config: { server: { rateLimit: { requestsPerSecond: 10000, burst: 20000 } } },
      logging: { level: "DEBUG" },
    },
    gateway:
      args.gateway === undefined
        ? { enabled: false }
        : {
            enabled: true,
            service: { type: "NodePort", nodePort: args.gateway.http },
            // The suite's CORS test expects its dashboard origin allowed; the Go setup leaves
            // CORS at the code's default, every origin (pkg/http/cors).
            config: { cors: { allowedOrigins: ["*"] } },
          },
  };
}

function digest(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex");
}

/**
 * The Service with a NodePort on each named port the suite maps (the chart sets one on the
 * main port only).
 */
function withNodePorts(service: ManifestObject, nodePorts: Record<string, number | undefined>): ManifestObject {
  const spec = service["spec"] as { ports: Record<string, unknown>[] };
  const ports = spec.ports.map((port) => {
    const nodePort = nodePorts[port["name"] as string];
    return nodePort === undefined ? port : { ...port, nodePort };
  });
  return { ...service, spec: { ...spec, type: "NodePort", ports } };
}

function patchContainers(workload: ManifestObject, patch: (container: Record<string, unknown>) => Record<string, unknown>): ManifestObject {
  const spec = workload["spec"] as { template: { spec: { containers: Record<string, unknown>[] } } };
  return {
    ...workload,
    spec: {
      ...spec,
      template: { ...spec.template, spec: { ...spec.template.spec, containers: spec.template.spec.containers.map(patch) } },
    },
  };
}

function withPodAnnotations(workload: ManifestObject, annotations: Record<string, pulumi.Input<string>>): ManifestObject {
  const spec = workload["spec"] as { template: { metadata?: { annotations?: Record<string, unknown> } } };
  const metadata = spec.template.metadata ?? {};
  return {
    ...workload,
    spec: { ...spec, template: { ...spec.template, metadata: { ...metadata, annotations: { ...metadata.annotations, ...annotations } } } },
  };
}

/**
 * Coverage as the Go setup adds it (DD-TEST-007): GOCOVERDIR on the node's /coverdata, written
 * as root (the chart's pods run as non-root, which a root user contradicts, so that goes too).
 */
function withCoverage(workload: ManifestObject): ManifestObject {
  const withEnv = patchContainers(workload, (container) => ({
    ...container,
    env: [...((container["env"] as unknown[]) ?? []), COVERAGE.env],
    volumeMounts: [...((container["volumeMounts"] as unknown[]) ?? []), COVERAGE.mount],
  }));
  const spec = withEnv["spec"] as { template: { spec: Record<string, unknown> } };
  const pod = spec.template.spec;
  return {
    ...withEnv,
    spec: {
      ...spec,
      template: {
        ...spec.template,
        spec: {
          ...pod,
          securityContext: { ...(pod["securityContext"] as object), runAsNonRoot: false, ...COVERAGE.securityContext },
          volumes: [...((pod["volumes"] as unknown[]) ?? []), COVERAGE.volume],
        },
      },
    },
  };
}
