import { ChartObjects, objectKey, renderChart } from "@e2e-infra/chart";
import {
  ArgumentError,
  claimNodePort,
  COVERAGE,
  hostCommand,
  type HostCommand,
  inClusterOptions,
  loadScript,
  objectUid,
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
const TEMPLATES = [
  "templates/datastorage/datastorage.yaml",
  "templates/rbac/datastorage-rbac.yaml",
  "templates/infrastructure/postgresql.yaml",
  "templates/infrastructure/valkey.yaml",
  "templates/hooks/migration-job.yaml",
];
const DOCKERFILES = { dataStorage: "docker/data-storage.Dockerfile", migrate: "docker/db-migrate.Dockerfile" };
const CRDS = `${CHART}/crds`;

/**
 * The services under test a release can run beside DataStorage, by the chart's values key: the
 * template that renders each, what builds its image, the Service whose ports the suite maps, its
 * Deployment, and the CRDs its informers watch (its pods start once those are Established: a
 * controller's cache fails to sync without them).
 */
export const SERVICES = {
  gateway: {
    templates: ["templates/gateway/gateway.yaml"],
    dockerfile: "docker/gateway.Dockerfile",
    goPackage: "cmd/gateway",
    service: "gateway-service",
    ports: ["http", "health", "metrics"],
    deployment: "gateway",
    // pkg/gateway/server_constructors.go: its informer cache's only kind.
    watches: ["remediationrequests.kubernaut.ai"],
  },
  signalprocessing: {
    templates: ["templates/signalprocessing/signalprocessing.yaml"],
    dockerfile: "docker/signalprocessing-controller.Dockerfile",
    goPackage: "cmd/signalprocessing",
    service: "signalprocessing-controller-metrics",
    ports: ["metrics"],
    deployment: "signalprocessing-controller",
    // internal/controller/signalprocessing: For(&SignalProcessing{}).
    watches: ["signalprocessings.kubernaut.ai"],
  },
  workflowexecution: {
    templates: ["templates/workflowexecution/workflowexecution.yaml"],
    dockerfile: "docker/workflowexecution-controller.Dockerfile",
    goPackage: "cmd/workflowexecution",
    service: "workflowexecution-controller-metrics",
    ports: ["metrics"],
    deployment: "workflowexecution-controller",
    // internal/controller/workflowexecution: For(&WorkflowExecution{}). It looks for Tekton's
    // PipelineRuns once, at start (cmd/workflowexecution/main.go): give Tekton's readiness in waitsFor.
    watches: ["workflowexecutions.kubernaut.ai"],
    // The workflow namespace is the stack's: the suite's has no Pod Security "restricted", which
    // Tekton's own step containers do not meet.
    omit: ["Namespace/kubernaut-workflows"],
  },
  remediationorchestrator: {
    templates: ["templates/remediationorchestrator/remediationorchestrator.yaml"],
    dockerfile: "docker/remediationorchestrator-controller.Dockerfile",
    goPackage: "cmd/remediationorchestrator",
    service: "remediationorchestrator-controller",
    ports: ["metrics"],
    deployment: "remediationorchestrator-controller",
    // internal/controller/remediationorchestrator/reconcile_loop.go: For RemediationRequests, Owns
    // the children it creates; a second controller For RemediationApprovalRequests.
    watches: [
      "remediationrequests.kubernaut.ai",
      "signalprocessings.kubernaut.ai",
      "aianalyses.kubernaut.ai",
      "workflowexecutions.kubernaut.ai",
      "remediationapprovalrequests.kubernaut.ai",
      "notificationrequests.kubernaut.ai",
      "effectivenessassessments.kubernaut.ai",
    ],
  },
  authwebhook: {
    // Its webhook configurations are registered once it serves (WEBHOOKS): failurePolicy Fail.
    templates: ["templates/authwebhook/authwebhook.yaml", "templates/authwebhook/webhooks.yaml"],
    dockerfile: "docker/authwebhook.Dockerfile",
    goPackage: "cmd/authwebhook",
    service: "authwebhook",
    ports: [],
    deployment: "authwebhook",
    // cmd/authwebhook/main.go: the RemediationWorkflow reconciler, and an index and a start-up
    // list of ActionTypes.
    watches: ["remediationworkflows.kubernaut.ai", "actiontypes.kubernaut.ai"],
  },
} as const satisfies Record<string, ServiceTable>;

/** The AuthWebhook's admission webhook configurations: they get the CA's bundle, and wait for it to serve. */
const WEBHOOKS = ["MutatingWebhookConfiguration/authwebhook-mutating", "ValidatingWebhookConfiguration/authwebhook-validating"];

interface ServiceTable {
  templates: readonly string[];
  /** Rendered objects the release does not register ("Kind/name"). */
  omit?: readonly string[];
  dockerfile: string;
  goPackage: string;
  service: string;
  ports: readonly string[];
  deployment: string;
  watches: readonly string[];
}

/** A service under test: the chart's values key. */
export type ServiceName = keyof typeof SERVICES;

/** A service under test in the release. */
export interface ServiceArgs {
  /** NodePorts on its Service's ports, by the chart's port names, as the suite's kind config maps them. */
  nodePorts?: Record<string, number>;
  /** Chart values for the service (merged over the test values), e.g. signalprocessing's `policies.content`. */
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

/** The chart's templates a release with these services renders. */
function releaseTemplates(services: readonly ServiceName[]): string[] {
  return [...TEMPLATES, ...services.flatMap((service) => SERVICES[service].templates)];
}

/** The paths of a HEAD checkout KubernautRelease reads (give them to requireServiceRepository). */
export function kubernautReleasePaths(services: readonly ServiceName[] = []): string[] {
  return [
    `${CHART}/Chart.yaml`,
    ...releaseTemplates(services).map((template) => `${CHART}/${template}`),
    CRDS,
    "migrations",
    DOCKERFILES.dataStorage,
    DOCKERFILES.migrate,
    "cmd/datastorage",
    ...services.flatMap((service) => [SERVICES[service].dockerfile, SERVICES[service].goPackage]),
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
  /** The services under test, by the chart's values key (SERVICES), with the NodePorts the suite maps. */
  services?: { [service in ServiceName]?: ServiceArgs };
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
 * with its RBAC, and the services under test (SERVICES). Around it, what the chart expects to exist
 * (tls.mode=manual): the inter-service CA and certificates, the signing certificate, the
 * database, Valkey and audit HMAC Secrets, the hook ServiceAccount, the CRDs; and the images,
 * built from the checkout's Dockerfiles and loaded into the cluster.
 */
export class KubernautRelease extends pulumi.ComponentResource {
  readonly namespace: pulumi.Output<string>;
  readonly crds: CustomResourceDefinitions;
  readonly images: { dataStorage: ImageBuildLoad; migrate: ImageBuildLoad } & { [service in ServiceName]?: ImageBuildLoad };
  /** The CA file beside the kubeconfig, where the suites read it. */
  readonly caFile: pulumi.Output<string> | undefined;
  /** The objects of the chart, by "Kind/name" across the release. */
  readonly resources: Readonly<Record<string, pulumi.CustomResource>>;
  /** The ActionTypes' seed, with `actionTypes`: what is registered against them waits for it. */
  readonly actionTypes: HostCommand | undefined;

  constructor(name: string, args: KubernautReleaseArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const subject = subjectOf("KubernautRelease", name);
    validateReleaseArgs(subject, args);
    const services = Object.keys(args.services ?? {}) as ServiceName[];
    const objects = renderChart(subject, {
      chart: join(args.repository, CHART),
      release: "kubernaut",
      namespace: args.namespace,
      values: chartValues(args),
      templates: releaseTemplates(services),
      kubeVersion: "1.36.1",
    });
    // ChartObjects puts every namespaced object in the release's namespace: one the chart renders
    // elsewhere (e.g. WorkflowExecution's Ansible Roles, in the workflow namespace) would move
    // without a word, so it is refused here, before anything is registered.
    for (const object of objects) {
      const namespace = object.metadata["namespace"];
      if (typeof namespace === "string" && namespace !== args.namespace) {
        throw new ArgumentError(
          subject,
          "repository",
          args.repository,
          `expected the chart to render its objects into the release namespace ${args.namespace}; it renders ${objectKey(object)} into ${namespace}, which this release cannot place`,
        );
      }
    }
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
    // validateReleaseArgs checked that the chart's CRDs hold every one looked up here.
    const crd = (crdName: string): pulumi.Output<string> => this.crds.established[crdName]!;

    const image = (imageName: string, dockerfile: string, goPackage: string) =>
      serviceImage(
        `${name}-${imageName}-image`,
        {
          cluster,
          repository: args.repository,
          imageName: `localhost/kubernaut-${imageName}`,
          dockerfile,
          goPackage,
          coverage: args.coverage,
        },
        { parent: this },
      );
    this.images = {
      dataStorage: image("datastorage", DOCKERFILES.dataStorage, "cmd/datastorage"),
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
      ...Object.fromEntries(
        services.map((service) => [service, image(service, SERVICES[service].dockerfile, SERVICES[service].goPackage)]),
      ),
    };

    // What the chart expects to exist with tls.mode=manual (charts/kubernaut values.yaml, tls).
    // The servers that speak TLS: DataStorage and Valkey (the services under test serve plain
    // HTTP and trust the CA through inter-service-ca), and the AuthWebhook's admission server.
    const certificates = [
      { serviceName: "data-storage-service", secretName: "datastorage-tls" },
      { serviceName: "valkey", secretName: "valkey-tls" },
      ...(services.includes("authwebhook") ? [{ serviceName: "authwebhook", secretName: "authwebhook-tls" }] : []),
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
    for (const service of services) images[placeholder(service)] = this.images[service]!.image;
    const pick = (keys: string[]) => objects.filter((object) => keys.includes(objectKey(object)));
    const imagesOf = (group: ManifestObject[]) =>
      Object.fromEntries(Object.entries(images).filter(([rendered]) => JSON.stringify(group).includes(JSON.stringify(rendered))));

    const omitted = services.flatMap((service) => (SERVICES[service] as ServiceTable).omit ?? []);
    const baseObjects = objects.filter(
      (object) => ![...migrationKeys, dataStorageKey, ...WEBHOOKS, ...omitted].includes(objectKey(object)),
    );
    const base = new ChartObjects(
      `${name}-chart`,
      {
        cluster,
        namespace,
        objects: baseObjects,
        images: imagesOf(baseObjects),
        references,
        patches: composePatches(
          {
            "Service/data-storage-service": (service) => withNodePorts(service, args.dataStorageNodePorts),
            // The Go setup's PostgreSQL: more connections than the default 100 for the suite's
            // parallel processes and DataStorage's pool (datastorage.go, `-c max_connections=200`).
            "Deployment/postgresql": (deployment) =>
              patchContainers(deployment, (container) => ({ ...container, args: ["-c", "max_connections=200"] })),
            ...(args.postgresNodePort === undefined
              ? {}
              : { "Service/postgresql": (service: ManifestObject) => withNodePorts(service, { postgresql: args.postgresNodePort! }) }),
            ...Object.fromEntries(
              services.flatMap((service) => {
                const { service: serviceName, deployment, watches } = SERVICES[service];
                const { nodePorts, waitsFor } = args.services![service]!;
                return [
                  ...(nodePorts === undefined
                    ? []
                    : [[`Service/${serviceName}`, (object: ManifestObject) => withNodePorts(object, nodePorts)] as const]),
                  // Its pods name the CRDs its informers watch, so they start once those are Established.
                  [
                    `Deployment/${deployment}`,
                    (object: ManifestObject) => {
                      const withCrds = withPodAnnotations(object, {
                        "e2e-infra.dev/crds": pulumi.all(watches.map(crd)).apply((names) => names.join(",")),
                        ...Object.fromEntries(Object.entries(waitsFor ?? {}).map(([key, value]) => [`e2e-infra.dev/${key}`, value])),
                      });
                      return args.coverage ? withCoverage(withCrds) : withCrds;
                    },
                  ] as const,
                ];
              }),
            ),
          },
          // The stack's own patches of its services' objects, after these.
          services.map((service) => args.services![service]!.patches ?? {}),
        ),
      },
      { parent: this },
    );

    const claimUid = objectUid(base.resources["PersistentVolumeClaim/postgresql-data"] as k8s.core.v1.PersistentVolumeClaim);
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
    // The AuthWebhook's admission webhooks (failurePolicy Fail): registered, with the CA's bundle
    // (tls.mode=manual leaves that to the installer), once the AuthWebhook serves behind its
    // Service; before that they would refuse every status update they match.
    const webhookObjects = pick(WEBHOOKS);
    const caBundle = tls.caCertificate.apply((pem) => Buffer.from(pem).toString("base64"));
    const servesWebhooks = services.includes("authwebhook")
      ? [base.resources["Deployment/authwebhook"]!, base.resources["Service/authwebhook"]!]
      : [];
    const webhooks =
      webhookObjects.length === 0
        ? undefined
        : new ChartObjects(
            `${name}-webhooks`,
            {
              cluster,
              namespace,
              objects: webhookObjects,
              patches: Object.fromEntries(
                webhookObjects.map((object) => [objectKey(object), (o: ManifestObject) => withCaBundle(o, caBundle)]),
              ),
              dependsOn: Object.fromEntries(webhookObjects.map((object) => [objectKey(object), servesWebhooks])),
            },
            { parent: this },
          );
    this.resources = { ...base.resources, ...migrations.resources, ...dataStorage.resources, ...webhooks?.resources };

    this.actionTypes = undefined;
    if (args.actionTypes === true) {
      const environment = {
        KUBECONFIG: cluster.kubeconfigPath!,
        KUBE_CONTEXT: cluster.kubeContext,
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
      this.actionTypes = hostCommand(
        `${name}-action-types`,
        {
          create: SEED_ACTION_TYPES,
          environment,
          // They live in the namespace: a new namespace (a new cluster) is seeded again. No
          // refresh check: with the cluster gone, kubectl could not tell, and the new namespace
          // re-seeds them anyway.
          triggers: [objectUid(namespaceResource)],
        },
        { parent: this },
      );
    }
    this.registerOutputs({ namespace: this.namespace });
  }

  /** The URL the suite connects to PostgreSQL with through its NodePort's host port (a secret: it holds the password). */
  postgresUrl(hostPort: number): pulumi.Output<string> {
    return pulumi.secret(`postgresql://${DATABASE.user}:${DATABASE.password}@localhost:${hostPort}/${DATABASE.name}?sslmode=disable`);
  }

  /** `url`, resolved once the release's Deployment `deployment` has rolled out (its pods ready): it answers then. */
  readyUrl(deployment: string, url: string): pulumi.Output<string> {
    const resource = this.resources[`Deployment/${deployment}`];
    if (resource === undefined) {
      const known = Object.keys(this.resources).filter((key) => key.startsWith("Deployment/"));
      throw new Error(`KubernautRelease has no Deployment ${deployment}; it has ${known.join(", ")}`);
    }
    return (resource as k8s.apps.v1.Deployment).status.apply(() => url);
  }
}

/**
 * Checks KubernautRelease's arguments before it renders or registers anything: the cluster, the
 * namespace (a DNS-1123 label: the chart renders it into its objects), the checkout and the paths
 * it reads, the NodePorts (each once in the cluster), the labels and coverage.
 */
function validateReleaseArgs(subject: string, args: KubernautReleaseArgs): void {
  // NodePorts by the chart's port names: each a port the Service has, each claimed once in the cluster.
  const nodePorts = (field: string, value: unknown, portNames: readonly string[], expected: string) => {
    const record = requireOptionalRecord(subject, field, value, expected) ?? {};
    for (const [port, nodePort] of Object.entries(record)) {
      if (!portNames.includes(port)) {
        const names = portNames.length < 2 ? portNames.join("") : `${portNames.slice(0, -1).join(", ")} or ${portNames.at(-1)!}`;
        throw new ArgumentError(subject, `${field}.${port}`, nodePort, `expected a NodePort for ${names} (the chart's port names)`);
      }
      claimNodePort(subject, `${field}.${port}`, args.cluster, nodePort);
    }
    return record;
  };
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
  const services = requireOptionalRecord(
    subject,
    "services",
    args.services,
    "expected the services under test by name, e.g. { gateway: { nodePorts: { http: 30080 } } }",
  );
  for (const [service, value] of Object.entries(services ?? {})) {
    if (!Object.hasOwn(SERVICES, service)) {
      throw new ArgumentError(
        subject,
        `services.${service}`,
        value,
        `expected a service the release can run: ${Object.keys(SERVICES).join(", ")}`,
      );
    }
    const settings = requireOptionalRecord(
      subject,
      `services.${service}`,
      value ?? {},
      "expected { nodePorts?, values?, patches?, waitsFor? }",
    )!;
    for (const key of Object.keys(settings)) {
      if (!["nodePorts", "values", "patches", "waitsFor"].includes(key))
        throw new ArgumentError(subject, `services.${service}.${key}`, settings[key], "expected nodePorts, values, patches or waitsFor");
    }
    for (const [key, patch] of Object.entries(
      requireOptionalRecord(subject, `services.${service}.patches`, settings["patches"], 'expected patches by "Kind/name"') ?? {},
    )) {
      if (typeof patch !== "function") throw new ArgumentError(subject, `services.${service}.patches.${key}`, patch, "expected a function");
    }
    for (const [key, value] of Object.entries(
      requireOptionalRecord(
        subject,
        `services.${service}.waitsFor`,
        settings["waitsFor"],
        "expected values by name, e.g. { tekton: tekton.ready }",
      ) ?? {},
    )) {
      // The name becomes the annotation e2e-infra.dev/<name>: a DNS-1123 label keeps it a valid key.
      requireDns1123Label(subject, `services.${service}.waitsFor`, key);
      if (typeof value !== "string" && !pulumi.Output.isInstance(value)) {
        throw new ArgumentError(subject, `services.${service}.waitsFor.${key}`, value, "expected a string or an Output");
      }
    }
    requireOptionalRecord(subject, `services.${service}.values`, settings["values"], "expected chart values for the service");
    nodePorts(
      `services.${service}.nodePorts`,
      settings["nodePorts"],
      SERVICES[service as ServiceName].ports,
      "expected NodePorts by port name",
    );
  }
  const serviceNames = Object.keys(services ?? {}) as ServiceName[];
  const missing = kubernautReleasePaths(serviceNames).filter((path) => !existsSync(join(repository, path)));
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
    ...serviceNames.flatMap((service) => SERVICES[service].watches),
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
  const dataStorageNodePorts = "expected NodePorts by port name, e.g. { http: 30081, health: 30281 }";
  if (args.dataStorageNodePorts === undefined) throw new ArgumentError(subject, "dataStorageNodePorts", undefined, dataStorageNodePorts);
  const dataStorage = nodePorts("dataStorageNodePorts", args.dataStorageNodePorts, ["http", "health", "metrics"], dataStorageNodePorts);
  if (dataStorage["http"] === undefined)
    throw new ArgumentError(subject, "dataStorageNodePorts.http", undefined, "expected the API's NodePort");
  if (args.postgresNodePort !== undefined) claimNodePort(subject, "postgresNodePort", args.cluster, args.postgresNodePort);
}

/** The values the environments render the chart with. */
export function chartValues(args: Pick<KubernautReleaseArgs, "dataStorageNodePorts" | "services">): Record<string, unknown> {
  const values: Record<string, unknown> = {
    global: {
      image: { registry: "localhost", namespace: "", tag: PLACEHOLDER_TAG, pullPolicy: "IfNotPresent" },
      // Required by the chart's schema and its kubernaut-agent template, which helm renders even
      // when only other templates are shown; no template used here reads them.
      llmProfiles: { unused: { provider: "openai", model: "unused", credentialsSecretName: "unused" } },
    },
    // The chart requires a policy: a release without SignalProcessing names one it never renders
    // (with SignalProcessing, the stack gives its own in the service's values).
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
    gateway: { enabled: false },
  };
  for (const [service, settings] of Object.entries(args.services ?? {}) as [ServiceName, ServiceArgs][]) {
    const nodePort = settings.nodePorts?.["http"];
    values[service] = {
      ...(service === "gateway"
        ? {
            enabled: true,
            // The suite's CORS test expects its dashboard origin allowed; the Go setup leaves
            // CORS at the code's default, every origin (pkg/http/cors).
            config: { cors: { allowedOrigins: ["*"] } },
          }
        : {}),
      // A NodePort Service when the suite maps its main port.
      ...(nodePort === undefined ? {} : { service: { type: "NodePort", nodePort } }),
      ...settings.values,
    };
  }
  return values;
}

/** Applies each key's patches in turn: the first record's, then each next one's. */
function composePatches(
  first: Record<string, (object: ManifestObject) => ManifestObject>,
  rest: readonly Record<string, (object: ManifestObject) => ManifestObject>[],
): Record<string, (object: ManifestObject) => ManifestObject> {
  const patches = { ...first };
  for (const more of rest) {
    for (const [key, patch] of Object.entries(more)) {
      const before = patches[key];
      patches[key] = before === undefined ? patch : (object) => patch(before(object));
    }
  }
  return patches;
}

/** A webhook configuration whose every webhook trusts the CA (clientConfig.caBundle). */
function withCaBundle(configuration: ManifestObject, caBundle: pulumi.Input<string>): ManifestObject {
  const webhooks = (configuration["webhooks"] as { clientConfig: Record<string, unknown> }[]).map((webhook) => ({
    ...webhook,
    clientConfig: { ...webhook.clientConfig, caBundle },
  }));
  return { ...configuration, webhooks };
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
