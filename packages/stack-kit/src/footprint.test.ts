import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { declaredDefault } from "./footprint";
import { assertNoCollisions, exclusive, footprintOf, readFootprints, type StackFootprint } from "./index";

/** A stacks directory: each project's Pulumi.yaml (with `config`, its declarations, if given) and files. */
function stacksDir(stacks: Record<string, { project: string; config?: string; files: Record<string, string> }>): string {
  const root = mkdtempSync(join(tmpdir(), "stacks-"));
  for (const [dir, { project, config, files }] of Object.entries(stacks)) {
    mkdirSync(join(root, dir));
    writeFileSync(join(root, dir, "Pulumi.yaml"), `name: ${project}\nruntime: nodejs\n${config === undefined ? "" : `config:\n${config}`}`);
    for (const [file, text] of Object.entries(files)) writeFileSync(join(root, dir, file), text);
  }
  return root;
}

const root = stacksDir({
  gateway: {
    project: "gateway",
    files: {
      "Pulumi.gateway-e2e.yaml":
        "config:\n  gateway:clusterName: gateway-e2e\n  gateway:kubeconfigPath: ~/.kube/gateway-e2e-config\n  gateway:gatewayHostPort: 8080\n  gateway:dataStorageHostPort: 18091\n",
    },
  },
  notes: { project: "notes", files: { "README.md": "not a stack file" } },
});

describe("stack footprints", () => {
  it("GIVEN stack files THEN their cluster names, kubeconfig paths and host ports", () => {
    expect(readFootprints(root)).toStrictEqual(
      [
        {
          stack: "gateway-e2e",
          project: "gateway",
          clusterName: "gateway-e2e",
          kubeconfigPath: "~/.kube/gateway-e2e-config",
          hostPorts: { gatewayHostPort: 8080, dataStorageHostPort: 18091 },
          exclusiveGroup: "",
        },
        { stack: "", project: "notes", clusterName: "", kubeconfigPath: "", hostPorts: {}, exclusiveGroup: "" },
      ].filter((f) => f.stack !== ""),
    );
  });

  const self = (config: Record<string, unknown>) =>
    footprintOf("mine", "mine-e2e", { "mine:clusterName": "mine-e2e", "mine:kubeconfigPath": "~/.kube/mine-e2e-config", ...config });

  it("GIVEN a stack that shares nothing THEN no error; GIVEN its own stack file in the list THEN it is not compared with itself", () => {
    const mine = self({ "mine:appHostPort": 38080 });
    expect(() => assertNoCollisions(mine, [...readFootprints(root), mine])).not.toThrow();
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      "a host port another stack maps",
      { "mine:appHostPort": 18091 },
      'Stack "mine-e2e": config mine:appHostPort is 18091; expected a host port no other stack maps; stack gateway-e2e maps it (gateway:dataStorageHostPort); stacks never up at the same time may share host ports: both set the same exclusiveGroup (gateway-e2e\'s is none; config mine:exclusiveGroup is none)',
    ],
    [
      "another stack's cluster name",
      { "mine:clusterName": "gateway-e2e" },
      'config mine:clusterName is "gateway-e2e"; expected a cluster name no other stack uses; stack gateway-e2e uses it too',
    ],
    [
      "one host port for two of its keys",
      { "mine:aHostPort": 1234, "mine:bHostPort": 1234 },
      "config mine:bHostPort is 1234; expected a host port of its own; mine:aHostPort maps it too",
    ],
  ])("GIVEN %s THEN the error names the key, the value and the other stack", (_, config, message) => {
    expect(() => assertNoCollisions(self(config), readFootprints(root))).toThrow(message);
  });

  it("GIVEN another stack's kubeconfig file (e.g. both at ~/.kube/config) THEN no collision: each stack merges its own entries into it", () => {
    expect(() => assertNoCollisions(self({ "mine:kubeconfigPath": "~/.kube/gateway-e2e-config" }), readFootprints(root))).not.toThrow();
  });
});

describe("exclusive groups: declared by the stacks (config exclusiveGroup, its default in Pulumi.yaml)", () => {
  // alpha and beta: one group (their project files' default), each mapping 28091 as the HEAD suites
  // do. gamma's stack file leaves its project's group; delta's joins one its project does not declare.
  const grouped = '  exclusiveGroup:\n    type: string\n    description: "never up together: they share a CA file"\n    default: suites\n';
  const stackFile = (project: string, config: Record<string, unknown>) =>
    "config:\n" +
    Object.entries({ clusterName: `${project}-e2e`, ...config })
      .map(([key, value]) => `  ${project}:${key}: ${String(value)}\n`)
      .join("");
  const dir = stacksDir({
    alpha: { project: "alpha", config: grouped, files: { "Pulumi.alpha-e2e.yaml": stackFile("alpha", { metricsHostPort: 28091 }) } },
    beta: { project: "beta", config: grouped, files: { "Pulumi.beta-e2e.yaml": stackFile("beta", { healthHostPort: 28091 }) } },
    gamma: {
      project: "gamma",
      config: grouped,
      files: { "Pulumi.gamma-e2e.yaml": stackFile("gamma", { exclusiveGroup: "solo", otherHostPort: 28091 }) },
    },
    delta: { project: "delta", files: { "Pulumi.delta-e2e.yaml": stackFile("delta", { exclusiveGroup: "suites", xHostPort: 28091 }) } },
  });
  const footprints = readFootprints(dir);
  const named = (stack: string) => footprints.find((footprint) => footprint.stack === stack)!;
  const group = footprints.filter((footprint) => footprint.exclusiveGroup === "suites");
  const newcomer = (config: Record<string, unknown>): StackFootprint =>
    footprintOf("mine", "mine-e2e", { "mine:clusterName": "mine-e2e", "mine:appHostPort": 28091, ...config });

  it("GIVEN project defaults and stack files THEN each footprint's group: the project's default, or its stack file's override", () => {
    expect(footprints.map((footprint) => [footprint.stack, footprint.exclusiveGroup])).toStrictEqual([
      ["alpha-e2e", "suites"],
      ["beta-e2e", "suites"],
      ["delta-e2e", "suites"],
      ["gamma-e2e", "solo"],
    ]);
    expect(declaredDefault(dir, "gamma", "exclusiveGroup")).toBe("suites");
    expect(declaredDefault(dir, "delta", "exclusiveGroup")).toBeUndefined();
    expect(declaredDefault(dir, "nowhere", "exclusiveGroup")).toBeUndefined();
  });

  it("GIVEN two stacks of one group THEN they may map the same host port; exclusive() says so for them only", () => {
    expect(() => assertNoCollisions(named("alpha-e2e"), group)).not.toThrow();
    expect(() => assertNoCollisions(named("beta-e2e"), group)).not.toThrow();
    expect(exclusive(named("alpha-e2e"), named("beta-e2e"))).toBe(true);
    expect(exclusive(named("alpha-e2e"), named("alpha-e2e"))).toBe(false);
    expect(exclusive(named("alpha-e2e"), named("gamma-e2e"))).toBe(false);
    const none = footprintOf("x", "x-e2e", {});
    expect(exclusive(none, footprintOf("y", "y-e2e", {}))).toBe(false);
  });

  it("GIVEN a stack file joining a group its project does not declare (delta) THEN it shares host ports with the group; one that left it (gamma) does not", () => {
    expect(group.map((footprint) => footprint.stack)).toStrictEqual(["alpha-e2e", "beta-e2e", "delta-e2e"]);
    expect(() => assertNoCollisions(named("delta-e2e"), group)).not.toThrow();
    expect(() => assertNoCollisions(named("gamma-e2e"), footprints)).toThrow(
      'Stack "gamma-e2e": config gamma:otherHostPort is 28091; expected a host port no other stack maps; stack alpha-e2e maps it (alpha:metricsHostPort); stacks never up at the same time may share host ports: both set the same exclusiveGroup (alpha-e2e\'s is "suites"; config gamma:exclusiveGroup is "solo")',
    );
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["in no group", {}, "config mine:exclusiveGroup is none"],
    ["in another group", { "mine:exclusiveGroup": "other" }, 'config mine:exclusiveGroup is "other"'],
  ])("GIVEN a new stack %s mapping a port of the group THEN refused, naming its key and exclusiveGroup", (_, config, mine) => {
    expect(() => assertNoCollisions(newcomer(config), footprints)).toThrow(
      `Stack "mine-e2e": config mine:appHostPort is 28091; expected a host port no other stack maps; stack alpha-e2e maps it (alpha:metricsHostPort); stacks never up at the same time may share host ports: both set the same exclusiveGroup (alpha-e2e's is "suites"; ${mine})`,
    );
  });

  it("GIVEN a new stack that declares itself in the group THEN the port may be in it too; a cluster name of the group still may not", () => {
    expect(() => assertNoCollisions(newcomer({ "mine:exclusiveGroup": "suites" }), group)).not.toThrow();
    expect(() => assertNoCollisions(newcomer({ "mine:exclusiveGroup": "suites", "mine:clusterName": "beta-e2e" }), group)).toThrow(
      'Stack "mine-e2e": config mine:clusterName is "beta-e2e"; expected a cluster name no other stack uses; stack beta-e2e uses it too',
    );
  });
});

describe("the stacks in this repository", () => {
  const stacks = join(__dirname, "..", "..", "..", "stacks");
  const STACK_DIRS = readdirSync(stacks)
    .filter((dir) => existsSync(join(stacks, dir, "Pulumi.yaml")))
    .sort();

  it("GIVEN every stack file's defaults THEN cluster names, kubeconfig paths and host ports are all distinct: any set can be up at once, but for the stacks of one exclusive group", () => {
    const footprints = readFootprints(stacks);
    // One stack file a stack directory.
    expect(footprints.map((f) => f.stack).sort()).toStrictEqual(STACK_DIRS.map((dir) => `${dir}-e2e`));
    for (const footprint of footprints) expect(() => assertNoCollisions(footprint, footprints), footprint.stack).not.toThrow();
    for (const a of footprints) {
      for (const b of footprints) {
        if (a === b || exclusive(a, b)) continue;
        const shared = Object.values(a.hostPorts).filter((port) => Object.values(b.hostPorts).includes(port));
        expect(shared, `${a.stack} and ${b.stack}`).toStrictEqual([]);
      }
    }
    expect(new Set(footprints.map((f) => f.clusterName)).size).toBe(footprints.length);
    expect(new Set(footprints.map((f) => f.kubeconfigPath)).size).toBe(footprints.length);
  });

  it("GIVEN the HEAD stacks THEN their Pulumi.yaml files put them in one group, kubernaut-head, saying why (the CA file, the host ports); demo-e2e in none", () => {
    expect(readFootprints(stacks).map((footprint) => [footprint.stack, footprint.exclusiveGroup])).toStrictEqual(
      STACK_DIRS.map((dir) => [`${dir}-e2e`, dir === "demo" ? "" : "kubernaut-head"]),
    );
    for (const dir of STACK_DIRS.filter((dir) => dir !== "demo")) {
      const project = parse(readFileSync(join(stacks, dir, "Pulumi.yaml"), "utf8")) as { config: Record<string, { description: string }> };
      const why = project.config["exclusiveGroup"]!.description;
      for (const reason of ["~/.kube/inter-service-ca.pem", "28091", "30281"]) expect(why, dir).toContain(reason);
    }
  });
});
