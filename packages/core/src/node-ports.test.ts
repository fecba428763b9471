import * as k8s from "@pulumi/kubernetes";
import { describe, expect, it } from "vitest";
import { claimNodePort, claimSpareNodePort } from "./index";

describe("claimNodePort", () => {
  const provider = () => ({ provider: {} as k8s.Provider });

  it("GIVEN a port outside 30000-32767 THEN it names the field and the range", () => {
    expect(() => claimNodePort('Postgres "pg"', "nodePort", provider(), 5432)).toThrow(
      'Postgres "pg": nodePort is 5432; expected a NodePort from 30000 to 32767',
    );
    expect(() => claimNodePort("s", "nodePort", provider(), 32768)).toThrow("expected a NodePort");
    expect(() => claimNodePort("s", "nodePort", provider(), "30081")).toThrow('nodePort is "30081"');
  });

  it("GIVEN a port claimed twice in one cluster THEN the second names the first owner; another cluster may use it", () => {
    const cluster = provider();
    expect(claimNodePort('DataStorage "ds"', "nodePort", cluster, 30081)).toBe(30081);
    expect(() => claimNodePort('Postgres "pg"', "nodePort", cluster, 30081)).toThrow(
      'Postgres "pg": nodePort is 30081; NodePort 30081 is already used by DataStorage "ds" nodePort in this cluster',
    );
    expect(claimNodePort('Postgres "pg"', "nodePort", provider(), 30081)).toBe(30081);
  });

  it("GIVEN spare ports claimed THEN the highest free ones, never one claimed by number, and a later claim of theirs fails", () => {
    const cluster = provider();
    claimNodePort("fixed", "nodePort", cluster, 32766);
    expect(claimSpareNodePort("a", "ports.health", cluster)).toBe(32767);
    expect(claimSpareNodePort("a", "ports.metrics", cluster)).toBe(32765);
    expect(() => claimNodePort("b", "nodePort", cluster, 32765)).toThrow("already used by a ports.metrics");
    expect(claimSpareNodePort("a", "ports.health", provider())).toBe(32767);
  });
});
