import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { assertNoCollisions, EXCLUSIVE_STACKS, exclusive, footprintOf, readFootprints } from "./index";

function stacksDir(stacks: Record<string, { project: string; files: Record<string, string> }>): string {
  const root = mkdtempSync(join(tmpdir(), "stacks-"));
  for (const [dir, { project, files }] of Object.entries(stacks)) {
    mkdirSync(join(root, dir));
    writeFileSync(join(root, dir, "Pulumi.yaml"), `name: ${project}\nruntime: nodejs\n`);
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
        },
        { stack: "", project: "notes", clusterName: "", kubeconfigPath: "", hostPorts: {} },
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
      'Stack "mine-e2e": config mine:appHostPort is 18091; expected a host port no other stack maps; stack gateway-e2e maps it (gateway:dataStorageHostPort)',
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

describe("exclusive stacks", () => {
  const footprint = (stack: string, project: string, hostPorts: Record<string, number>, clusterName = stack) => ({
    stack,
    project,
    clusterName,
    kubeconfigPath: `~/.kube/${stack}-config`,
    hostPorts,
  });
  it("GIVEN datastorage-e2e and gateway-e2e (never up together: their suites share host port 28091 and the CA file) THEN the port may be in both; the cluster name still may not", () => {
    const ds = footprint("datastorage-e2e", "datastorage", { dataStorageMetricsHostPort: 28091 });
    const gw = footprint("gateway-e2e", "gateway", { dataStorageHealthHostPort: 28091 });
    expect(() => assertNoCollisions(ds, [gw])).not.toThrow();
    expect(() => assertNoCollisions(footprint("other-e2e", "other", { xHostPort: 28091 }), [gw])).toThrow(/stack gateway-e2e maps it/);
    expect(() => assertNoCollisions(footprint("datastorage-e2e", "datastorage", {}, "gateway-e2e"), [gw])).toThrow(
      /stack gateway-e2e uses it too/,
    );
    expect(EXCLUSIVE_STACKS[0]!.why).toContain("28091");
  });
});

describe("the stacks in this repository", () => {
  it("GIVEN every stack file's defaults THEN cluster names, kubeconfig paths and host ports are all distinct: any set can be up at once, but for the declared exclusive pairs", () => {
    const footprints = readFootprints(join(__dirname, "..", "..", "..", "stacks"));
    expect(footprints.map((f) => f.stack).sort()).toStrictEqual([
      "datastorage-e2e",
      "demo-e2e",
      "gateway-e2e",
      "remediationorchestrator-e2e",
      "signalprocessing-e2e",
      "workflowexecution-e2e",
    ]);
    for (const footprint of footprints) expect(() => assertNoCollisions(footprint, footprints), footprint.stack).not.toThrow();
    for (const a of footprints) {
      for (const b of footprints) {
        if (a === b || exclusive(a.stack, b.stack)) continue;
        const shared = Object.values(a.hostPorts).filter((port) => Object.values(b.hostPorts).includes(port));
        expect(shared, `${a.stack} and ${b.stack}`).toStrictEqual([]);
      }
    }
    expect(new Set(footprints.map((f) => f.clusterName)).size).toBe(footprints.length);
    expect(new Set(footprints.map((f) => f.kubeconfigPath)).size).toBe(footprints.length);
  });
});
