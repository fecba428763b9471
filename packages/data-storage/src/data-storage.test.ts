import { inClusterOptions } from "@e2e-infra/core";
import { ImageBuildLoad } from "@e2e-infra/image-build-load";
import { KindCluster } from "@e2e-infra/kind-cluster";
import { Migrations } from "@e2e-infra/migrations";
import { Postgres } from "@e2e-infra/postgres";
import { Redis } from "@e2e-infra/redis";
import { capture, validateKubernetesResources, type ResourceGraph } from "@e2e-infra/testing";
import * as k8s from "@pulumi/kubernetes";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DataStorage, type DataStorageArgs } from "./index";

const fixtures = join(__dirname, "..", "test", "fixtures");

type Extra = Partial<Pick<DataStorageArgs, "nodePort" | "coverage" | "logLevel" | "pinToControlPlane" | "serviceName">> & {
  postgresNodePort?: number;
};

function dataTier(extra: Extra = {}) {
  return capture(() => {
    const cluster = new KindCluster("kind", {
      name: "datastorage-e2e",
      nodes: [
        {
          role: "control-plane",
          extraPortMappings: [
            { containerPort: 30081, hostPort: 28090 },
            { containerPort: 30432, hostPort: 25433 },
          ],
        },
        { role: "worker" },
      ],
    });
    const ns = new k8s.core.v1.Namespace("ns", { metadata: { name: "datastorage-e2e" } }, inClusterOptions(cluster, cluster));
    const namespace = ns.metadata.name;
    const image = new ImageBuildLoad("ds-image", { cluster, imageName: "localhost/datastorage", context: join(fixtures, "image") });
    const database = new Postgres("pg", { cluster, namespace, nodePort: extra.postgresNodePort ?? 30432 });
    const redis = new Redis("redis", { cluster, namespace });
    const migrations = new Migrations("migrations", { cluster, namespace, database, directory: join(fixtures, "migrations") });
    const ds = new DataStorage("ds", { cluster, namespace, image, database, redis, migrations, ...extra });
    return { url: ds.url, hostUrl: ds.hostUrl };
  });
}

function parts(graph: ResourceGraph) {
  const of = (type: string) => graph.one({ type: `e2e-infra:index:${type}` });
  const deployment = (component: string) => graph.one({ type: "kubernetes:apps/v1:Deployment", under: of(component) });
  return {
    ns: graph.one({ type: "kubernetes:core/v1:Namespace" }),
    clusterCommand: graph.one({ name: "kind-cluster" }),
    image: of("ImageBuildLoad"),
    build: graph.one({ name: "ds-image-build" }),
    load: graph.one({ name: "ds-image-load" }),
    pg: of("Postgres"),
    pgDeployment: deployment("Postgres"),
    redis: of("Redis"),
    redisDeployment: deployment("Redis"),
    job: graph.one({ type: "kubernetes:batch/v1:Job" }),
    ds: of("DataStorage"),
    dsDeployment: deployment("DataStorage"),
    dsConfig: graph.one({ type: "kubernetes:core/v1:ConfigMap", under: of("DataStorage") }),
    dsSecret: graph.one({ type: "kubernetes:core/v1:Secret", under: of("DataStorage") }),
    dsService: graph.one({ type: "kubernetes:core/v1:Service", under: of("DataStorage") }),
  };
}

describe("the data tier's graph", () => {
  it("GIVEN the data tier WHEN captured THEN every edge is a true one", async () => {
    const { graph, outputs } = await dataTier();
    const p = parts(graph);
    const inside = (component: typeof p.pg) => graph.descendants(component);

    // Postgres and Redis: independent of each other and of every image build.
    for (const a of inside(p.pg)) for (const b of inside(p.redis)) expect(graph.independent(a, b), `${a.name} / ${b.name}`).toBe(true);
    for (const a of [...inside(p.pg), ...inside(p.redis)])
      for (const b of inside(p.image)) expect(graph.independent(a, b), `${a.name} / ${b.name}`).toBe(true);
    // Migrations: after Postgres is ready, independent of the image.
    expect(graph.dependsOn(p.job, p.pgDeployment)).toBe(true);
    for (const b of inside(p.image)) expect(graph.independent(p.job, b)).toBe(true);
    expect(graph.independent(p.job, p.redisDeployment)).toBe(true);
    // DataStorage's Deployment: migrations, Redis, its image load (and Postgres).
    expect(graph.dependsOn(p.dsDeployment, p.job)).toBe(true);
    expect(graph.dependsOn(p.dsDeployment, p.redisDeployment)).toBe(true);
    expect(graph.dependsOn(p.dsDeployment, p.load)).toBe(true);
    expect(graph.dependsOn(p.dsDeployment, p.pgDeployment)).toBe(true);
    // Its config, credentials and Service: the namespace only.
    expect(p.dsConfig.dependencies).toStrictEqual([p.ns.urn]);
    expect(p.dsSecret.dependencies).toStrictEqual([p.ns.urn]);
    expect(p.dsService.dependencies).toStrictEqual([p.ns.urn]);
    // Everything in the cluster goes with the cluster.
    for (const resource of graph.resources.filter(
      (r) => r.custom && r.type.startsWith("kubernetes:") && r.type !== "pulumi:providers:kubernetes",
    )) {
      expect(resource.deletedWith, resource.name).toBe(p.clusterCommand.urn);
    }
    expect(outputs).toStrictEqual({ url: "http://datastorage.datastorage-e2e.svc.cluster.local:8080", hostUrl: "http://localhost:28090" });
  });

  it("GIVEN the Deployment WHEN captured THEN it is the reference's: pinned to the control plane, probes on /health, NodePort 30081", async () => {
    const { graph } = await dataTier();
    const p = parts(graph);
    const pod = (
      p.dsDeployment.inputs["spec"] as { template: { metadata: { annotations: Record<string, string> }; spec: Record<string, unknown> } }
    ).template;
    expect(pod.spec["nodeSelector"]).toStrictEqual({ "node-role.kubernetes.io/control-plane": "" });
    const container = (pod.spec["containers"] as Array<Record<string, unknown>>)[0]!;
    expect(container["image"]).toMatch(/^localhost\/datastorage:[0-9a-f]{16}$/);
    expect(container["imagePullPolicy"]).toBe("Never");
    expect(container["readinessProbe"]).toMatchObject({ httpGet: { path: "/health", port: "http" } });
    expect(container["env"]).toStrictEqual([{ name: "CONFIG_PATH", value: "/etc/datastorage/config.yaml" }]);
    expect(Object.keys(pod.metadata.annotations).sort()).toStrictEqual([
      "e2e-infra.dev/config",
      "e2e-infra.dev/migrations",
      "e2e-infra.dev/postgres",
      "e2e-infra.dev/redis",
    ]);
    expect(p.dsService.inputs["spec"]).toMatchObject({
      type: "NodePort",
      ports: [
        { name: "http", port: 8080, nodePort: 30081 },
        { name: "metrics", port: 9181 },
      ],
    });
    expect(p.dsSecret.secretInputs).toStrictEqual(["stringData"]);
    expect(p.dsSecret.inputs["stringData"]).toStrictEqual({
      "db-secrets.yaml": 'username: slm_user\npassword: "test_password"\n',
      "redis-secrets.yaml": 'password: ""\n',
    });
    const report = await validateKubernetesResources(graph);
    expect(report.withoutSchema).toStrictEqual([]);
    expect(report.validated.length).toBe(
      graph.resources.filter((r) => r.type.startsWith("kubernetes:") && r.custom && r.type !== "pulumi:providers:kubernetes").length,
    );
  });

  it("GIVEN coverage WHEN captured THEN root, GOCOVERDIR and the hostPath, as DD-TEST-007", async () => {
    const { graph } = await dataTier({ coverage: true });
    const spec = (parts(graph).dsDeployment.inputs["spec"] as { template: { spec: Record<string, unknown> } }).template.spec;
    expect(spec["securityContext"]).toStrictEqual({ runAsUser: 0, runAsGroup: 0 });
    expect((spec["containers"] as Array<{ env: unknown[] }>)[0]!.env).toContainEqual({ name: "GOCOVERDIR", value: "/coverdata" });
    expect(spec["volumes"]).toContainEqual({ name: "coverdata", hostPath: { path: "/coverdata", type: "DirectoryOrCreate" } });
  });
});

describe("DataStorage bad input", () => {
  it.each<[string, Extra, RegExp]>([
    ["a NodePort outside the range", { nodePort: 8080 }, /DataStorage "ds": nodePort is 8080; expected a NodePort from 30000 to 32767/],
    [
      "a NodePort another component has",
      { postgresNodePort: 30081 },
      /DataStorage "ds": nodePort is 30081; NodePort 30081 is already used by Postgres "pg" nodePort/,
    ],
    ["an unknown log level", { logLevel: "verbose" }, /logLevel is "verbose"; expected one of debug, info, warn, error/],
    // A string is not a boolean: "true" was coverage off, "false" pinned to the control plane.
    [
      'coverage as the string "true"',
      { coverage: "true" as unknown as boolean },
      /DataStorage "ds": coverage is "true"; expected true or false/,
    ],
    ["a Service name starting with a digit", { serviceName: "1datastorage" }, /serviceName is "1datastorage"; expected a DNS-1035 label/],
  ])("GIVEN %s THEN construction fails naming it", async (_, extra, message) => {
    await expect(dataTier(extra)).rejects.toThrow(message);
  });
});
