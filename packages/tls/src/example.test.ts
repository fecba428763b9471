import { assertReadmeShowsExample, capture, validateKubernetesResources } from "@e2e-infra/testing";
import { join } from "node:path";
import { expect, it } from "vitest";

it("GIVEN the README's example WHEN run under mocks THEN it is the tested example.ts and its objects are valid", async () => {
  assertReadmeShowsExample(join(__dirname, ".."));
  const { graph, outputs } = await capture(() => import("./example.js"));
  expect(await validateKubernetesResources(graph)).toMatchObject({ withoutSchema: [] });
  expect(outputs).toStrictEqual({
    dataStorageTlsSecret: "datastorage-tls",
    signingSecret: "datastorage-signing",
    caFile: "stdout of tls-ca-file",
  });
});
