import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureDockerDaemon, nodeBaseImageStandIn } from "../src/docker";
import { ENGINE_DIR, REPO_ROOT, engineUser, fixtureCheckout, pulumiStack, type EngineUser } from "../src/engine";

// The timed mode (`npm run test:engine:timed`): the stand-ins take the durations of the plan
// profile, scaled by E2E_ENGINE_TIMED (default 0.1), and each stack's cold `pulumi up` on the
// real engine is measured beside `e2e-infra plan`'s prediction for the same durations and the
// barrier-phase schedule of the Go setup, in the same (scaled) seconds.
//
// The stand-ins' durations: a docker build takes the profile's image build, `kind create` the
// cluster, `kind load` the image load (each scaled); every pod starts after one delay (the
// stand-in has one, not one per workload), so the profile the prediction uses gives every
// Deployment and Job that delay. Everything else is what it really takes here.
const factor = Number(process.env["E2E_ENGINE_TIMED"] ?? "0.1");
const cli = join(REPO_ROOT, "tools", "cli", "bin", "e2e-infra.cjs");
const reference = JSON.parse(readFileSync(join(REPO_ROOT, "tools", "cli", "profiles", "reference.json"), "utf8")) as {
  defaultSeconds: number;
  rules: { type?: string; name?: string; seconds: number; source: string }[];
};
function seconds(name: string): number {
  const rule = reference.rules.find((candidate) => candidate.name === name);
  if (rule === undefined) throw new Error(`profiles/reference.json has no rule for ${name}`);
  return rule.seconds;
}
const POD_START = 10;
const durations = {
  build: seconds("-image-build$") * factor,
  cluster: seconds("-cluster$") * factor,
  load: seconds("-image-load$") * factor,
  pod: POD_START * factor,
};

let user: EngineUser;
let checkout: string;
let profile: string;
const report: string[] = [];

function cliJson<T>(args: string[]): T {
  const result = spawnSync(process.execPath, [cli, ...args, "--json"], { encoding: "utf8", cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`e2e-infra ${args.join(" ")}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

beforeAll(async () => {
  const realDocker = spawnSync("sh", ["-c", "command -v docker"], { encoding: "utf8" }).stdout.trim();
  user = engineUser("timed", {
    E2E_REAL_DOCKER: realDocker,
    E2E_DOCKER_BUILD_SECONDS: durations.build.toFixed(2),
    E2E_KIND_CREATE_SECONDS: durations.cluster.toFixed(2),
    E2E_KIND_LOAD_SECONDS: durations.load.toFixed(2),
    E2E_KIND_POD_START_SECONDS: durations.pod.toFixed(2),
  });
  user.env["PATH"] = `${join(ENGINE_DIR, "timed")}:${user.env["PATH"]}`;
  await ensureDockerDaemon(user.home);
  nodeBaseImageStandIn();
  checkout = fixtureCheckout("timed");
  // The profile the stand-ins follow: the reference scaled, workloads at the pod start delay.
  profile = join(user.home, "timed-profile.json");
  writeFileSync(
    profile,
    JSON.stringify({
      description: `profiles/reference.json x ${factor}; every Deployment and Job at the stand-in's pod start delay (${POD_START} s x ${factor})`,
      defaultSeconds: reference.defaultSeconds * factor,
      rules: reference.rules.map((rule) =>
        rule.type === "kubernetes:apps/v1:Deployment" || rule.type === "kubernetes:batch/v1:Job"
          ? { ...rule, seconds: durations.pod }
          : { ...rule, seconds: rule.seconds * factor },
      ),
    }),
  );
}, 900_000);

const stacks = [
  { project: "demo", stack: "demo-e2e" },
  { project: "datastorage", stack: "datastorage-e2e" },
  { project: "gateway", stack: "gateway-e2e" },
  { project: "signalprocessing", stack: "signalprocessing-e2e" },
  { project: "remediationorchestrator", stack: "remediationorchestrator-e2e" },
];

describe(`timed mode (durations x ${factor})`, () => {
  it.each(stacks)(
    "GIVEN $stack WHEN brought up cold THEN the engine's wall time is measured beside the plan's prediction and the barrier phases",
    async ({ project, stack }) => {
      const dir = join(REPO_ROOT, "stacks", project);
      const config: Record<string, string> = project === "demo" ? {} : { serviceRepository: checkout };
      const events = join(user.home, `${stack}.timed.jsonl`);
      const started = Date.now();
      await pulumiStack(user, { operation: "up", dir, stack, config, events });
      const wall = (Date.now() - started) / 1000;
      const measured = cliJson<{ totalMs: number }>(["timeline", events]).totalMs / 1000;
      const configFlags = Object.entries(config).flatMap(([key, value]) => ["--config", `${key}=${value}`]);
      const planned = cliJson<{ graph: { seconds: number }; phased?: { seconds: number }; sequentialSeconds: number }>([
        "plan",
        dir,
        "--profile",
        profile,
        "--parallel",
        "8",
        ...configFlags,
      ]);
      report.push(
        `${stack.padEnd(22)} measured ${measured.toFixed(1).padStart(6)} s (whole \`pulumi up\` ${wall.toFixed(1)} s) | predicted ${planned.graph.seconds.toFixed(1).padStart(6)} s | barrier phases ${(planned.phased?.seconds ?? NaN).toFixed(1).padStart(6)} s | sequential ${planned.sequentialSeconds.toFixed(1).padStart(6)} s`,
      );
      await pulumiStack(user, { operation: "destroy", dir, stack, config });
      // The stand-ins really take these durations: no engine finishes before its critical path.
      expect(measured).toBeGreaterThanOrEqual(planned.graph.seconds * 0.9);
    },
  );

  it("reports", () => {
    const text = [`timed mode: durations x ${factor} (seconds, scaled)`, ...report].join("\n");
    mkdirSync(join(ENGINE_DIR, ".vitest"), { recursive: true });
    writeFileSync(join(ENGINE_DIR, ".vitest", "timed-report.txt"), text + "\n");
    console.log(text);
    expect(report).toHaveLength(stacks.length);
  });
});
