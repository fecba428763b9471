import { describe, expect, it } from "vitest";
import {
  ArgumentError,
  closest,
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  isQualifiedName,
  kubernetesName,
  requireDns1035Label,
  requireDns1123Label,
  standardLabels,
  selectorLabels,
} from "./index";

describe("DNS-1123 labels", () => {
  it.each(["a", "gateway-e2e", "ro-e2e", "a1", "1a", "x".repeat(63)])("GIVEN %s THEN it is a label", (value) => {
    expect(isDns1123Label(value)).toBe(true);
  });
  it.each(["", "-a", "a-", "Gateway", "a_b", "a.b", "a;b", "$(id)", "x".repeat(64)])("GIVEN %j THEN it is not", (value) => {
    expect(isDns1123Label(value)).toBe(false);
  });
  it("GIVEN a bad value WHEN required THEN the error names subject, field, value and what is valid", () => {
    expect(() => requireDns1123Label('Thing "t"', "spec.name", "Bad Name", 20)).toThrow(
      'Thing "t": spec.name is "Bad Name"; expected a DNS-1123 label: lower-case letters, digits and "-", starting and ending with a letter or digit, at most 20 characters',
    );
    expect(() => requireDns1123Label("s", "f", 42)).toThrow(ArgumentError);
    expect(() => requireDns1123Label("s", "f", undefined)).toThrow("s: f is missing;");
  });
});

describe("kubernetesName", () => {
  it("GIVEN parts THEN they are joined and cleaned deterministically", () => {
    expect(kubernetesName(["Gateway", "e2e", "postgres_data"])).toBe("gateway-e2e-postgres-data");
  });
  it("GIVEN a long name THEN it is cut to the limit with a hash that keeps distinct names distinct", () => {
    const a = kubernetesName(["x".repeat(70), "a"]);
    const b = kubernetesName(["x".repeat(70), "b"]);
    expect(a).toHaveLength(63);
    expect(isDns1123Label(a)).toBe(true);
    expect(a).not.toBe(b);
    expect(kubernetesName(["x".repeat(70), "a"])).toBe(a);
  });
  it("GIVEN nothing usable THEN it throws", () => {
    expect(() => kubernetesName(["--", "__"])).toThrow(/no usable characters/);
  });
});

describe("labels", () => {
  it("GIVEN a component instance THEN the recommended labels, and a selector that is their stable subset", () => {
    expect(standardLabels({ name: "postgresql", instance: "gw-postgres", component: "database", partOf: "gateway-e2e" })).toStrictEqual({
      "app.kubernetes.io/name": "postgresql",
      "app.kubernetes.io/instance": "gw-postgres",
      "app.kubernetes.io/managed-by": "e2e-infra",
      "app.kubernetes.io/component": "database",
      "app.kubernetes.io/part-of": "gateway-e2e",
    });
    expect(selectorLabels({ name: "postgresql", instance: "gw-postgres" })).toStrictEqual({
      "app.kubernetes.io/name": "postgresql",
      "app.kubernetes.io/instance": "gw-postgres",
    });
  });
});

describe("closest", () => {
  const keys = ["clusterName", "kubeconfigPath", "coverage", "appHostPort", "postgresHostPort"];

  it.each<[string, string, readonly string[], string | undefined]>([
    ["two letters swapped", "clusterNmae", keys, "clusterName"],
    ["another case", "ClusterName", ["clustername"], "clustername"],
    ["a letter missing", "grph", ["graph", "plan"], "graph"],
    ["a short word two edits from a short candidate", "ls", ["up", "down"], undefined],
    ["nothing alike", "tektonManifest", keys, undefined],
    ["no candidates", "x", [], undefined],
  ])("GIVEN %s (%s) THEN the candidate a typo most likely meant, or none", (_, word, candidates, expected) => {
    expect(closest(word, candidates)).toBe(expected);
  });
});

describe("DNS-1035 labels (Service names), DNS-1123 subdomains and qualified names", () => {
  it.each(["a", "postgresql", "gateway-service", "a1"])("GIVEN %s THEN it is a Service name", (value) => {
    expect(isDns1035Label(value)).toBe(true);
  });
  it.each(["1postgres", "9", "-a", "a-", "A", "x".repeat(64)])("GIVEN %j THEN it is not a Service name", (value) => {
    expect(isDns1035Label(value)).toBe(false);
  });
  it("GIVEN a Service name starting with a digit WHEN required THEN the error says a DNS-1035 label starts with a letter", () => {
    expect(() => requireDns1035Label('Redis "r"', "serviceName", "1redis")).toThrow(
      'Redis "r": serviceName is "1redis"; expected a DNS-1035 label (a Service name): lower-case letters, digits and "-", starting with a letter',
    );
  });
  it.each([
    ["quay-pull-secret", true],
    ["gateway.config", true],
    ["a".repeat(253), true],
    ["a".repeat(254), false],
    ["Bad_Name", false],
    ["a..b", false],
    [".a", false],
  ])("GIVEN %j THEN it is a DNS-1123 subdomain: %s", (value, valid) => {
    expect(isDns1123Subdomain(value)).toBe(valid);
  });
  it.each([
    ["e2e-infra.dev/after-migrations", true],
    ["after_tekton.v1", true],
    ["e2e-infra.dev/after-bad key", false],
    ["e2e-infra.dev/after-x-", false],
    [`e2e-infra.dev/${"x".repeat(64)}`, false],
    ["a/b/c", false],
    ["Bad_Prefix/name", false],
  ])("GIVEN %j THEN it is a qualified name (an annotation key): %s", (value, valid) => {
    expect(isQualifiedName(value)).toBe(valid);
  });
});
