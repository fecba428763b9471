import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readdirSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

// `nx affected` in a temporary git clone of this repository: a change to one component affects
// it and exactly what imports it, a change to one stack affects that stack.

const root = join(__dirname, "..", "..", "..");
let clone = "";
// Every stack of the clone.
const stacks = () =>
  readdirSync(join(clone, "stacks"))
    .filter((dir) => existsSync(join(clone, "stacks", dir, "Pulumi.yaml")))
    .map((s) => `@e2e-infra/stack-${s}`);

beforeAll(() => {
  clone = join(mkdtempSync(join(tmpdir(), "affected-")), "repo");
  const cloned = spawnSync("git", ["clone", "--quiet", root, clone], { encoding: "utf8" });
  if (cloned.status !== 0) throw new Error(cloned.stderr);
  symlinkSync(join(root, "node_modules"), join(clone, "node_modules"));
});

function affected(): string[] {
  const result = spawnSync(
    process.execPath,
    [join(clone, "node_modules", "nx", "dist", "bin", "nx.js"), "show", "projects", "--affected", "--base=HEAD", "--json"],
    {
      cwd: clone,
      encoding: "utf8",
      env: { ...process.env, NX_DAEMON: "false", NX_NO_CLOUD: "true", NX_TUI: "false", CI: "true" },
      timeout: 120_000,
    },
  );
  if (result.status !== 0) throw new Error(result.stderr + result.stdout);
  return (JSON.parse(result.stdout.slice(result.stdout.indexOf("["))) as string[]).sort();
}

function git(...args: string[]): void {
  spawnSync("git", args, { cwd: clone });
}

describe("nx affected", () => {
  it("GIVEN a change to the Redis component THEN Redis, what builds on it, and every stack using it; nothing else", () => {
    appendFileSync(join(clone, "packages", "redis", "src", "redis.ts"), "\n// a change\n");
    const projects = affected();
    git("checkout", "--", ".");
    expect(projects).toContain("@e2e-infra/redis");
    for (const stack of stacks()) expect(projects).toContain(stack);
    for (const unrelated of [
      "@e2e-infra/core",
      "@e2e-infra/kind-cluster",
      "@e2e-infra/image-build-load",
      "@e2e-infra/postgres",
      "@e2e-infra/migrations",
      "@e2e-infra/crds",
      "@e2e-infra/tekton",
      "@e2e-infra/testing",
    ]) {
      expect(projects).not.toContain(unrelated);
    }
  }, 180_000);

  it("GIVEN a change to the Tekton component THEN Tekton and the one stack that imports it", () => {
    appendFileSync(join(clone, "packages", "tekton", "src", "tekton.ts"), "\n// a change\n");
    const projects = affected();
    git("checkout", "--", ".");
    expect(projects.filter((p) => p.startsWith("@e2e-infra/stack-"))).toStrictEqual(["@e2e-infra/stack-workflowexecution"]);
    expect(projects).toContain("@e2e-infra/tekton");
  }, 180_000);

  it("GIVEN a change to one stack's program or a non-TypeScript file of it THEN that stack only", () => {
    appendFileSync(join(clone, "stacks", "gateway", "index.ts"), "\n// a change\n");
    expect(affected()).toStrictEqual(["@e2e-infra/stack-gateway"]);
    git("checkout", "--", ".");
    appendFileSync(join(clone, "stacks", "signalprocessing", "policies", "priority.rego"), "\n# a change\n");
    expect(affected()).toStrictEqual(["@e2e-infra/stack-signalprocessing"]);
    git("checkout", "--", ".");
  }, 180_000);
});
