import { capture } from "@e2e-infra/testing";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";

it("GIVEN the README's example WHEN run under mocks THEN it is the tested example.ts and builds the cluster and namespace", async () => {
  const example = readFileSync(join(__dirname, "example.ts"), "utf8");
  expect(readFileSync(join(__dirname, "..", "README.md"), "utf8")).toContain(example);
  const { graph, outputs } = await capture(() => import("./example.js"), { project: "gateway", stack: "gateway-e2e" });
  const namespace = graph.one({ type: "kubernetes:core/v1:Namespace" });
  expect(namespace.deletedWith).toBe(graph.one({ name: "gateway-cluster" }).urn);
  expect(outputs["kubeconfigPath"]).toBe("stdout of gateway-kubeconfig-file");
});
