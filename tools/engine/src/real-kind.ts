import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { ENGINE_DIR, REPO_ROOT, engineBin, engineUser, type EngineUser } from "./engine";

/** What tools/real-kind/prepare.sh made ready: the test daemon, the real kind and the node image. */
export interface RealKind {
  /** The suite's own Docker daemon (never the user's). */
  dockerHost: string;
  /** kind, kubectl and the node binaries, built from Go modules. */
  bin: string;
  nodeImage: string;
  /** Whether this machine's cgroups are v1, where kubelets 1.35+ need the stack's allowCgroupV1. */
  cgroupV1: boolean;
}

/**
 * Runs tools/real-kind/prepare.sh (every step cached: seconds when built) and reads what it
 * printed. Throws with the end of its output when something could not be built or started.
 */
export function prepareRealKind(): RealKind {
  const result = spawnSync("bash", [join(REPO_ROOT, "tools", "real-kind", "prepare.sh")], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(`tools/real-kind/prepare.sh failed (exit ${result.status}):\n${(result.stderr + result.stdout).slice(-4000)}`);
  }
  const value = (key: string) => {
    const line = result.stdout.split("\n").find((candidate) => candidate.startsWith(`${key}=`));
    if (line === undefined) throw new Error(`tools/real-kind/prepare.sh printed no ${key}=`);
    return line.slice(key.length + 1);
  };
  return {
    dockerHost: value("DOCKER_HOST"),
    bin: value("E2E_REAL_KIND_BIN"),
    nodeImage: value("E2E_REAL_KIND_NODE_IMAGE"),
    cgroupV1: !existsSync("/sys/fs/cgroup/cgroup.controllers"),
  };
}

/**
 * A throwaway user (engineUser) whose `kind` is the real one and whose `docker` talks to the
 * suite's daemon; the engine's toolchain (pulumi, the Kubernetes provider) as for the engine suite.
 */
export function realKindUser(name: string, realKind: RealKind, extraEnv: NodeJS.ProcessEnv = {}): EngineUser {
  const bin = engineBin();
  return engineUser(
    name,
    {
      ...extraEnv,
      DOCKER_HOST: realKind.dockerHost,
      // The real kind first: tools/engine/path holds the kind stand-in (and the dynamic provider's launcher).
      PATH: [realKind.bin, bin, join(ENGINE_DIR, "path"), dirname(process.execPath), process.env["PATH"] ?? ""].join(":"),
    },
    bin,
  );
}

/** The stack settings a machine like this one needs: the node image built here, and cgroup v1 when the machine has it. */
export function machineConfig(realKind: RealKind): Record<string, string> {
  return { nodeImage: realKind.nodeImage, ...(realKind.cgroupV1 ? { allowCgroupV1: "true" } : {}) };
}

/** `docker` against the suite's daemon; throws with its stderr on failure. */
export function docker(realKind: RealKind, ...args: string[]): string {
  const result = spawnSync("docker", args, { encoding: "utf8", env: { ...process.env, DOCKER_HOST: realKind.dockerHost } });
  if (result.status !== 0) throw new Error(`docker ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

/** A line of the suite's report (the README's figures): tools/engine/.vitest/real-kind-report.txt. */
export function report(line: string): void {
  mkdirSync(join(ENGINE_DIR, ".vitest"), { recursive: true });
  appendFileSync(join(ENGINE_DIR, ".vitest", "real-kind-report.txt"), line + "\n");
}
