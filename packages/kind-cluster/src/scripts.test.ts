import {
  capture,
  hangingTool,
  hermeticPath,
  runHostScript,
  shellcheck,
  shimDirectory,
  waitForFile,
  type CapturedResource,
  type Shims,
} from "@e2e-infra/testing";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { KindCluster, renderKindConfig, type KindClusterArgs } from "./index";

// The host scripts exactly as KindCluster hands them to local.Command (script text and
// environment, taken from the captured RegisterResource requests), run by /bin/sh against
// shim kind/podman executables that record their argv and environment.

const args: KindClusterArgs = {
  name: "gateway-e2e",
  containerRuntime: "podman",
  kubeconfigPath: "~/.kube/gateway-e2e-config",
  waitForReady: "60s",
  nodes: [
    {
      role: "control-plane",
      extraPortMappings: [{ containerPort: 30080, hostPort: 8080 }],
      extraMounts: [{ hostPath: "./coverdata", containerPath: "/coverdata" }],
    },
    { role: "worker" },
  ],
};

let cluster: CapturedResource;
beforeAll(async () => {
  const { graph } = await capture(() => new KindCluster("gw", args));
  cluster = graph.one({ name: "gw-cluster" });
});

function run(
  resource: CapturedResource,
  script: "create" | "update" | "delete" | "check",
  shims: Shims,
  extra: Record<string, string> = {},
) {
  const environment = { ...(resource.inputs["environment"] as Record<string, string>), ...extra };
  return runHostScript(resource.inputs[script] as string, environment, { shims });
}

function kindCalls(shims: Shims): string[] {
  return shims
    .calls()
    .filter((call) => call.tool === "kind")
    .map((call) => call.argv.filter((arg) => !arg.startsWith(shims.root)).join(" "));
}

describe("kind create", () => {
  it("GIVEN no cluster WHEN created THEN kind creates it from the rendered config and stdout is the kubeconfig alone", () => {
    const shims = shimDirectory();
    const result = run(cluster, "create", shims);

    expect(result.stderr).toContain('Creating cluster "gateway-e2e"');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^apiVersion: v1\nkind: Config\n[\s\S]*current-context: kind-gateway-e2e\n+$/);
    expect(kindCalls(shims)).toStrictEqual([
      "get clusters",
      "create cluster --name gateway-e2e --config --kubeconfig --wait 60s",
      "get kubeconfig --name gateway-e2e",
    ]);
    const create = shims.calls().find((call) => call.argv[0] === "create")!;
    expect(create.env["KIND_EXPERIMENTAL_PROVIDER"]).toBe("podman");
    expect(shims.world().clusters["gateway-e2e"]!.config.trim()).toBe(renderKindConfig(args as never));
    // The kubeconfig went to a temp file, never to ~/.kube/config.
    expect(create.argv[create.argv.indexOf("--kubeconfig") + 1]).toMatch(/e2e-infra-kind-gateway-e2e\.[^/]+\/kubeconfig$/);
    expect(existsSync(join(shims.root, ".kube", "config"))).toBe(false);
    // The extraMount's host directory exists before kind starts the nodes.
    expect(statSync(join(shims.root, "coverdata")).isDirectory()).toBe(true);
  });

  it("GIVEN a leftover cluster of that name WHEN created THEN it is deleted and created afresh", () => {
    const shims = shimDirectory(["kind"], { clusters: { "gateway-e2e": { config: "old", images: ["old image"] } } });
    const result = run(cluster, "create", shims);

    expect(result.status).toBe(0);
    expect(result.stderr).toContain("exists but is not in this stack's state");
    expect(kindCalls(shims).slice(0, 3)).toStrictEqual([
      "get clusters",
      "delete cluster --name gateway-e2e",
      "create cluster --name gateway-e2e --config --kubeconfig --wait 60s",
    ]);
    expect(shims.world().clusters["gateway-e2e"]!.images).toStrictEqual([]);
  });

  it("GIVEN kind fails to create WHEN run THEN the command fails with kind's error and prints no kubeconfig", () => {
    const shims = shimDirectory(["kind"], { failures: { "kind create cluster": "failed to create cluster: could not find a log line" } });
    const result = run(cluster, "create", shims);

    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("could not find a log line");
    expect(result.stdout).toBe("");
  });

  it("GIVEN no kind on PATH WHEN run THEN it says so", () => {
    const shims = shimDirectory(["podman"]);
    const result = run(cluster, "create", shims);

    expect(result.status).toBe(127);
    expect(result.stderr).toContain("kind is not installed (looked for it on PATH)");
  });

  it("GIVEN an existing cluster WHEN only the script changed (update) THEN the kubeconfig is read again, nothing recreated", () => {
    const shims = shimDirectory(["kind"], { clusters: { "gateway-e2e": { config: "x", images: [] } } });
    const result = run(cluster, "update", shims);

    expect(result.status).toBe(0);
    expect(kindCalls(shims)).toStrictEqual(["get kubeconfig --name gateway-e2e"]);
    expect(result.stdout).toContain("kind-gateway-e2e");
  });
});

describe("kind delete", () => {
  it("GIVEN the cluster WHEN deleted THEN kind deletes it", () => {
    const shims = shimDirectory(["kind"], { clusters: { "gateway-e2e": { config: "x", images: [] } } });
    const result = run(cluster, "delete", shims);

    expect(result.status).toBe(0);
    expect(kindCalls(shims)).toStrictEqual(["get clusters", "delete cluster --name gateway-e2e"]);
    expect(shims.world().clusters).toStrictEqual({});
    expect(shims.calls().every((call) => call.env["KIND_EXPERIMENTAL_PROVIDER"] === "podman")).toBe(true);
  });

  it("GIVEN the cluster is already gone WHEN deleted THEN it succeeds without calling delete", () => {
    const shims = shimDirectory(["kind"], { clusters: { other: { config: "x", images: [] } } });
    const result = run(cluster, "delete", shims);

    expect(result.status).toBe(0);
    expect(result.stderr).toContain('kind cluster "gateway-e2e" is already gone');
    expect(kindCalls(shims)).toStrictEqual(["get clusters"]);
    expect(Object.keys(shims.world().clusters)).toStrictEqual(["other"]);
  });
});

describe("kind delete and refresh when kind cannot list clusters", () => {
  it("GIVEN `kind get clusters` fails (runtime stopped) WHEN deleted THEN it fails and deletes nothing: the cluster may be running", () => {
    const shims = shimDirectory(["kind"], {
      clusters: { "gateway-e2e": { config: "x", images: [] } },
      failures: { "kind get clusters": "Cannot connect to the Docker daemon" },
    });
    const result = run(cluster, "delete", shims);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('cannot tell whether cluster "gateway-e2e" is running, so it was not deleted');
    expect(Object.keys(shims.world().clusters)).toStrictEqual(["gateway-e2e"]);
  });

  it("GIVEN a refresh WHEN the cluster is listed, missing, or the listing fails THEN the check exits 0, 3 (gone), or 1 (cannot tell)", () => {
    const listed = run(cluster, "check", shimDirectory(["kind"], { clusters: { "gateway-e2e": { config: "x", images: [] } } }));
    const missing = run(cluster, "check", shimDirectory(["kind"], { clusters: { other: { config: "x", images: [] } } }));
    const failing = run(
      cluster,
      "check",
      shimDirectory(["kind"], { failures: { "kind get clusters": "Cannot connect to the Docker daemon" } }),
    );

    expect([listed.status, missing.status, failing.status]).toStrictEqual([0, 3, 1]);
    expect(missing.stderr).toContain('kind cluster "gateway-e2e" is gone');
  });
});

describe("a run killed part-way (Ctrl-C: the engine sends SIGINT to the provider's process group, then SIGKILL)", () => {
  /** create-cluster.sh with a `kind create cluster` that hangs, in its own process group, as a provider's child is. */
  async function interruptedCreate(shims: Shims, signal: NodeJS.Signals): Promise<number | null> {
    const running = hangingTool(shims, "kind", "create");
    const environment = cluster.inputs["environment"] as Record<string, string>;
    const child = spawn("/bin/sh", ["-c", cluster.inputs["create"] as string], {
      detached: true,
      stdio: "ignore",
      cwd: shims.root,
      env: { PATH: hermeticPath({ standIns: [shims.bin] }), HOME: shims.root, TMPDIR: shims.root, ...environment },
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      await waitForFile(running);
      expect(workDirs(shims)).toHaveLength(1);
      process.kill(-child.pid!, signal);
      return await exited;
    } finally {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, "SIGKILL");
    }
  }
  const workDirs = (shims: Shims) => readdirSync(shims.root).filter((name) => name.startsWith("e2e-infra-kind-"));

  it("GIVEN kind create is running WHEN SIGINT reaches the process group THEN the script removes its work directory and exits 130", async () => {
    const shims = shimDirectory();
    expect(await interruptedCreate(shims, "SIGINT")).toBe(130);
    expect(workDirs(shims)).toStrictEqual([]);
  });

  it("GIVEN a work directory left by a run killed with SIGKILL THEN the next create removes it", async () => {
    const shims = shimDirectory();
    await interruptedCreate(shims, "SIGKILL");
    expect(workDirs(shims)).toHaveLength(1);

    const again = shimDirectory();
    const stale = join(again.root, "e2e-infra-kind-gateway-e2e.left0v");
    mkdirSync(stale);
    writeFileSync(join(stale, "kind-config.yaml"), "left over");
    const other = join(again.root, "e2e-infra-kind-gateway-e2e-2.keep00");
    mkdirSync(other);
    const notMktemps = join(again.root, "e2e-infra-kind-gateway-e2e.my-notes");
    mkdirSync(notMktemps);
    expect(run(cluster, "create", again).status).toBe(0);
    expect(existsSync(stale)).toBe(false);
    // Another cluster's work directory is not this one's to remove, nor a name mktemp does not give.
    expect(existsSync(other)).toBe(true);
    expect(existsSync(notMktemps)).toBe(true);
  });
});

describe("script text", () => {
  it("GIVEN the shipped scripts THEN shellcheck finds nothing", () => {
    const dir = join(__dirname, "..", "scripts");
    expect(shellcheck(readdirSync(dir).map((file) => join(dir, file)))).toBe("");
  });
});
