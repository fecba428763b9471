import { assertReadmeShowsExample, capture, notRunHere, toolMissing, validateKubernetesResources } from "@e2e-infra/testing";
import { join } from "node:path";
import { expect, it } from "vitest";

const noHelm = notRunHere("the README's example under mocks (it renders with the real helm)", toolMissing("helm"));

it("GIVEN the README THEN its example is the tested example.ts", () => {
  assertReadmeShowsExample(join(__dirname, ".."));
});

it.skipIf(noHelm)("GIVEN the README's example WHEN run under mocks (with the real helm) THEN its objects are valid", async () => {
  const { graph, outputs } = await capture(() => import("./example.js"));
  expect(await validateKubernetesResources(graph)).toMatchObject({ withoutSchema: [] });
  expect(outputs).toStrictEqual({ registered: ["ServiceAccount/app", "ConfigMap/app-config", "Service/app", "Deployment/app"] });
});
