import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, pulumiStack, stepNames, timeline, type EngineUser } from "../../src/engine";
import { docker, machineConfig, prepareRealKind, realKindUser, report, type RealKind } from "../../src/real-kind";

// demo-e2e on the real kind: real nodes (the node image built here), real containers in real
// pods. Its registry images are stand-ins served by the nodes' mirror (PostgreSQL and Redis from
// Debian, tools/real-kind/stand-ins), and the demo's own image is built for real on the node:22
// stand-in (`npm ci` fetches pg from the npm registry) and loaded with `kind load`.
const dir = join(REPO_ROOT, "stacks", "demo");
const stack = "demo-e2e";
let realKind: RealKind;
let user: EngineUser;
const ours = () => ({
  containers: docker(realKind, "ps", "-a", "--filter", `label=io.x-k8s.kind.cluster=${stack}`, "--format", "{{.Names}}").trim(),
  volumes: docker(realKind, "volume", "ls", "--format", "{{.Name}}").trim(),
  networks: docker(realKind, "network", "ls", "--format", "{{.Name}}").trim(),
  archives: readdirSync(tmpdir()).filter((name) => name.startsWith(`e2e-infra-demo-${stack}-`)),
});
let before: ReturnType<typeof ours>;

function kubectl(...args: string[]): string {
  const result = spawnSync(
    "kubectl",
    ["--kubeconfig", join(user.home, ".kube", "demo-e2e-config"), "--context", `kind-${stack}`, ...args],
    {
      encoding: "utf8",
      env: user.env,
    },
  );
  if (result.status !== 0) throw new Error(`kubectl ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

async function get(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(() => {
  realKind = prepareRealKind();
  user = realKindUser("rk-demo", realKind);
  before = ours();
});

describe("demo-e2e on the real kind", () => {
  it("GIVEN nothing WHEN `pulumi up` THEN every pod is Ready and the demo answers at its host URL with data from PostgreSQL and Redis", async () => {
    const events = join(user.home, "demo-e2e.up.jsonl");
    const start = Date.now();
    const result = await pulumiStack(user, { operation: "up", dir, stack, events, config: machineConfig(realKind) });
    const wall = (Date.now() - start) / 1000;
    expect(result.outputs["appUrl"]).toBe("http://localhost:18080");

    // Every pod of every namespace: running with every container ready, or a Job's pod that succeeded.
    const pods = JSON.parse(kubectl("get", "pods", "-A", "-o", "json")) as {
      items: { metadata: { namespace: string; name: string }; status: { phase: string; containerStatuses?: { ready: boolean }[] } }[];
    };
    const notReady = pods.items
      .filter(
        (pod) =>
          !(pod.status.phase === "Succeeded" || (pod.status.phase === "Running" && pod.status.containerStatuses?.every((c) => c.ready))),
      )
      .map((pod) => `${pod.metadata.namespace}/${pod.metadata.name} ${pod.status.phase}`);
    expect(notReady).toStrictEqual([]);
    expect(pods.items.filter((pod) => pod.metadata.namespace === "demo").length).toBeGreaterThanOrEqual(4);

    // The demo itself, through the host port kind publishes on 127.0.0.1 only (listenAddress's default).
    expect(docker(realKind, "port", `${stack}-control-plane`).trim().split("\n").sort()).toStrictEqual([
      "30080/tcp -> 127.0.0.1:18080",
      "30432/tcp -> 127.0.0.1:15432",
      expect.stringMatching(/^6443\/tcp -> 127\.0\.0\.1:\d+$/),
    ]);
    expect(await get("http://localhost:18080/health")).toStrictEqual({ status: 200, body: { status: "ok" } });
    expect(await get("http://localhost:18080/visits")).toStrictEqual({ status: 200, body: { visits: 1, recorded: 1 } });
    expect(await get("http://localhost:18080/visits")).toStrictEqual({ status: 200, body: { visits: 2, recorded: 2 } });

    // The migrations ran once, in PostgreSQL itself: one bookkeeping row per file, the table made.
    const psql = (sql: string) =>
      kubectl("exec", "-n", "demo", "deploy/postgresql", "--", "psql", "-U", "demo", "-d", "demo", "-tAc", sql).trim();
    expect(psql("SELECT version || ' ' || file FROM e2e_infra_migrations ORDER BY version")).toBe("1 001_visits.sql");
    expect(psql("SELECT count(*) FROM visits")).toBe("2");

    // Resources that do work (not the components around them), by how long they took.
    const steps = timeline(events).steps.filter((step) => step.op === "create" && !step.type.startsWith("e2e-infra:"));
    const longest = [...steps].sort((a, b) => b.end - b.start - (a.end - a.start)).slice(0, 5);
    report(
      `demo-e2e cold up on real kind: ${wall.toFixed(1)} s wall (${steps.length} creates); longest: ` +
        longest.map((step) => `${step.name} ${((step.end - step.start) / 1000).toFixed(1)} s`).join(", "),
    );
  });

  it("GIVEN the environment is up WHEN `pulumi up` again THEN nothing changes", async () => {
    const start = Date.now();
    const result = await pulumiStack(user, { operation: "up", dir, stack, config: machineConfig(realKind) });
    expect(stepNames(result)).toStrictEqual({});
    report(`demo-e2e warm up on real kind: ${((Date.now() - start) / 1000).toFixed(1)} s, no changes`);
  });

  it("GIVEN the environment is up WHEN `pulumi destroy` THEN no container, volume, network, kubeconfig or archive of it is left", async () => {
    const start = Date.now();
    await pulumiStack(user, { operation: "destroy", dir, stack });
    report(`demo-e2e destroy on real kind: ${((Date.now() - start) / 1000).toFixed(1)} s`);
    expect(ours()).toStrictEqual(before);
    expect(existsSync(join(user.home, ".kube", "demo-e2e-config"))).toBe(false);
  });
});
