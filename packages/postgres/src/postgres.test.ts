import { inClusterOptions } from "@e2e-infra/core";
import { ImageBuildLoad } from "@e2e-infra/image-build-load";
import { KindCluster } from "@e2e-infra/kind-cluster";
import { capture, validateKubernetesResources } from "@e2e-infra/testing";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Postgres, type PostgresArgs } from "./index";

function environment(args: Partial<Omit<PostgresArgs, "cluster" | "namespace">> = {}) {
  const context = mkdtempSync(join(tmpdir(), "pg-ctx-"));
  writeFileSync(join(context, "Dockerfile"), "FROM scratch\n");
  return capture(() => {
    const cluster = new KindCluster("kind", { name: "pg-e2e" });
    const ns = new k8s.core.v1.Namespace("ns", { metadata: { name: "kubernaut-system" } }, inClusterOptions(cluster, cluster));
    const image = new ImageBuildLoad("ds", { cluster, imageName: "localhost/datastorage", context });
    const pg = new Postgres("pg", { cluster, namespace: ns.metadata.name, ...args });
    new k8s.core.v1.ConfigMap(
      "consumer",
      { metadata: { namespace: "kubernaut-system" }, data: { host: pg.host } },
      inClusterOptions(cluster, cluster),
    );
    return {
      image: image.image,
      url: pg.url,
      host: pg.host,
      dataId: pg.dataId,
      password: pg.password,
      secrets: Promise.all([pulumi.isSecret(pg.url), pulumi.isSecret(pg.password), pulumi.isSecret(pg.host)]),
    };
  });
}

describe("Postgres graph", () => {
  it("GIVEN a stack WHEN captured THEN Postgres depends on its namespace only, and its outputs on the Deployment's readiness", async () => {
    const { graph, outputs } = await environment({ nodePort: 30432 });
    const pg = graph.one({ type: "e2e-infra:index:Postgres" });
    const ns = graph.one({ type: "kubernetes:core/v1:Namespace" });
    const secret = graph.one({ type: "kubernetes:core/v1:Secret", under: pg });
    const init = graph.one({ type: "kubernetes:core/v1:ConfigMap", under: pg });
    const deployment = graph.one({ type: "kubernetes:apps/v1:Deployment", under: pg });
    const service = graph.one({ type: "kubernetes:core/v1:Service", under: pg });
    const data = graph.one({ type: "kubernetes:core/v1:PersistentVolumeClaim", under: pg });
    const consumer = graph.one({ name: "consumer" });
    const provider = graph.one({ type: "pulumi:providers:kubernetes" });

    expect(secret.dependencies).toStrictEqual([ns.urn]);
    expect(init.dependencies).toStrictEqual([ns.urn]);
    expect(data.dependencies).toStrictEqual([ns.urn]);
    // The Deployment mounts the claim and carries its uid (a new volume rolls the pod).
    expect([...deployment.dependencies].sort()).toStrictEqual([data.urn, init.urn, ns.urn, secret.urn].sort());
    expect(service.dependencies).toStrictEqual([ns.urn]);
    expect(graph.independent(service, deployment)).toBe(true);
    expect([...consumer.dependencies].sort()).toStrictEqual([deployment.urn, service.urn].sort());
    // Independent of every image build.
    for (const part of graph.descendants(graph.one({ type: "e2e-infra:index:ImageBuildLoad" }))) {
      for (const mine of graph.descendants(pg)) expect(graph.independent(mine, part), `${mine.name} / ${part.name}`).toBe(true);
    }
    for (const mine of graph.descendants(pg)) {
      expect(mine.provider).toBe(provider.urn);
      expect(mine.deletedWith).toBe(graph.one({ name: "kind-cluster" }).urn);
    }
    expect(service.inputs["spec"]).toMatchObject({ type: "NodePort", ports: [{ port: 5432, nodePort: 30432 }] });
    expect(outputs["host"]).toBe("postgresql.kubernaut-system.svc.cluster.local");
    expect(outputs["url"]).toBe(
      "postgresql://slm_user:test_password@postgresql.kubernaut-system.svc.cluster.local:5432/action_history?sslmode=disable",
    );
  });

  it("GIVEN credentials WHEN captured THEN they are secrets in the Secret and in the outputs", async () => {
    const { graph, outputs } = await environment();
    expect(outputs["secrets"]).toStrictEqual([true, true, false]);
    const secret = graph.one({ type: "kubernetes:core/v1:Secret" });
    expect(secret.secretInputs).toStrictEqual(["stringData"]);
    expect(secret.inputs["stringData"]).toStrictEqual({
      POSTGRES_USER: "slm_user",
      POSTGRES_PASSWORD: "test_password",
      POSTGRES_DB: "action_history",
    });
  });

  it("GIVEN generatePassword WHEN captured THEN a RandomPassword feeds the Secret", async () => {
    const { graph, outputs } = await environment({ generatePassword: true });
    const password = graph.one({ type: "random:index/randomPassword:RandomPassword" });
    const secret = graph.one({ type: "kubernetes:core/v1:Secret" });
    expect(secret.dependencies).toContain(password.urn);
    expect(outputs["password"]).toMatch(/^random-[0-9a-f]{24}$/);
  });

  it("GIVEN the objects WHEN validated THEN every one matches the Kubernetes schema", async () => {
    const { graph } = await environment({ nodePort: 30432 });
    const report = await validateKubernetesResources(graph);
    expect(report.withoutSchema).toStrictEqual([]);
    expect(report.validated).toHaveLength(7);
  });

  it("GIVEN the same arguments twice THEN identical inputs", async () => {
    const first = await environment();
    const second = await environment();
    const inputs = (c: typeof first) =>
      c.graph.resources
        .filter((r) => r.type !== "pulumi-nodejs:dynamic:HostCommand" && r.type !== "docker:index/image:Image")
        .map((r) => r.inputs);
    expect(inputs(second)).toStrictEqual(inputs(first));
  });
});

describe("Postgres data volume", () => {
  type PodTemplate = {
    metadata: { annotations: Record<string, string> };
    spec: { containers: Array<{ env: unknown[]; volumeMounts: unknown[] }>; volumes: unknown[] };
  };

  it("GIVEN the defaults WHEN captured THEN the data is on a 1Gi ReadWriteOnce claim of the default StorageClass, not awaited on its own", async () => {
    const { graph } = await environment();
    const data = graph.one({ type: "kubernetes:core/v1:PersistentVolumeClaim" });
    expect(data.name).toBe("pg-data");
    // skipAwait: on a WaitForFirstConsumer class the provider's claim await accepts only Pending,
    // and a claim a waiting pod binds at once would hold it for 5 minutes; the Deployment's
    // await waits for the claim to be Bound.
    expect(data.inputs["metadata"]).toStrictEqual({
      name: "postgresql-data-1gi",
      namespace: "kubernaut-system",
      labels: (graph.one({ type: "kubernetes:core/v1:Secret" }).inputs["metadata"] as { labels: unknown }).labels,
      annotations: { "pulumi.com/skipAwait": "true" },
    });
    expect(data.inputs["spec"]).toStrictEqual({ accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } });
  });

  it("GIVEN the Deployment WHEN captured THEN it mounts the claim with PGDATA below the mount, recreates (one pod per volume) and carries the claim's uid", async () => {
    const { graph, outputs } = await environment();
    const data = graph.one({ type: "kubernetes:core/v1:PersistentVolumeClaim" });
    const uid = outputs["dataId"] as string;
    expect(uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const spec = graph.one({ type: "kubernetes:apps/v1:Deployment" }).inputs["spec"] as { strategy: unknown; template: PodTemplate };
    expect(spec.strategy).toStrictEqual({ type: "Recreate" });
    expect(spec.template.metadata.annotations).toStrictEqual({ "e2e-infra.dev/postgres-data": uid });
    expect(spec.template.spec.volumes).toStrictEqual([
      { name: "data", persistentVolumeClaim: { claimName: "postgresql-data-1gi" } },
      { name: "init", configMap: { name: "postgresql-init" } },
    ]);
    const container = spec.template.spec.containers[0]!;
    expect(container.volumeMounts).toContainEqual({ name: "data", mountPath: "/var/lib/postgresql/data" });
    expect(container.env).toStrictEqual([{ name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" }]);
    const propertyDependencies = graph.one({ type: "kubernetes:apps/v1:Deployment" }).propertyDependencies["spec"];
    expect(propertyDependencies).toContain(data.urn);
  });

  it("GIVEN another storageSize THEN another claim (a new, empty volume), named after it", async () => {
    const { graph } = await environment({ storageSize: "20Gi" });
    const data = graph.one({ type: "kubernetes:core/v1:PersistentVolumeClaim" });
    expect((data.inputs["metadata"] as { name: string }).name).toBe("postgresql-data-20gi");
    expect(data.inputs["spec"]).toStrictEqual({ accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "20Gi" } } });
  });
});

describe("Postgres bad input", () => {
  const cases: Array<[string, Partial<PostgresArgs>, RegExp]> = [
    ["a NodePort outside the range", { nodePort: 5432 }, /Postgres "pg": nodePort is 5432; expected a NodePort from 30000 to 32767/],
    ["a bad database name", { database: "action-history" }, /database is "action-history"; expected a PostgreSQL identifier/],
    ["a bad service name", { serviceName: "PostgreSQL" }, /serviceName is "PostgreSQL"; expected a DNS-1035 label/],
    // A Service name must start with a letter (DNS-1035), which a DNS-1123 label need not.
    ["a service name starting with a digit", { serviceName: "1postgres" }, /serviceName is "1postgres"; expected a DNS-1035 label/],
    ["an image with an upper-case repository", { image: "Postgres:16" }, /image is "Postgres:16"; expected an image reference/],
    ["an empty password", { password: "" }, /password is ""; expected a non-empty password/],
    // A string is not a boolean: "true" (or "false") was taken as true, generating a password.
    [
      'generatePassword as the string "true"',
      { generatePassword: "true" as unknown as boolean },
      /generatePassword is "true"; expected true or false/,
    ],
    [
      "server args as one string",
      { serverArgs: "-c fsync=off" as unknown as string[] },
      /serverArgs is "-c fsync=off"; expected a list of strings/,
    ],
    ["a storage size in bytes", { storageSize: "1073741824" }, /storageSize is "1073741824"; expected a size of at least 64Mi/],
    [
      "a storage size with a decimal unit",
      { storageSize: "1G" },
      /storageSize is "1G"; expected a size of at least 64Mi as a whole number of Mi, Gi or Ti/,
    ],
    ["a storage size too small for initdb", { storageSize: "32Mi" }, /storageSize is "32Mi"; expected a size of at least 64Mi/],
    ["a storage size given as a number", { storageSize: 1 as unknown as string }, /storageSize is 1; expected a size of at least 64Mi/],
    [
      "a password and generatePassword",
      { password: "x", generatePassword: true },
      /generatePassword is true; expected either password or generatePassword/,
    ],
  ];
  it.each(cases)("GIVEN %s THEN construction fails naming it", async (_, args, message) => {
    await expect(environment(args)).rejects.toThrow(message);
  });

  it("GIVEN one NodePort for two components THEN the second fails naming the first", async () => {
    const run = capture(() => {
      const cluster = new KindCluster("kind", { name: "pg-e2e" });
      new Postgres("pg", { cluster, namespace: "a", nodePort: 30432 });
      new Postgres("pg2", { cluster, namespace: "b", serviceName: "postgresql-two", nodePort: 30432 });
    });
    await expect(run).rejects.toThrow(
      'Postgres "pg2": nodePort is 30432; NodePort 30432 is already used by Postgres "pg" nodePort in this cluster',
    );
  });
});
