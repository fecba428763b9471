import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDockerDaemon, nodeBaseImageStandIn } from "../src/docker";
import { ENGINE_DIR, REPO_ROOT, engineUser, kindClusters, type EngineUser } from "../src/engine";

// `e2e-infra up demo` and `e2e-infra down demo` as a user runs them, on the real engine: the CLI
// drives Pulumi through the Automation API with the stack's program in its own process. The
// first `up` meets a migrations Job whose pod fails (the stand-in's E2E_KIND_FAILING_POD_LABEL)
// and must say why in a diagnostics file; then the cause is removed and `up` converges.
// `doctor` runs with the real pulumi and Docker, on a PATH without kind and with a port held.
const bin = join(REPO_ROOT, "tools", "cli", "bin", "e2e-infra.cjs");
const stackFile = join(REPO_ROOT, "stacks", "demo", "Pulumi.demo-e2e.yaml");
const unschedulable = join(ENGINE_DIR, "test", "fixtures", "unschedulable");
const unschedulableStackFile = join(unschedulable, "Pulumi.dev.yaml");
// `e2e-infra up` works in the stack's directory as `pulumi` does, and the CLI writes the stack's
// encryption salt into its stack file: the checkout's file is put back afterwards.
const original = readFileSync(stackFile, "utf8");
const unschedulableOriginal = readFileSync(unschedulableStackFile, "utf8");
let user: EngineUser;
let env: NodeJS.ProcessEnv;

function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: REPO_ROOT, env: { ...env, ...extraEnv } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

beforeAll(async () => {
  user = engineUser("cli", { E2E_KIND_FAILING_POD_LABEL: "app.kubernetes.io/component=database-migrations" });
  await ensureDockerDaemon(user.home);
  nodeBaseImageStandIn();
  // As on a new machine: no passphrase set, and a state directory that does not exist yet.
  env = { ...user.env, PULUMI_BACKEND_URL: `file://${join(user.home, "new-state")}` };
  delete env["PULUMI_CONFIG_PASSPHRASE"];
});

afterAll(() => {
  writeFileSync(stackFile, original);
  writeFileSync(unschedulableStackFile, unschedulableOriginal);
});

describe("e2e-infra doctor on the engine harness", () => {
  let held: Server | undefined;
  afterAll(() => held?.close());
  // On a machine whose cgroups are v1, as doctor proposes there (and the user then sets).
  const machine = existsSync("/sys/fs/cgroup/cgroup.controllers") ? [] : ["--config", "allowCgroupV1=true"];

  it("GIVEN a PATH without kind and the app's host port held THEN both problems with their fixes, the real tools' versions, and exit code 1", async () => {
    held = createServer();
    await new Promise<void>((resolve) => held!.listen(18080, "0.0.0.0", resolve));
    const withoutKind = mkdtempSync(join(tmpdir(), "without-kind-"));
    symlinkSync(join(ENGINE_DIR, "path", "pulumi-resource-pulumi-nodejs"), join(withoutKind, "pulumi-resource-pulumi-nodejs"));
    const path = [user.bin, withoutKind, ...(process.env["PATH"] ?? "").split(":").filter((dir) => !existsSync(join(dir, "kind")))].join(
      ":",
    );
    const result = await cli(["doctor", "demo", ...machine], { PATH: path });
    expect(result.stdout).toMatch(/ {2}ok {4}pulumi v3\.\d+\.\d+/);
    expect(result.stdout).toMatch(/ {2}ok {4}Docker version .*; its daemon answers/);
    expect(result.stdout).toContain("  FAIL  kind: not installed (looked for it on PATH)\n        fix: go install sigs.k8s.io/kind@");
    expect(result.stdout).toContain("  FAIL  host port 18080 (appHostPort) is in use by another program");
    expect(result.stdout).toMatch(/demo-e2e cannot come up on this machine: 2 problems above\.\n$/);
    expect(result.status).toBe(1);
    await new Promise<void>((resolve) => held!.close(() => resolve()));
    held = undefined;
  });

  it("GIVEN the harness's tools THEN demo-e2e can come up", async () => {
    const result = await cli(["doctor", "demo", ...machine]);
    expect(result.stdout).toMatch(/ {2}ok {4}cgroups: v[12]/);
    expect(result.stdout).toMatch(/demo-e2e can come up here\.\n$/);
    expect(result.status).toBe(0);
  });
});

describe("e2e-infra up demo, then down demo, on the real engine", () => {
  it("GIVEN the migrations Job's pod fails WHEN up THEN exit 1, and a diagnostics file names the pod, its container and why", async () => {
    const result = await cli(["up", "demo"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`e2e-infra: created the local state backend ${join(user.home, "new-state")}`);
    expect(result.stderr).toContain("e2e-infra: PULUMI_CONFIG_PASSPHRASE is not set: using an empty passphrase");
    // Pulumi's own progress, as it printed it.
    expect(result.stdout).toMatch(/Updating \(demo-e2e\)/);
    const reported = /what did not become ready \((\S+diagnostics\.txt)\):\n((?: {2}.*\n)+)/.exec(result.stderr);
    expect(reported, result.stderr).not.toBeNull();
    const [, file, causes] = reported!;
    expect(causes).toMatch(
      /^ {2}pod migrations-[a-z0-9-]+: container \S+ terminated: Error \(exit code 1\): failing on purpose \(E2E_KIND_FAILING_POD_LABEL\)/m,
    );
    const diagnostics = readFileSync(file!, "utf8");
    expect(diagnostics).toMatch(/^=== Job demo\/migrations-[a-z0-9-]+ \(urn:pulumi:demo-e2e::demo::/m);
    expect(diagnostics).toMatch(/^--- pod migrations-[a-z0-9-]+: phase Failed$/m);
    expect(diagnostics).toMatch(/^--- events of pod migrations-/m);
  });

  it("GIVEN the cause is gone WHEN up THEN it converges and prints the outputs, the wall time, the critical path and the Gantt chart", async () => {
    const removed = spawnSync(
      join(user.bin, "kubectl"),
      ["--kubeconfig", join(user.home, ".kube", "demo-e2e-config"), "delete", "stage", "standin-job-pod-fail"],
      { encoding: "utf8" },
    );
    expect(removed.status, removed.stderr).toBe(0);
    const result = await cli(["up", "demo"]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain("\ndemo-e2e is up.\noutputs:\n");
    expect(result.stdout).toContain("  appUrl: http://localhost:18080\n");
    expect(result.stdout).toMatch(/^wall time: \d+\.\d s$/m);
    expect(result.stdout).toMatch(/^changes: .*create \d+/m);
    expect(result.stdout).toMatch(/^critical path \(\d+\.\d s\): .*app-deployment \(create\)/m);
    const chart = /^Gantt chart: (\S+)$/m.exec(result.stdout)?.[1];
    expect(readFileSync(chart!, "utf8")).toContain("critical path in red");
    expect(result.stdout).toContain("remove it: e2e-infra down demo-e2e");
  });

  it("GIVEN it is up WHEN up again THEN nothing changed", async () => {
    const result = await cli(["up", "demo-e2e"]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain("nothing changed");
  });

  it("WHEN down THEN exit 0 and the cluster is gone", async () => {
    const result = await cli(["down", "stacks/demo"]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/\ndemo-e2e is down \(\d+\.\d s\)\.\n$/);
    expect(kindClusters(user)).not.toContain("demo-e2e");
  });
});

describe("e2e-infra up of a Deployment whose pod cannot be scheduled, on the real engine", () => {
  it("GIVEN its await times out THEN exit 1, and the cause line is the scheduler's: which pod, and why no node fits", async () => {
    const result = await cli(["up", unschedulable, "--stack", "dev"]);
    expect(result.status).toBe(1);
    const reported = /what did not become ready \((\S+diagnostics\.txt)\):\n((?: {2}.*\n)+)/.exec(result.stderr);
    expect(reported, result.stderr).not.toBeNull();
    expect(reported![2]).toMatch(
      /^ {2}pod web-[a-z0-9]+-[a-z0-9]+: Unschedulable: 0\/1 nodes are available: .*didn't match Pod's node affinity\/selector/m,
    );
    const diagnostics = readFileSync(reported![1]!, "utf8");
    expect(diagnostics).toMatch(/^=== Deployment default\/web \(urn:pulumi:dev::unschedulable::/m);
    expect(diagnostics).toMatch(/^--- pod web-[a-z0-9]+-[a-z0-9]+: phase Pending$/m);
    expect(diagnostics).toMatch(/FailedScheduling/);
  });

  it("WHEN down THEN the cluster is gone", async () => {
    const result = await cli(["down", unschedulable, "--stack", "dev"]);
    expect(result.status, result.stderr).toBe(0);
    expect(kindClusters(user)).not.toContain("unschedulable-e2e");
  });
});
