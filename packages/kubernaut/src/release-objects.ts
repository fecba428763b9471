import { objectKey, renderChart, type ChartObjectsArgs } from "@e2e-infra/chart";
import { ArgumentError, claimSpareNodePort, type ClusterTarget, type ManifestObject } from "@e2e-infra/core";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { chartValues } from "./chart-values";
import { composePatches, patchContainers, withCoverage, withNodePorts, withPodAnnotations, type Patch } from "./patches";
import { CHART, releaseTemplates, type KubernautReleaseArgs, type ReleaseService } from "./release-args";

/** The migrations' objects and DataStorage's Deployment: each a group of its own, after the base objects. */
export const MIGRATIONS = ["ConfigMap/kubernaut-migrations", "Job/kubernaut-db-migration"];
export const DATA_STORAGE_DEPLOYMENT = "Deployment/datastorage";
type ChartPatches = NonNullable<ChartObjectsArgs["patches"]>;

export const digest = (value: unknown): string => createHash("sha256").update(JSON.stringify(value)).digest("hex");

/**
 * The chart rendered for the release's services, every object checked to be in the release
 * namespace: ChartObjects puts every namespaced object there, so one the chart renders elsewhere
 * (e.g. WorkflowExecution's Ansible Roles, in the workflow namespace) would move without a word;
 * it is refused here, before anything is registered.
 */
export function renderRelease(subject: string, args: KubernautReleaseArgs, services: readonly ReleaseService[]): ManifestObject[] {
  const objects = renderChart(subject, {
    chart: join(args.repository, CHART),
    release: "kubernaut",
    namespace: args.namespace,
    values: chartValues(args, services),
    templates: releaseTemplates(services),
    kubeVersion: "1.36.1",
  });
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
  return objects;
}

/**
 * The NodePorts of each Service the release makes NodePort (DataStorage's, PostgreSQL's with
 * postgresNodePort, and each service's with nodePorts), by "Kind/name" and port name: the suite's
 * for the ports it maps, and for every other port of those Services a spare one claimed from the
 * top of the range, so the API server picks none at random (which could take a port a Service
 * registered later asks for by number).
 */
export function serviceNodePorts(
  subject: string,
  cluster: ClusterTarget,
  objects: readonly ManifestObject[],
  args: KubernautReleaseArgs,
  services: readonly ReleaseService[],
): Record<string, Record<string, number>> {
  const mapped: [string, Record<string, number>][] = [
    ["Service/data-storage-service", args.dataStorageNodePorts],
    ...(args.postgresNodePort === undefined
      ? []
      : [["Service/postgresql", { postgresql: args.postgresNodePort }] as [string, Record<string, number>]]),
    ...services.flatMap(({ definition, nodePorts }) =>
      nodePorts === undefined ? [] : [[`Service/${definition.service}`, nodePorts] as [string, Record<string, number>]],
    ),
  ];
  return Object.fromEntries(
    mapped.map(([key, ports]) => {
      const spec = objects.find((object) => objectKey(object) === key)?.["spec"] as { ports?: { name?: string }[] } | undefined;
      const unmapped = (spec?.ports ?? []).map((port) => port.name ?? "").filter((name) => name !== "" && ports[name] === undefined);
      const spare = Object.fromEntries(unmapped.map((name) => [name, claimSpareNodePort(subject, `${key} port ${name}`, cluster)]));
      return [key, { ...spare, ...ports }];
    }),
  );
}

/**
 * The base objects' patches: the NodePorts of the Services the suite maps (serviceNodePorts),
 * PostgreSQL as the Go setup runs it, each service's own (servicePatches), then the stack's
 * patches of its services' objects.
 */
export function basePatches(
  args: KubernautReleaseArgs,
  services: readonly ReleaseService[],
  crd: (name: string) => pulumi.Output<string>,
  nodePorts: Record<string, Record<string, number>>,
): ChartPatches {
  return composePatches(
    {
      ...Object.fromEntries(
        Object.entries(nodePorts).map(([key, ports]): [string, Patch] => [key, (service) => withNodePorts(service, ports)]),
      ),
      // The Go setup's PostgreSQL: more connections than the default 100 for the suite's
      // parallel processes and DataStorage's pool (datastorage.go, `-c max_connections=200`).
      "Deployment/postgresql": (deployment) =>
        patchContainers(deployment, (container) => ({ ...container, args: ["-c", "max_connections=200"] })),
      ...servicePatches(services, crd, args.coverage),
    },
    services.map((service) => service.patches ?? {}),
  );
}

/**
 * Each service's patches: its pods naming the CRDs its
 * informers watch (so they start once those are Established) and what else it waits for; with
 * coverage, GOCOVERDIR on the node.
 */
function servicePatches(
  services: readonly ReleaseService[],
  crd: (name: string) => pulumi.Output<string>,
  coverage: boolean,
): Record<string, Patch> {
  const patches: Record<string, Patch> = {};
  for (const { definition, waitsFor } of services) {
    patches[`Deployment/${definition.deployment}`] = (object) => {
      const withCrds = withPodAnnotations(object, {
        "e2e-infra.dev/crds": pulumi.all(definition.watches.map(crd)).apply((names) => names.join(",")),
        ...Object.fromEntries(Object.entries(waitsFor ?? {}).map(([key, value]) => [`e2e-infra.dev/${key}`, value])),
      });
      return coverage ? withCoverage(withCrds) : withCrds;
    };
  }
  return patches;
}

/**
 * The migrations' patches. The ConfigMap is named after its content and immutable: a changed
 * migration set is a new ConfigMap, and with it a new Job. Helm reruns its hook on every upgrade;
 * here the Job's identity is the migration set and the database's claim, so it runs once per
 * database, and again for a new set or a new database. A Job that failed is replaced by the next
 * `up` (replaceUnready), and it is not deleted behind Pulumi's back (no ttlSecondsAfterFinished).
 */
export function migrationPatches(migrationSet: string, claimUid: pulumi.Output<string>): ChartPatches {
  return {
    "ConfigMap/kubernaut-migrations": (configMap) => ({
      ...configMap,
      metadata: { ...configMap.metadata, name: `kubernaut-migrations-${digest(configMap["data"]).slice(0, 10)}` },
      immutable: true,
    }),
    "Job/kubernaut-db-migration": (job) => {
      const { ttlSecondsAfterFinished: _ttl, ...spec } = job["spec"] as Record<string, unknown>;
      const annotations = (job.metadata["annotations"] ?? {}) as Record<string, string>;
      return {
        ...job,
        metadata: {
          ...job.metadata,
          name: claimUid.apply((uid) => `kubernaut-db-migration-${migrationSet}-${uid.slice(0, 8)}`),
          annotations: { ...annotations, "pulumi.com/replaceUnready": "true" },
        },
        spec,
      };
    },
  };
}

/** DataStorage's pods name the migrations Job: they start once the schema is there (with coverage, GOCOVERDIR too). */
export function dataStoragePatches(job: pulumi.Input<string>, coverage: boolean): ChartPatches {
  return {
    [DATA_STORAGE_DEPLOYMENT]: (deployment) => {
      const withJob = withPodAnnotations(deployment, { "e2e-infra.dev/migrations": job });
      return coverage ? withCoverage(withJob) : withJob;
    },
  };
}
