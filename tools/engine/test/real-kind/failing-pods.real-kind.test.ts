import { spawn, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINE_DIR, REPO_ROOT, kindClusters, type EngineUser } from "../../src/engine";
import { machineConfig, prepareRealKind, realKindUser, type RealKind } from "../../src/real-kind";

// Pods that fail for real on real kind (a container that exits 3, an image no registry has) and
// what `e2e-infra up` tells the user about them, checked against what the kubelet reported.
const fixture = join(ENGINE_DIR, "test", "fixtures", "failing-pods");
const stackFile = join(fixture, "Pulumi.dev.yaml");
const original = readFileSync(stackFile, "utf8");
let realKind: RealKind;
let user: EngineUser;

function cli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, "tools", "cli", "bin", "e2e-infra.cjs"), ...args], {
      cwd: REPO_ROOT,
      env: user.env,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

interface Pod {
  metadata: { name: string };
  status: {
    containerStatuses?: {
      image: string;
      restartCount: number;
      state: { waiting?: { reason?: string; message?: string } };
      lastState: { terminated?: { exitCode?: number } };
    }[];
  };
}

/** The pods of a Deployment as the kubelet reports them. */
function pods(app: string): Pod[] {
  const result = spawnSync(
    "kubectl",
    [
      "--kubeconfig",
      join(user.home, ".kube", "failing-pods-e2e-config"),
      "--context",
      "kind-failing-pods-e2e",
      "get",
      "pods",
      "-l",
      `app=${app}`,
      "-o",
      "json",
    ],
    { encoding: "utf8", env: user.env },
  );
  if (result.status !== 0) throw new Error(`kubectl get pods: ${result.stderr}`);
  return (JSON.parse(result.stdout) as { items: Pod[] }).items;
}

beforeAll(() => {
  realKind = prepareRealKind();
  user = realKindUser("rk-failing", realKind);
});

afterAll(() => writeFileSync(stackFile, original));

describe("e2e-infra up of pods that fail for real, on the real kind", () => {
  it("GIVEN a container that exits 3 and an image that is not there WHEN up THEN exit 1, and each cause line says what the kubelet says", async () => {
    const config = Object.entries(machineConfig(realKind)).flatMap(([key, value]) => ["--config", `${key}=${value}`]);
    const result = await cli(["up", fixture, "--stack", "dev", ...config]);
    expect(result.status, result.stderr).toBe(1);
    const reported = /what did not become ready \((\S+diagnostics\.txt)\):\n((?: {2}.*\n)+)/.exec(result.stderr);
    expect(reported, result.stderr).not.toBeNull();
    const lines = reported![2]!.split("\n");

    const [crasher] = pods("crasher");
    const crashed = crasher!.status.containerStatuses![0]!;
    expect(crashed.lastState.terminated?.exitCode).toBe(3);
    const crasherLine = lines.find((line) => line.startsWith(`  pod ${crasher!.metadata.name}: container crasher `));
    expect(crasherLine, reported![2]).toMatch(/container crasher (waiting: CrashLoopBackOff|terminated: Error \(exit code 3\))/);
    expect(crasherLine).toContain("last log line: giving up on purpose");

    const [missing] = pods("missing");
    const pull = missing!.status.containerStatuses![0]!.state.waiting!;
    expect(["ErrImagePull", "ImagePullBackOff"]).toContain(pull.reason);
    const missingLine = lines.find((line) => line.startsWith(`  pod ${missing!.metadata.name}: container missing waiting: `));
    expect(missingLine, reported![2]).toMatch(/waiting: (ErrImagePull|ImagePullBackOff): .*docker\.io\/library\/no-such-image:1/);

    const diagnostics = readFileSync(reported![1]!, "utf8");
    expect(diagnostics).toMatch(/^=== Deployment default\/crasher /m);
    expect(diagnostics).toMatch(/^=== Deployment default\/missing /m);
    expect(diagnostics).toMatch(/Failed to pull image "docker\.io\/library\/no-such-image:1"/);
    expect(diagnostics).toMatch(/Back-off restarting failed container crasher/);
  });

  it("WHEN down THEN the cluster is gone", async () => {
    const result = await cli(["down", fixture, "--stack", "dev"]);
    expect(result.status, result.stderr).toBe(0);
    expect(kindClusters(user)).not.toContain("failing-pods-e2e");
  });
});
