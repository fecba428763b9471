import { createTreeWithEmptyWorkspace } from "@nx/devkit/testing";
import type { Tree } from "@nx/devkit";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { footprints, planStack, serviceStack } from "../index";

const root = join(__dirname, "..", "..", "..", "..");

/** A virtual workspace holding this repository's stack files, as the generator sees a real one. */
function workspace(): Tree {
  const tree = createTreeWithEmptyWorkspace();
  for (const dir of readdirSync(join(root, "stacks"))) {
    for (const file of readdirSync(join(root, "stacks", dir)).filter((f) => /^Pulumi(\..+)?\.yaml$/.test(f))) {
      tree.write(`stacks/${dir}/${file}`, readFileSync(join(root, "stacks", dir, file)));
    }
  }
  return tree;
}

describe("nx g @e2e-infra/tools:service-stack", () => {
  it("GIVEN a new service THEN stacks/<name> with a cluster name and host ports no stack uses", () => {
    const tree = workspace();
    serviceStack(tree, { name: "notification", skipInstall: true });
    const files = tree
      .listChanges()
      .filter((change) => change.path.startsWith("stacks/notification/"))
      .map((change) => change.path)
      .sort();
    expect(files).toStrictEqual(
      [
        "Pulumi.notification-e2e.yaml",
        "Pulumi.yaml",
        "index.ts",
        "package.json",
        "test/stack.test.ts",
        "tsconfig.json",
        "vitest.config.mts",
      ]
        .map((f) => `stacks/notification/${f}`)
        .sort(),
    );
    const all = footprints(tree);
    const mine = all.find((f) => f.stack === "notification-e2e")!;
    expect(mine).toStrictEqual({
      stack: "notification-e2e",
      project: "notification",
      clusterName: "notification-e2e",
      kubeconfigPath: "~/.kube/notification-e2e-config",
      hostPorts: { serviceHostPort: 40080, metricsHostPort: 40081, dataStorageHostPort: 40082 },
    });
    const ports = all.flatMap((f) => Object.values(f.hostPorts));
    expect(new Set(ports).size).toBe(ports.length);
  });

  it("GIVEN ports already taken THEN the next free ones", () => {
    const tree = workspace();
    serviceStack(tree, { name: "one", skipInstall: true });
    expect(planStack(tree, { name: "two" }).hostPorts).toStrictEqual({
      serviceHostPort: 40083,
      metricsHostPort: 40084,
      dataStorageHostPort: 40085,
    });
  });

  it.each<[string, string, RegExp]>([
    ["a name that is not DNS-1123", "Notification_Service", /name is "Notification_Service"; expected a DNS-1123 label/],
    ["an existing stack's name", "gateway", /name is "gateway"; stacks\/gateway already exists: choose another name/],
    [
      "a cluster name another stack uses",
      "ro",
      /name is "ro"; the stack remediationorchestrator-e2e \(remediationorchestrator\) already uses the cluster or stack name ro-e2e/,
    ],
  ])("GIVEN %s THEN a clear error and no files written", (_, name, message) => {
    const tree = workspace();
    const before = tree.listChanges().length;
    expect(() => serviceStack(tree, { name, skipInstall: true })).toThrow(message);
    expect(tree.listChanges()).toHaveLength(before);
  });

  it("GIVEN the generated stack in a workspace THEN it typechecks and its tests pass as generated", () => {
    const tree = workspace();
    serviceStack(tree, { name: "notification", skipInstall: true });
    // A temporary workspace: the generated files and the other stacks' files, with this
    // repository's packages, config and node_modules linked in.
    const ws = mkdtempSync(join(tmpdir(), "generated-"));
    for (const change of tree.listChanges()) {
      if (change.content === null || !change.path.startsWith("stacks/")) continue;
      mkdirSync(dirname(join(ws, change.path)), { recursive: true });
      writeFileSync(join(ws, change.path), change.content);
    }
    for (const link of ["node_modules", "packages", "tsconfig.base.json", "vitest.shared.mts"])
      symlinkSync(join(root, link), join(ws, link));
    const dir = join(ws, "stacks", "notification");
    const env = { ...process.env, CI: "true" };
    const typecheck = spawnSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-b"], {
      cwd: dir,
      encoding: "utf8",
      env,
    });
    expect(typecheck.stdout + typecheck.stderr).toBe("");
    expect(typecheck.status).toBe(0);
    const test = spawnSync(process.execPath, [join(root, "node_modules", "vitest", "vitest.mjs"), "run"], {
      cwd: dir,
      encoding: "utf8",
      env,
      timeout: 240_000,
    });
    expect(test.stdout.replace(/\u001b\[[0-9;]*m/g, "")).toMatch(/Tests\s+8 passed \(8\)/);
    expect(test.status, test.stdout + test.stderr).toBe(0);
  }, 300_000);
});
