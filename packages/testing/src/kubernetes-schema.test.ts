import { describe, expect, it } from "vitest";
import { KubernetesSchemaError, validateKubernetesObject } from "./index";

const deployment = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "default" },
  spec: {
    selector: { matchLabels: { app: "web" } },
    template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "localhost/web:abc" }] } },
  },
};

describe("validateKubernetesObject", () => {
  it("GIVEN a valid Deployment THEN it validates", async () => {
    await expect(validateKubernetesObject(deployment)).resolves.toBe(true);
  });

  it("GIVEN a container without a name THEN it fails naming the object and the field", async () => {
    const bad = structuredClone(deployment);
    bad.spec.template.spec.containers = [{ image: "x" } as never];
    await expect(validateKubernetesObject(bad)).rejects.toThrow(KubernetesSchemaError);
    await expect(validateKubernetesObject(bad)).rejects.toThrow(/Deployment default\/web does not validate.*name/s);
  });

  it("GIVEN a port of the wrong type THEN it fails", async () => {
    const service = { apiVersion: "v1", kind: "Service", metadata: { name: "s" }, spec: { ports: [{ port: "http" }] } };
    await expect(validateKubernetesObject(service)).rejects.toThrow(/Service \/s does not validate/);
  });

  it("GIVEN a custom resource THEN there is no schema to check it against", async () => {
    await expect(validateKubernetesObject({ apiVersion: "tekton.dev/v1", kind: "Pipeline", metadata: { name: "p" } })).resolves.toBe(false);
  });
});
