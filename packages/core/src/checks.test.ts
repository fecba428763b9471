import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { requireInCluster, requireOptionalBoolean, requireOptionalStringList } from "./index";

describe("argument shapes", () => {
  it('GIVEN a boolean as the string "false" THEN it is rejected, not taken as true', () => {
    expect(() => requireOptionalBoolean("S", "coverage", "false")).toThrow('S: coverage is "false"; expected true or false');
    expect(requireOptionalBoolean("S", "coverage", false)).toBe(false);
    expect(requireOptionalBoolean("S", "coverage", undefined)).toBeUndefined();
  });
  it("GIVEN one string for a list of strings THEN the error says a list; GIVEN a non-string item THEN it names the item", () => {
    expect(() => requireOptionalStringList("S", "serverArgs", "-c fsync=off", '["-c", "fsync=off"]')).toThrow(
      'S: serverArgs is "-c fsync=off"; expected a list of strings, e.g. ["-c", "fsync=off"]',
    );
    expect(() => requireOptionalStringList("S", "args", ["a", 1], "[]")).toThrow("S: args[1] is 1; expected a string");
  });
  it("GIVEN an in-cluster component's cluster and namespace THEN an Output or a label is a namespace, a missing one is not", () => {
    const cluster = { provider: {} };
    expect(() => requireInCluster("S", { cluster, namespace: pulumi.output("ns") })).not.toThrow();
    expect(() => requireInCluster("S", { cluster, namespace: "kubernaut-system" })).not.toThrow();
    expect(() => requireInCluster("S", { cluster })).toThrow("S: namespace is missing; expected a namespace");
    expect(() => requireInCluster("S", { cluster, namespace: "Kubernaut_System" })).toThrow('S: namespace is "Kubernaut_System"');
    expect(() => requireInCluster("S", { namespace: "ns" })).toThrow(
      "S: cluster is missing; expected a cluster: a KindCluster, or { provider }",
    );
  });
});
