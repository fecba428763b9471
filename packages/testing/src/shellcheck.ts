import { spawnSync } from "node:child_process";

/**
 * Runs Debian's shellcheck over POSIX sh scripts and returns its findings ("" when clean).
 * Throws when shellcheck is not installed: .ci/run installs it, and a check that silently
 * skips could not fail.
 */
export function shellcheck(paths: readonly string[]): string {
  const result = spawnSync("shellcheck", ["--shell=sh", "--severity=style", ...paths], { encoding: "utf8" });
  if (result.error !== undefined) {
    throw new Error(`shellcheck is not installed (looked for it on PATH; apt-get install shellcheck): ${result.error.message}`);
  }
  return result.stdout + result.stderr;
}
