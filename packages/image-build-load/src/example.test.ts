import { assertReadmeShowsExample, capture } from "@e2e-infra/testing";
import { join } from "node:path";
import { expect, it } from "vitest";

it("GIVEN the README's example WHEN run under mocks THEN it is the tested example.ts and the pod waits for the load", async () => {
  assertReadmeShowsExample(join(__dirname, ".."));
  const { graph, outputs } = await capture(() => import("./example.js"));
  const pod = graph.one({ type: "kubernetes:core/v1:Pod" });
  expect(pod.dependencies).toContain(graph.one({ name: "app-load" }).urn);
  expect(outputs["image"]).toMatch(/^localhost\/hello:[0-9a-f]{16}$/);
});
