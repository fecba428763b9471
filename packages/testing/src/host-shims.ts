import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hermeticPath } from "./hermetic-path";

/** One invocation of a shim tool. */
export interface ShimCall {
  tool: string;
  argv: string[];
  /** The environment the tool got, less PATH and the shims' own SHIM_* variables. */
  env: Record<string, string>;
  cwd: string;
  /** What the tool read on stdin, when it was told to read "-". */
  stdin: string;
}

/** The world the shims keep: clusters (with their config and loaded archives) and built images. */
export interface ShimWorld {
  clusters: Record<string, { config: string; images: string[] }>;
  images: Record<string, { built: boolean }>;
  /** "tool word word" (e.g. "kind create cluster") -> an error message that call fails with. */
  failures: Record<string, string>;
}

const FAKE_TOOL = join(__dirname, "..", "shims", "fake-tool.cjs");

/**
 * A directory of fake `kind`, `podman` and `docker` executables that record every call and
 * keep a small world. runHostScript runs a component's real host script with it and system
 * utilities only on PATH (hermeticPath), with no container runtime: a tool left out of `tools`
 * is absent, whatever this machine has installed.
 */
export function shimDirectory(tools: readonly string[] = ["kind", "podman", "docker"], world?: Partial<ShimWorld>) {
  const root = mkdtempSync(join(tmpdir(), "e2e-infra-shims-"));
  const bin = join(root, "bin");
  mkdirSync(bin);
  chmodSync(FAKE_TOOL, 0o755);
  for (const tool of tools) symlinkSync(FAKE_TOOL, join(bin, tool));
  const log = join(root, "calls.jsonl");
  const statePath = join(root, "state.json");
  writeFileSync(statePath, JSON.stringify({ clusters: {}, images: {}, failures: {}, ...world }));
  writeFileSync(log, "");
  return {
    root,
    bin,
    log,
    statePath,
    calls(): ShimCall[] {
      return readFileSync(log, "utf8")
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line) as ShimCall);
    },
    world(): ShimWorld {
      return JSON.parse(readFileSync(statePath, "utf8")) as ShimWorld;
    },
    setWorld(next: ShimWorld): void {
      writeFileSync(statePath, JSON.stringify(next));
    },
  };
}

export type Shims = ReturnType<typeof shimDirectory>;

/**
 * Replaces the shim `tool` with one that hangs (a long `kind create` or `kind load` to interrupt)
 * when its first argument is `command` (any call when omitted), and exits 0 otherwise. It creates
 * the returned marker file first, so a test knows the script has reached it.
 */
export function hangingTool(shims: Shims, tool: string, command?: string): string {
  const marker = join(shims.root, `${tool}.running`);
  const hang = `: > '${marker}'; exec sleep 30`;
  const body = command === undefined ? hang : `case "$1" in ${command}) ${hang} ;; esac\nexit 0`;
  rmSync(join(shims.bin, tool), { force: true });
  writeFileSync(join(shims.bin, tool), `#!/bin/sh\n${body}\n`);
  chmodSync(join(shims.bin, tool), 0o755);
  return marker;
}

/** Resolves once `path` exists; rejects naming it after `timeoutMs` (a loaded CI machine is slow). */
export async function waitForFile(path: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`${path} did not appear within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The result of running a host script. */
export interface HostRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `script` with `/bin/sh -c`, as @pulumi/command's local.Command does, with exactly
 * `environment` plus HOME, TMPDIR and a PATH of the shims, node and the system utilities the
 * scripts use (hermeticPath: no docker, podman, kind, helm, kubectl or pulumi of this machine is
 * reached, so a tool the shims leave out is absent).
 */
export function runHostScript(script: string, environment: Record<string, string>, options: HostScriptOptions): HostRun {
  const result = spawnSync("/bin/sh", ["-c", script], { ...spawnOptions(environment, options), encoding: "utf8" });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** runHostScript without blocking the event loop: for scripts that talk to a server in this process. */
export function runHostScriptAsync(script: string, environment: Record<string, string>, options: HostScriptOptions): Promise<HostRun> {
  return new Promise((resolve, reject) => {
    const child = spawn("/bin/sh", ["-c", script], spawnOptions(environment, options));
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", (status) => resolve({ status, stdout, stderr }));
  });
}

export interface HostScriptOptions {
  shims: Shims;
  cwd?: string;
  home?: string;
  tmpdir?: string;
}

function spawnOptions(environment: Record<string, string>, options: HostScriptOptions) {
  const path = hermeticPath({ standIns: [options.shims.bin] });
  return {
    cwd: options.cwd ?? options.shims.root,
    env: {
      HOME: options.home ?? options.shims.root,
      TMPDIR: options.tmpdir ?? options.shims.root,
      PATH: path,
      SHIM_LOG: options.shims.log,
      SHIM_STATE: options.shims.statePath,
      ...environment,
    },
  };
}
