import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { StackRun, StackRunResult } from "@e2e-infra/cli/stack-run";

export const ENGINE_DIR = join(__dirname, "..");
export const REPO_ROOT = join(ENGINE_DIR, "..", "..");

/**
 * The directory of the built toolchain (pulumi, pulumi-resource-kubernetes, the control plane,
 * kwok), from `build.sh --check`: throws, naming what is missing, when it is not built.
 */
export function engineBin(): string {
  const result = spawnSync("bash", [join(ENGINE_DIR, "build.sh"), "--check"], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`the engine toolchain is not built: ${result.stderr.trim()} (run: bash tools/engine/build.sh)`);
  return result.stdout.trim().split("\n").pop()!;
}

/** A throwaway user: its own HOME (state backend, kubeconfigs, caches), the built toolchain and stand-ins on PATH. */
export interface EngineUser {
  home: string;
  bin: string;
  env: NodeJS.ProcessEnv;
  /** Where each operation's engine output is appended. */
  log: string;
}

export function engineUser(name: string, extraEnv: NodeJS.ProcessEnv = {}, bin: string = engineBin()): EngineUser {
  const home = mkdtempSync(join(tmpdir(), `e2e-engine-${name}-`));
  mkdirSync(join(home, ".pulumi-e2e-infra"), { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    PULUMI_HOME: join(home, ".pulumi"),
    // The stacks' Pulumi.yaml names file://~/.pulumi-e2e-infra, and the CLI resolves "~" from the
    // user database, not $HOME: the backend is named here (the variable wins over Pulumi.yaml).
    PULUMI_BACKEND_URL: `file://${join(home, ".pulumi-e2e-infra")}`,
    PULUMI_CONFIG_PASSPHRASE: "",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    E2E_ENGINE_BIN: bin,
    E2E_KIND_STATE: join(home, "kind-standin"),
    // The built toolchain, then the stand-ins (kind, the dynamic provider launcher), then node.
    PATH: [bin, join(ENGINE_DIR, "path"), dirname(process.execPath), process.env["PATH"] ?? ""].join(":"),
    ...extraEnv,
  };
  return { home, bin, env, log: join(home, "engine.log") };
}

/** Runs one operation in its own process (a program registers its resources once per process). */
export function pulumiStack(
  user: EngineUser,
  run: Omit<StackRun, "pulumiRoot" | "workDir"> & { workDir?: string },
): Promise<StackRunResult> {
  const full: StackRun = { workDir: join(user.home, "work", run.stack), pulumiRoot: dirname(user.bin), ...run };
  appendFileSync(user.log, `\n=== pulumi ${run.operation} -s ${run.stack} ${new Date().toISOString()}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ENGINE_DIR, "bin", "pulumi-stack.cjs"), JSON.stringify(full)], {
      env: user.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let tail = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => {
      appendFileSync(user.log, chunk);
      tail = (tail + chunk.toString("utf8")).slice(-6000);
    });
    child.on("close", (code) => {
      if (code === 0) resolve(JSON.parse(stdout.trim().split("\n").pop()!) as StackRunResult);
      else reject(new Error(`pulumi ${run.operation} -s ${run.stack} failed (exit ${code}); the end of its output:\n${tail}`));
    });
  });
}

/**
 * The names of the resources a result's steps touched, by operation: { "create": ["app-image-build", ...] }.
 * The stack itself and provider resources are left out (the Node.js dynamic provider holds the
 * stack's config, so a config change updates it without touching any resource).
 */
export function stepNames(result: StackRunResult): Record<string, string[]> {
  const byOp: Record<string, string[]> = {};
  for (const step of result.steps) {
    if (step.type.startsWith("pulumi:providers:") || step.type === "pulumi:pulumi:Stack") continue;
    (byOp[step.op] ??= []).push(step.urn.slice(step.urn.lastIndexOf("::") + 2));
  }
  for (const names of Object.values(byOp)) names.sort();
  return byOp;
}

/** A fresh copy of the service checkout fixture (its Dockerfiles build FROM scratch), for a test to change. */
export function fixtureCheckout(name: string): string {
  const checkout = mkdtempSync(join(tmpdir(), `checkout-${name}-`));
  cpSync(join(REPO_ROOT, "packages", "testing", "examples", "kubernaut-checkout"), checkout, { recursive: true, verbatimSymlinks: true });
  return checkout;
}

/** The clusters `kind get clusters` lists for this user, sorted. */
export function kindClusters(user: EngineUser): string[] {
  const result = spawnSync("kind", ["get", "clusters"], { encoding: "utf8", env: user.env });
  if (result.status !== 0) throw new Error(`kind get clusters: ${result.stderr}`);
  return result.stdout
    .split("\n")
    .filter((name) => name !== "")
    .sort();
}

/** What `e2e-infra timeline --json` measures from a recorded events file. */
export interface Timeline {
  totalMs: number;
  steps: { name: string; type: string; op: string; failed: boolean; start: number; end: number }[];
}

/** Runs `e2e-infra timeline <events> --json`, as a user reads a recorded run. */
export function timeline(events: string): Timeline {
  const result = spawnSync(process.execPath, [join(REPO_ROOT, "tools", "cli", "bin", "e2e-infra.cjs"), "timeline", events, "--json"], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`e2e-infra timeline ${events}: ${result.stderr}`);
  return JSON.parse(result.stdout) as Timeline;
}
