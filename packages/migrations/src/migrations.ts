import {
  ArgumentError,
  inClusterOptions,
  kubernetesName,
  loadScript,
  requireComponent,
  requireInCluster,
  standardLabels,
  subjectOf,
  type InClusterArgs,
} from "@e2e-infra/core";
import type { Postgres } from "@e2e-infra/postgres";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { discoverMigrations, manifest, migrationSetHash, type Migration } from "./discover";

export const APPLY_SCRIPT = loadScript(join(__dirname, "..", "scripts", "apply-migrations.sh"));

export interface MigrationsArgs extends InClusterArgs {
  /** The database to migrate. */
  database: Postgres;
  /** Directory of `<version>_<name>.sql` files, e.g. "<service repo>/migrations". */
  directory: string;
  /** Apply only these (file names or versions), e.g. ["013_create_audit_events_table.sql", 1000]. Default: all. */
  only?: (string | number)[];
}

/**
 * Applies an ordered directory of SQL migrations (goose-annotated) to a Postgres with a
 * Kubernetes Job that runs psql from the Postgres image. The Job is named after the migration
 * set's content hash and the database's data volume (`dataId`, see jobName): unchanged
 * migrations on the same volume do not run again; a changed set runs a new Job, which applies
 * the versions not yet recorded; a new, empty volume runs a new Job, which applies them all. A
 * failing migration fails `pulumi up` with the file name and psql's error.
 */
export class Migrations extends pulumi.ComponentResource {
  /** The migration set's hash; resolves once the Job has completed. */
  readonly applied: pulumi.Output<string>;
  readonly migrations: readonly Migration[];
  readonly setHash: string;

  constructor(name: string, args: MigrationsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const subject = subjectOf("Migrations", name);
    requireInCluster(subject, args);
    requireComponent(subject, "database", args.database, ["host", "secretName", "podLabels", "image"], "a Postgres component");
    requireMigrationSelection(subject, "only", args.only);
    const migrations = discoverMigrations(subject, args.directory, args.only);
    super("e2e-infra:index:Migrations", name, {}, opts);

    this.migrations = migrations;
    this.setHash = migrationSetHash(migrations);
    const suffix = this.setHash.slice(0, 10);
    const labels = standardLabels({ name: "migrations", instance: name, component: "database-migrations" });
    const options = inClusterOptions(args.cluster, this);
    const pg = args.database;

    const files = new k8s.core.v1.ConfigMap(
      `${name}-files`,
      {
        metadata: { name: kubernetesName([name, suffix]), namespace: args.namespace, labels },
        immutable: true,
        data: {
          "apply.sh": APPLY_SCRIPT,
          manifest: manifest(migrations),
          ...Object.fromEntries(migrations.map((migration) => [migration.file, migration.content])),
        },
      },
      options,
    );
    const dataId = pg.dataId;
    const job = new k8s.batch.v1.Job(
      `${name}-job`,
      {
        metadata: {
          name: dataId.apply((id) => jobName(name, this.setHash, id)),
          namespace: args.namespace,
          labels,
          annotations: {
            // A Job that failed (Postgres not ready in time, an image pull) stays Failed under
            // its name, and the provider would await it again on every later up: replace it.
            "pulumi.com/replaceUnready": "true",
            // The volume it migrated (its name carries a hash of it).
            "e2e-infra.dev/postgres-data": dataId,
          },
        },
        spec: {
          // A failing migration does not get better by retrying.
          backoffLimit: 0,
          template: {
            metadata: { labels },
            spec: {
              restartPolicy: "Never",
              // On the node that already has the Postgres image, so nothing is pulled.
              affinity: {
                podAffinity: {
                  preferredDuringSchedulingIgnoredDuringExecution: [
                    {
                      weight: 100,
                      podAffinityTerm: { labelSelector: { matchLabels: pg.podLabels }, topologyKey: "kubernetes.io/hostname" },
                    },
                  ],
                },
              },
              containers: [
                {
                  name: "migrate",
                  image: pg.image,
                  command: ["/bin/sh", "/migrations/apply.sh"],
                  env: [
                    { name: "MIGRATIONS_DIR", value: "/migrations" },
                    // Read from the database's ready outputs: the Job starts once pg_isready answers.
                    { name: "PGHOST", value: pg.host },
                    { name: "PGPORT", value: pg.port.apply(String) },
                    { name: "PGDATABASE", value: pg.database },
                    { name: "PGUSER", value: pg.user },
                    { name: "PGPASSWORD", valueFrom: { secretKeyRef: { name: pg.secretName, key: "POSTGRES_PASSWORD" } } },
                  ],
                  volumeMounts: [{ name: "migrations", mountPath: "/migrations", readOnly: true }],
                  terminationMessagePolicy: "FallbackToLogsOnError",
                  resources: { requests: { cpu: "50m", memory: "32Mi" }, limits: { cpu: "500m", memory: "128Mi" } },
                },
              ],
              volumes: [{ name: "migrations", configMap: { name: files.metadata.name } }],
            },
          },
        },
      },
      options,
    );

    // The provider awaits a Job until it is Complete, and fails the update when it fails.
    this.applied = pulumi.all([job.status, job.metadata]).apply(() => this.setHash);
    this.registerOutputs({ applied: this.applied });
  }
}

/**
 * The Job's name: `<name>-<10 hex>`, a hash of the migration set's hash and the uid of the
 * Postgres data volume's claim. The same set on the same volume is the same Job, so a warm up
 * does nothing. A new volume (a new cluster, the claim deleted and created again, a new
 * storageSize) is an empty database: the new name replaces the Job and the migrations run again.
 * A new name, not only a changed Job: the provider deletes a replaced object that keeps its name
 * before creating it again (its Diff sets DeleteBeforeReplace), and the engine then deletes
 * first every dependent whose Diff, given the Job's outputs as unknown, would replace it (its
 * step generator's calculateDependentReplacements): every Deployment that takes `applied` in its
 * spec, whose selector could then change. Under a new name the new Job is created before the old
 * one is deleted, and what waits for `applied` (the same set's hash) is left as it is.
 */
export function jobName(name: string, setHash: string, dataId: string): string {
  return kubernetesName([name, createHash("sha256").update(`${setHash}\n${dataId}`).digest("hex").slice(0, 10)]);
}

/**
 * Checks a selection of migrations (`only`): a non-empty list of file names or versions (an empty
 * one would apply nothing; leave it out to apply all). Whether each is in the directory is
 * checked when the directory is read.
 */
export function requireMigrationSelection(subject: string, field: string, value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    throw new ArgumentError(
      subject,
      field,
      value,
      'expected a list of migration file names or versions, e.g. ["013_create_audit_events_table.sql", 15]',
    );
  }
  if (value.length === 0) throw new ArgumentError(subject, field, value, "expected at least one migration (leave it out to apply all)");
  value.forEach((entry: unknown, index) => {
    const valid =
      (typeof entry === "string" && entry.trim() !== "") || (typeof entry === "number" && Number.isSafeInteger(entry) && entry >= 0);
    if (!valid) throw new ArgumentError(subject, `${field}[${index}]`, entry, "expected a migration file name or version (a whole number)");
  });
}
