import { capture } from "@e2e-infra/testing";
import * as command from "@pulumi/command";
import * as k8s from "@pulumi/kubernetes";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";

it("captures the edges the engine is told about", async () => {
  const { graph } = await capture(() => {
    const cluster = new command.local.Command("cluster", { create: "kind create cluster" });
    const build = new command.local.Command("build", { create: "podman build ." });
    const provider = new k8s.Provider("k8s", { kubeconfig: cluster.stdout });
    new k8s.core.v1.Namespace("ns", {}, { provider, deletedWith: cluster });
    return { built: build.stdout };
  });
  const namespace = graph.one({ type: "kubernetes:core/v1:Namespace" });
  expect(graph.dependsOn(namespace, graph.one({ name: "cluster" }))).toBe(true);
  expect(graph.independent(graph.one({ name: "build" }), graph.one({ name: "cluster" }))).toBe(true);
  expect(namespace.deletedWith).toBe(graph.one({ name: "cluster" }).urn);
  expect(graph.toJSON().resources.map((r) => r.name)).toStrictEqual(["build", "cluster", "ns", "k8s", "test-test"]);
});

it("is the README's example", () => {
  const source = readFileSync(__filename, "utf8");
  const example = source.slice(0, source.indexOf('it("is the README'));
  expect(readFileSync(join(__dirname, "..", "README.md"), "utf8")).toContain(example.trim());
});
