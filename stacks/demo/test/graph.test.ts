import { assertStackInvariants, captureStack, hostPortMappings, loadWithTsNode, missingDeclaredConfig } from "@e2e-infra/testing";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const dir = join(__dirname, "..");

describe("demo-e2e", () => {
  it("GIVEN its stack file WHEN the program runs under mocks THEN its graph is the golden one", async () => {
    const { graph } = await captureStack(dir, "demo-e2e");
    await expect(JSON.stringify(graph.edgesByName(), null, 2) + "\n").toMatchFileSnapshot("./demo-e2e.graph.json");
  });

  it("GIVEN its stack file WHEN captured THEN no build waits for the cluster, the app waits for exactly what it uses, and everything in-cluster goes with the cluster", async () => {
    const { graph, outputs } = await captureStack(dir, "demo-e2e");
    expect(await assertStackInvariants(graph)).toStrictEqual([]);
    const build = graph.one({ name: "app-image-build" });
    const app = graph.one({ type: "kubernetes:apps/v1:Deployment", under: graph.one({ type: "e2e-infra:index:ServiceDeployment" }) });
    expect(graph.dependsOn(app, graph.one({ name: "app-image-load" }))).toBe(true);
    expect(graph.dependsOn(app, graph.one({ type: "kubernetes:batch/v1:Job" }))).toBe(true);
    expect(
      graph.dependsOn(app, graph.one({ type: "kubernetes:apps/v1:Deployment", under: graph.one({ type: "e2e-infra:index:Redis" }) })),
    ).toBe(true);
    const migrationsJob = graph.one({ type: "kubernetes:batch/v1:Job" });
    expect(graph.dependsOn(migrationsJob, build)).toBe(false);

    expect(outputs).toStrictEqual({
      kubeconfigPath: "/home/user/.kube/demo-e2e-config",
      appUrl: "http://localhost:18080",
      postgresUrl: "postgresql://demo:demo@localhost:15432/demo?sslmode=disable",
    });
  });

  it("GIVEN listenAddress 0.0.0.0 THEN the app and Postgres host ports are published on every network; by default only on this machine", async () => {
    const open = await captureStack(dir, "demo-e2e", { config: { "demo:listenAddress": "0.0.0.0" } });
    expect(hostPortMappings(open.graph)).toStrictEqual([
      { containerPort: 30080, hostPort: 18080, listenAddress: "0.0.0.0" },
      { containerPort: 30432, hostPort: 15432, listenAddress: "0.0.0.0" },
    ]);
    expect(await assertStackInvariants(open.graph, "0.0.0.0")).toStrictEqual([]);
    const own = await captureStack(dir, "demo-e2e");
    expect(hostPortMappings(own.graph).map((mapping) => mapping.listenAddress)).toStrictEqual(["127.0.0.1", "127.0.0.1"]);
  });

  it("GIVEN its project file THEN every declared config key has a default or a value in the stack file (the CLI requires one)", () => {
    expect(missingDeclaredConfig(dir, "demo-e2e")).toStrictEqual([]);
  });

  it("GIVEN Pulumi's Node.js runtime (ts-node, type-checked) THEN the program loads and runs", () => {
    expect(loadWithTsNode(dir, "demo-e2e")).toStrictEqual(["appUrl", "kubeconfigPath", "postgresUrl"]);
  }, 120_000);

  it("GIVEN the same stack twice THEN identical inputs (a second pulumi up changes nothing)", async () => {
    const first = await captureStack(dir, "demo-e2e");
    const second = await captureStack(dir, "demo-e2e");
    expect(second.graph.toJSON()).toStrictEqual(first.graph.toJSON());
    const inputs = (c: typeof first) => Object.fromEntries(c.graph.resources.map((r) => [r.urn, r.inputs]));
    expect(inputs(second)).toStrictEqual(inputs(first));
  });
});

describe("demo-e2e bad config", () => {
  it.each<[string, Record<string, unknown>, RegExp]>([
    [
      "an invalid cluster name",
      { "demo:clusterName": "Demo_E2E" },
      /Stack "demo-e2e": config demo:clusterName is "Demo_E2E"; expected a DNS-1123 label/,
    ],
    [
      "a host port used twice",
      { "demo:appHostPort": 15432 },
      /config demo:(appHostPort|postgresHostPort) is 15432; expected a host port of its own/,
    ],
    [
      "an unknown container runtime",
      { "demo:containerRuntime": "lxc" },
      /config demo:containerRuntime is "lxc"; expected "docker" or "podman"/,
    ],
  ])("GIVEN %s THEN the preview fails naming the key, before any resource", async (_, config, message) => {
    await expect(captureStack(dir, "demo-e2e", { config })).rejects.toThrow(message);
  });
});
