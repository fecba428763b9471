import { spawnSync } from "node:child_process";

/**
 * The tools some tests run for real rather than against a stand-in, and how to get each. A test
 * that needs one is skipped where it is missing, saying so in one line (see notRunHere).
 */
const HOW_TO_GET = {
  helm: "install helm 3.14+ (https://helm.sh/docs/intro/install/), or build the pinned one with `bash tools/engine/build.sh --only helm` and put its directory on PATH",
  opa: "build the pinned one with `bash tools/engine/build.sh --only opa` and put its directory on PATH",
} as const;

export type RealTool = keyof typeof HOW_TO_GET;

const checked = new Map<string, string | undefined>();

/**
 * Why the tests that need `tool` cannot run here (`helm is not on PATH; <how to get it>`), or
 * undefined when it is on PATH. Looked up once per process and PATH, by running `<tool> version`
 * as the code under test runs it (spawnSync, no shell). Only a missing executable counts: a tool
 * that is there but fails is left to fail the tests that use it.
 */
export function toolMissing(tool: RealTool): string | undefined {
  const key = `${tool}\0${process.env["PATH"] ?? ""}`;
  if (!checked.has(key)) {
    const { error } = spawnSync(tool, ["version"], { stdio: "ignore", timeout: 30_000 });
    const missing = error !== undefined && "code" in error && error.code === "ENOENT";
    checked.set(key, missing ? `${tool} is not on PATH; ${HOW_TO_GET[tool]}` : undefined);
  }
  return checked.get(key);
}

/**
 * When `reason` is set: says in one line on stderr that `what` does not run here and why
 * (`<what>: not run: <reason>`), and returns true, for `it.skipIf` or `describe.skipIf`. Call it
 * once per test file, at collection time, so the line shows once with that file's output.
 */
export function notRunHere(what: string, reason: string | undefined): boolean {
  if (reason === undefined) return false;
  console.warn(`${what}: not run: ${reason}`);
  return true;
}
