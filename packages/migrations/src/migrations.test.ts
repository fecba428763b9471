import { hostCommand, inClusterOptions } from "@e2e-infra/core";
import { KindCluster } from "@e2e-infra/kind-cluster";
import { Postgres } from "@e2e-infra/postgres";
import { capture, validateKubernetesResources } from "@e2e-infra/testing";
import * as k8s from "@pulumi/kubernetes";
import { mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Migrations, type MigrationsArgs } from "./index";
import { jobName } from "./migrations";

const fixtures = join(__dirname, "..", "test", "fixtures", "goose");

function environment(args: Partial<Pick<MigrationsArgs, "directory" | "only">> = {}) {
  return capture(() => {
    const cluster = new KindCluster("kind", { name: "mig-e2e" });
    const ns = new k8s.core.v1.Namespace("ns", { metadata: { name: "kubernaut-system" } }, inClusterOptions(cluster, cluster));
    const imageBuild = hostCommand("image-build", { create: "podman build .", environment: {} }, {});
    const database = new Postgres("pg", { cluster, namespace: ns.metadata.name });
    const migrations = new Migrations("migrations", { cluster, namespace: ns.metadata.name, database, directory: fixtures, ...args });
    return { applied: migrations.applied, build: imageBuild.stdout, dataId: database.dataId };
  });
}

describe("Migrations graph", () => {
  it("GIVEN a stack WHEN captured THEN the Job waits for Postgres readiness and nothing image-related; the files only for the namespace", async () => {
    const { graph, outputs } = await environment();
    const pg = graph.one({ type: "e2e-infra:index:Postgres" });
    const ns = graph.one({ type: "kubernetes:core/v1:Namespace" });
    const files = graph.one({ type: "kubernetes:core/v1:ConfigMap", under: graph.one({ type: "e2e-infra:index:Migrations" }) });
    const job = graph.one({ type: "kubernetes:batch/v1:Job" });
    const pgDeployment = graph.one({ type: "kubernetes:apps/v1:Deployment", under: pg });
    const pgService = graph.one({ type: "kubernetes:core/v1:Service", under: pg });
    const pgSecret = graph.one({ type: "kubernetes:core/v1:Secret", under: pg });
    const pgData = graph.one({ type: "kubernetes:core/v1:PersistentVolumeClaim", under: pg });

    expect(files.dependencies).toStrictEqual([ns.urn]);
    expect([...job.dependencies].sort()).toStrictEqual(
      [files.urn, ns.urn, pgData.urn, pgDeployment.urn, pgSecret.urn, pgService.urn].sort(),
    );
    expect(graph.independent(job, graph.one({ name: "image-build" }))).toBe(true);
    expect(job.deletedWith).toBe(graph.one({ name: "kind-cluster" }).urn);
    expect(outputs["applied"]).toMatch(/^[0-9a-f]{64}$/);
    expect(await validateKubernetesResources(graph)).toMatchObject({ withoutSchema: [] });
  });

  it("GIVEN the Job WHEN captured THEN it runs the shipped script from the Postgres image with the credentials from the Secret", async () => {
    const { graph } = await environment();
    const job = graph.one({ type: "kubernetes:batch/v1:Job" });
    const files = graph.one({ type: "kubernetes:core/v1:ConfigMap", name: "migrations-files" });
    const spec = job.inputs["spec"] as {
      backoffLimit: number;
      template: { spec: { containers: Array<Record<string, unknown>>; volumes: unknown[] } };
    };
    const container = spec.template.spec.containers[0]!;
    expect(spec.backoffLimit).toBe(0);
    expect(container["image"]).toBe("postgres:16-alpine");
    expect(container["command"]).toStrictEqual(["/bin/sh", "/migrations/apply.sh"]);
    expect(container["env"]).toStrictEqual([
      { name: "MIGRATIONS_DIR", value: "/migrations" },
      { name: "PGHOST", value: "postgresql.kubernaut-system.svc.cluster.local" },
      { name: "PGPORT", value: "5432" },
      { name: "PGDATABASE", value: "action_history" },
      { name: "PGUSER", value: "slm_user" },
      { name: "PGPASSWORD", valueFrom: { secretKeyRef: { name: "postgresql-secret", key: "POSTGRES_PASSWORD" } } },
    ]);
    expect(spec.template.spec.volumes).toStrictEqual([
      { name: "migrations", configMap: { name: (files.inputs["metadata"] as { name: string }).name } },
    ]);
    expect(Object.keys(files.inputs["data"] as object).sort()).toStrictEqual(
      [
        "001_initial_schema.sql",
        "002_stored_procedures.sql",
        "003_concurrent_index.sql",
        "10_no_transaction.sql",
        "9_add_status.sql",
        "apply.sh",
        "manifest",
      ].sort(),
    );
  });

  it("GIVEN the Job WHEN captured THEN a Job left Failed by an earlier up is replaced, not awaited again (replaceUnready), and it names the volume it migrates", async () => {
    const { graph, outputs } = await environment();
    const job = graph.one({ type: "kubernetes:batch/v1:Job" });
    expect((job.inputs["metadata"] as { annotations: Record<string, string> }).annotations).toStrictEqual({
      "pulumi.com/replaceUnready": "true",
      "e2e-infra.dev/postgres-data": outputs["dataId"],
    });
  });

  it("GIVEN the Job WHEN captured THEN it is named after the migration set and the Postgres data volume's identity (a new volume is a new Job)", async () => {
    const { graph, outputs } = await environment();
    const job = graph.one({ type: "kubernetes:batch/v1:Job" });
    const files = graph.one({ type: "kubernetes:core/v1:ConfigMap", name: "migrations-files" });
    const pgData = graph.one({ type: "kubernetes:core/v1:PersistentVolumeClaim" });
    const setHash = outputs["applied"] as string;
    const dataId = outputs["dataId"] as string;
    expect(dataId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect((job.inputs["metadata"] as { name: string }).name).toBe(jobName("migrations", setHash, dataId));
    expect(job.propertyDependencies["metadata"]).toContain(pgData.urn);
    // The ConfigMap is the set's alone: a new volume reuses it.
    expect((files.inputs["metadata"] as { name: string }).name).toBe(`migrations-${setHash.slice(0, 10)}`);
    expect(graph.dependsOn(files, pgData)).toBe(false);
  });

  it("GIVEN a set and a volume THEN the Job's name is fixed by both: the same pair the same name, another volume or set another name", () => {
    const set = "a".repeat(64);
    const volume = "0b6f0e4c-5a1e-4c39-9d0b-3f1f0c1e2d3a";
    expect(jobName("data-migrations", set, volume)).toMatch(/^data-migrations-[0-9a-f]{10}$/);
    expect(jobName("data-migrations", set, volume)).toBe(jobName("data-migrations", set, volume));
    expect(jobName("data-migrations", set, "7d1e5b2a-0c4f-4e8a-b6d2-9a8c7e6f5d4c")).not.toBe(jobName("data-migrations", set, volume));
    expect(jobName("data-migrations", "b".repeat(64), volume)).not.toBe(jobName("data-migrations", set, volume));
  });

  it("GIVEN unchanged migrations THEN the same Job name; a subset THEN another", async () => {
    const name = async (args: Partial<Pick<MigrationsArgs, "only">> = {}) =>
      ((await environment(args)).graph.one({ type: "kubernetes:batch/v1:Job" }).inputs["metadata"] as { name: string }).name;
    const all = await name();
    expect(all).toMatch(/^migrations-[0-9a-f]{10}$/);
    expect(await name()).toBe(all);
    expect(await name({ only: [1, 2] })).not.toBe(all);
  });

  it.each<[unknown, string]>([
    ["013", 'Migrations "migrations": only is "013"; expected a list of migration file names or versions'],
    // An empty selection would apply nothing: leave `only` out to apply all.
    [[], 'Migrations "migrations": only is []; expected at least one migration (leave it out to apply all)'],
    [[null], 'Migrations "migrations": only[0] is null; expected a migration file name or version'],
  ])("GIVEN only %j THEN construction fails naming it", async (only, message) => {
    await expect(environment({ only: only as MigrationsArgs["only"] })).rejects.toThrow(message);
  });

  it("GIVEN a directory without migrations THEN construction fails naming it", async () => {
    await expect(environment({ directory: join(fixtures, "testdata", "..", "..") })).rejects.toThrow(
      /Migrations "migrations": directory is ".*fixtures"; expected at least one migration/,
    );
  });

  it("GIVEN a migration goose would not run as written, or a link out of the directory THEN construction (the preview) fails naming the file", async () => {
    const directory = mkdtempSync(join(tmpdir(), "migrations-preview-"));
    writeFileSync(join(directory, "001_meta.sql"), "CREATE TABLE a (id int);\n\\! id\n");
    await expect(environment({ directory })).rejects.toThrow(
      `Migrations "migrations": directory is ${JSON.stringify(join(directory, "001_meta.sql"))}; expected SQL that goose runs as written: line 2: "\\\\! id" is a psql meta-command`,
    );
    const linked = mkdtempSync(join(tmpdir(), "migrations-preview-"));
    symlinkSync(join(fixtures, "001_initial_schema.sql"), join(linked, "001_initial_schema.sql"));
    await expect(environment({ directory: linked })).rejects.toThrow(
      /001_initial_schema.sql"; expected migration files inside .*; it is a symbolic link to/,
    );
  });
});
