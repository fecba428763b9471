import { ArgumentError, hashBuildContext, kubernetesName, requireDns1123Label, standardLabels, subjectOf } from "@e2e-infra/core";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";

it("validates names, names objects, labels them and hashes a build context", () => {
  const subject = subjectOf("MyComponent", "gateway");
  expect(requireDns1123Label(subject, "namespace", "kubernaut-system")).toBe("kubernaut-system");
  expect(() => requireDns1123Label(subject, "namespace", "Kubernaut_System")).toThrow(ArgumentError);

  expect(kubernetesName(["gateway", "e2e", "postgres"])).toBe("gateway-e2e-postgres");
  expect(standardLabels({ name: "postgresql", instance: "gateway-postgres" })).toMatchObject({
    "app.kubernetes.io/managed-by": "e2e-infra",
  });

  const context = mkdtempSync(join(tmpdir(), "app-"));
  writeFileSync(join(context, "Dockerfile"), "FROM scratch\nCOPY . /\n");
  writeFileSync(join(context, ".dockerignore"), "*.log\n");
  const before = hashBuildContext({ context });
  writeFileSync(join(context, "debug.log"), "ignored by .dockerignore");
  expect(hashBuildContext({ context })).toBe(before);
});

it("is the README's example", () => {
  const source = readFileSync(__filename, "utf8");
  const example = source.slice(0, source.indexOf('\nit("is the README'));
  expect(readFileSync(join(__dirname, "..", "README.md"), "utf8")).toContain(example.trim());
});
