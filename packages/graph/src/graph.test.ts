import { describe, expect, it } from "vitest";
import { capturedResource, ResourceGraph, type CapturedResource } from "./graph";

const urn = (type: string, name: string) => `urn:pulumi:s::p::${type}::${name}`;

const resource = (type: string, name: string, extra: Partial<CapturedResource> = {}) =>
  capturedResource(urn(type, name), type, name, extra);

// stack > comp(component) > [a, b];  c -> comp (expands to a, b);  d -> provider p -> a;  e child of custom d
const stack = resource("pulumi:pulumi:Stack", "s", { custom: false });
const comp = resource("my:index:Comp", "comp", { custom: false, parent: stack.urn });
const a = resource("t:A", "a", { parent: comp.urn });
const b = resource("t:B", "b", { parent: comp.urn, dependencies: [urn("t:A", "a")] });
const c = resource("t:C", "c", { parent: stack.urn, dependencies: [comp.urn] });
const p = resource("pulumi:providers:x", "p", { parent: stack.urn, dependencies: [a.urn] });
const d = resource("t:D", "d", { parent: stack.urn, provider: p.urn });
const e = resource("t:E", "e", { parent: d.urn });
const f = resource("t:F", "f", { parent: stack.urn });
const graph = new ResourceGraph("p", "s", [stack, comp, a, b, c, p, d, e, f]);

describe("ResourceGraph", () => {
  it("GIVEN a dependency on a component THEN it stands for the component's descendants", () => {
    expect([...graph.directDependencies(c)].sort()).toStrictEqual([a.urn, b.urn, comp.urn].sort());
  });

  it("GIVEN a provider and a custom parent THEN both are waited for, transitively", () => {
    expect(graph.transitiveDependencies(d)).toStrictEqual(new Set([p.urn, a.urn]));
    expect(graph.dependsOn(e, a)).toBe(true);
    expect(graph.dependsOn(a, e)).toBe(false);
  });

  it("GIVEN unrelated resources THEN they are independent; related ones are not", () => {
    expect(graph.independent(f, a)).toBe(true);
    expect(graph.independent(b, a)).toBe(false);
    expect(graph.independent(a, b)).toBe(false);
  });

  it("GIVEN queries THEN lookup by type, name, pattern and ancestor", () => {
    expect(graph.find({ under: comp }).map((r) => r.name)).toStrictEqual(["a", "b"]);
    expect(graph.find({ name: /^[ab]$/, type: "t:B" }).map((r) => r.name)).toStrictEqual(["b"]);
    expect(graph.one({ type: "t:E" }).name).toBe("e");
    expect(graph.ancestors(e).map((r) => r.name)).toStrictEqual(["d", "s"]);
    expect(graph.children(comp).map((r) => r.name)).toStrictEqual(["a", "b"]);
    expect(graph.descendants(stack)).toHaveLength(8);
    expect(() => graph.one({ type: "t:Nope" })).toThrow(
      /expected one resource matching type t:Nope, found 0; captured:\n {2}pulumi:pulumi:Stack s/,
    );
    expect(() => graph.get("urn:nope")).toThrow("no captured resource urn:nope");
  });

  it("GIVEN a graph THEN its JSON is exactly the contract shape", () => {
    const json = graph.toJSON();
    expect(Object.keys(json)).toStrictEqual(["project", "stack", "resources"]);
    expect(json.resources.map((r) => r.name)).toStrictEqual(["comp", "p", "s", "a", "b", "c", "d", "e", "f"]);
    expect(json.resources[4]).toStrictEqual({
      urn: b.urn,
      type: "t:B",
      name: "b",
      custom: true,
      parent: comp.urn,
      provider: null,
      dependencies: [a.urn],
      propertyDependencies: {},
      deletedWith: null,
    });
    expect(JSON.parse(JSON.stringify(graph))).toStrictEqual(json);
  });
});
