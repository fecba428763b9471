import { ChartObjects, objectKey, type ChartObjectsArgs } from "@e2e-infra/chart";
import { inClusterOptions, objectUid, subjectOf, type HostCommand, type ManifestObject, type WorkloadImage } from "@e2e-infra/core";
import { CustomResourceDefinitions } from "@e2e-infra/crds";
import type { InterServiceTls } from "@e2e-infra/tls";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { join } from "node:path";
import { seedActionTypes } from "./action-types";
import { releaseImages } from "./images";
import { withCaBundle } from "./patches";
import { CRDS, releaseServices, validateReleaseArgs, type KubernautReleaseArgs } from "./release-args";
import {
  basePatches,
  DATA_STORAGE_DEPLOYMENT,
  dataStoragePatches,
  digest,
  migrationPatches,
  MIGRATIONS,
  renderRelease,
  serviceNodePorts,
} from "./release-objects";
import { DATABASE, releaseSecrets } from "./release-secrets";
import { DATA_STORAGE } from "./services";
import { readWorkflows, registerWorkflows } from "./workflows";

/**
 * The service repository's own Helm chart (charts/kubernaut) at HEAD, rendered with test values
 * and registered object by object: PostgreSQL and Valkey, the goose migrations Job, DataStorage
 * with its RBAC, and the services under test (KUBERNAUT_SERVICES, or the stack's definitions).
 * Around it, what the chart expects to exist (tls.mode=manual, release-secrets.ts), the CRDs, and
 * the images, built from the checkout's Dockerfiles and loaded into the cluster (or built
 * beforehand: `prebuiltImages`).
 */
export class KubernautRelease extends pulumi.ComponentResource {
  readonly namespace: pulumi.Output<string>;
  readonly crds: CustomResourceDefinitions;
  /** Built (ImageBuildLoad) or, with `prebuiltImages`, taken by tag (LocalImage, RegistryImage). */
  readonly images: { dataStorage: WorkloadImage; migrate: WorkloadImage; services: Record<string, WorkloadImage> };
  /** The inter-service CA and its certificates: `caConfigMapName`, `caCertificate`, `secretNames` by Service name. */
  readonly tls: InterServiceTls;
  /** The CA file beside the kubeconfig, where the suites read it. */
  readonly caFile: pulumi.Output<string> | undefined;
  /** The objects of the chart, by "Kind/name" across the release. */
  readonly resources: Readonly<Record<string, pulumi.CustomResource>>;
  /** The ActionTypes' seed, with `actionTypes`: what is registered against them waits for it. */
  readonly actionTypes: HostCommand | undefined;
  /** The registered `workflows`' ids by name (JSON), as the suites' tests use them. */
  readonly workflowIds: pulumi.Output<string> | undefined;

  constructor(name: string, args: KubernautReleaseArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const subject = subjectOf("KubernautRelease", name);
    validateReleaseArgs(subject, args);
    const { cluster, repository, coverage } = args;
    let services = releaseServices(args.services);
    const objects = renderRelease(subject, args, services);
    const nodePorts = serviceNodePorts(subject, cluster, objects, args, services);
    super("e2e-infra:index:KubernautRelease", name, {}, opts);
    const namespaceResource = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      { metadata: { name: args.namespace, ...(args.namespaceLabels === undefined ? {} : { labels: args.namespaceLabels }) } },
      inClusterOptions(cluster, this),
    );
    const namespace = (this.namespace = namespaceResource.metadata.name);

    // The suites create and watch kubernaut.ai objects, so the CRDs are installed; only the
    // services' pods that watch one wait for it.
    this.crds = new CustomResourceDefinitions(`${name}-crds`, { cluster, paths: [join(repository, CRDS)] }, { parent: this });
    // validateReleaseArgs checked that the chart's CRDs hold every one looked up here.
    const crd = (crdName: string): pulumi.Output<string> => this.crds.established[crdName]!;
    const images = releaseImages(
      name,
      { cluster, repository, coverage, services, prebuilt: args.prebuiltImages, buildArgs: args.buildArgs },
      this,
    );
    this.images = images;
    const certificates = [
      ...DATA_STORAGE.certificates!,
      ...services.flatMap((service) => service.definition.certificates ?? []),
      ...(args.certificates ?? []),
    ];
    const { tls, references } = releaseSecrets(
      name,
      {
        cluster,
        namespace,
        certificates,
        ...(args.caFile === undefined ? {} : { caFile: args.caFile }),
        ...(args.secrets === undefined ? {} : { secrets: args.secrets }),
      },
      this,
    );
    this.tls = tls;
    this.caFile = tls.caFile;

    // What lives beside the release, made once its namespace and TLS material exist; the services
    // that need it wait for it.
    const beside = args.beside?.({ namespace, tls }) ?? {};
    for (const name of Object.keys(beside)) {
      if (!services.some((service) => service.name === name))
        throw new Error(`${subject}: beside returned what ${name} waits for, but the release runs no service ${name}`);
    }
    services = services.map((service) =>
      beside[service.name] === undefined ? service : { ...service, waitsFor: { ...service.waitsFor, ...beside[service.name] } },
    );

    // Three groups, so each waits for exactly what the one before gives it: the migrations Job
    // is named after the database's claim (a new claim, a new database: the Job runs again), and
    // DataStorage's pods name the Job (they start once the schema is there, as the Go setup
    // orders it: datastorage.go, "migrations must finish before DS starts"). Webhook
    // configurations come last, once the service that serves them is up.
    const webhookKeys = services.flatMap((service) => service.definition.webhooks ?? []);
    const omitted = services.flatMap((service) => service.definition.omit ?? []);
    const group = (
      suffix: string,
      keys: (key: string) => boolean,
      patches: ChartObjectsArgs["patches"],
      more: Record<string, pulumi.Input<string>> = {},
    ) => {
      const members = objects.filter((object) => keys(objectKey(object)));
      const rendered = JSON.stringify(members);
      return new ChartObjects(
        `${name}-${suffix}`,
        {
          cluster,
          namespace,
          objects: members,
          images: Object.fromEntries(Object.entries(images.byChartImage).filter(([image]) => rendered.includes(JSON.stringify(image)))),
          references: { ...references, ...more },
          patches,
        },
        { parent: this },
      );
    };
    const serviceObjects = new Set([...MIGRATIONS, DATA_STORAGE_DEPLOYMENT, ...webhookKeys, ...omitted]);
    const base = group("chart", (key) => !serviceObjects.has(key), basePatches(args, services, crd, nodePorts));

    const claimUid = objectUid(base.resources["PersistentVolumeClaim/postgresql-data"] as k8s.core.v1.PersistentVolumeClaim);
    const migrationSet = digest(objects.filter((object) => MIGRATIONS.includes(objectKey(object)))).slice(0, 8);
    const migrations = group("migrations", (key) => MIGRATIONS.includes(key), migrationPatches(migrationSet, claimUid), base.names);

    const dataStorage = group(
      "datastorage",
      (key) => key === DATA_STORAGE_DEPLOYMENT,
      dataStoragePatches(migrations.names["Job/kubernaut-db-migration"]!, coverage),
      base.names,
    );

    // Admission webhooks (failurePolicy Fail): registered with the CA's bundle (tls.mode=manual
    // leaves that to the installer) once the service that serves them is up behind its Service.
    const caBundle = tls.caCertificate.apply((pem) => Buffer.from(pem).toString("base64"));
    const webhookServers = (key: string) => {
      const { definition } = services.find((service) => service.definition.webhooks?.includes(key))!;
      return [base.resources[`Deployment/${definition.deployment}`]!, base.resources[`Service/${definition.service}`]!];
    };
    const webhookObjects = objects.filter((object) => webhookKeys.includes(objectKey(object)));
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
              dependsOn: Object.fromEntries(webhookObjects.map((object) => [objectKey(object), webhookServers(objectKey(object))])),
            },
            { parent: this },
          );
    this.resources = { ...base.resources, ...migrations.resources, ...dataStorage.resources, ...webhooks?.resources };

    this.actionTypes =
      args.actionTypes === true
        ? seedActionTypes(
            `${name}-action-types`,
            { cluster, namespace: namespaceResource, crd: crd("actiontypes.kubernaut.ai") },
            { parent: this },
          )
        : undefined;
    const workflows = readWorkflows(subject, repository, args.workflows);
    this.workflowIds =
      workflows.length === 0
        ? undefined
        : registerWorkflows(
            `${name}-workflows`,
            {
              cluster,
              namespace,
              workflows,
              actionTypes: this.actionTypes!,
              webhooks: this.resources["ValidatingWebhookConfiguration/authwebhook-validating"]!,
              databaseClaim: base.resources["PersistentVolumeClaim/postgresql-data"] as k8s.core.v1.PersistentVolumeClaim,
            },
            { parent: this },
          ).stdout;
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
