import { assertReadmeShowsExample, capture } from "@e2e-infra/testing";
import { join } from "node:path";
import { expect, it } from "vitest";

it("GIVEN the README's example WHEN run under mocks THEN it is the tested example.ts and builds the cluster and namespace", async () => {
  assertReadmeShowsExample(join(__dirname, ".."));
  const { graph, outputs } = await capture(() => import("./example.js"), { project: "gateway", stack: "gateway-e2e" });
  const namespace = graph.one({ type: "kubernetes:core/v1:Namespace" });
  expect(namespace.deletedWith).toBe(graph.one({ name: "gateway-cluster" }).urn);
  expect(outputs["kubeconfigPath"]).toBe("/home/user/.kube/gateway-e2e-config");
});
