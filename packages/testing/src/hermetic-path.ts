import { existsSync, mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * The tools whose presence differs from machine to machine (a developer's laptop has podman, a CI
 * runner docker, kind or the Pulumi CLI, or none): a test never reaches them by accident. A test
 * that wants one puts a stand-in in front; one that wants it absent leaves it out.
 */
export const MACHINE_TOOLS: readonly string[] = ["docker", "podman", "kind", "helm", "kubectl", "pulumi"];

/**
 * The system utilities the shipped host scripts and the tests' stand-ins may use: POSIX sh, awk,
 * grep, sed and coreutils. (A script that needs another one fails its test with exit code 127:
 * add it here, never a MACHINE_TOOL.)
 */
export const SCRIPT_UTILITIES: readonly string[] = [
  "sh",
  "awk",
  "basename",
  "cat",
  "chmod",
  "cmp",
  "cp",
  "cut",
  "date",
  "dirname",
  "env",
  "grep",
  "head",
  "id",
  "ln",
  "ls",
  "mkdir",
  "mktemp",
  "mv",
  "printf",
  "rm",
  "sed",
  "sha256sum",
  "sleep",
  "sort",
  "tail",
  "tee",
  "touch",
  "tr",
  "uname",
  "wc",
];

/** Where utilities are resolved: the system's directories, never /usr/local/bin, ~/bin or the inherited PATH. */
const SYSTEM_DIRS = ["/usr/bin", "/bin"];

export interface HermeticPathOptions {
  /** Directories of stand-ins, first on the PATH, in this order. */
  standIns?: readonly string[];
  /** System utilities on the PATH after the stand-ins. Default SCRIPT_UTILITIES. */
  utilities?: readonly string[];
}

const utilityDirs = new Map<string, string>();

/**
 * A PATH for a child process built from stand-ins and named system utilities only: `standIns`
 * first, then one directory holding this process's Node as `node` and a symlink to each of
 * `utilities`, resolved in /usr/bin and /bin. Neither the inherited PATH nor a whole system
 * directory is on it, so a docker, podman, kind, helm, kubectl or pulumi installed on this
 * machine is out of reach: a tool the test did not stand in for is absent. Throws when a utility
 * is one of MACHINE_TOOLS or the system does not have it.
 */
export function hermeticPath(options: HermeticPathOptions = {}): string {
  const { standIns = [], utilities = SCRIPT_UTILITIES } = options;
  return [...standIns, utilityDir(utilities)].join(":");
}

/** The directory of `node` and `utilities`, made once per set in this process. */
function utilityDir(utilities: readonly string[]): string {
  const key = [...new Set(utilities)].sort().join(" ");
  const made = utilityDirs.get(key);
  if (made !== undefined) return made;
  const dir = mkdtempSync(join(tmpdir(), "e2e-infra-utilities-"));
  symlinkSync(process.execPath, join(dir, "node"));
  for (const utility of new Set(utilities)) {
    if (MACHINE_TOOLS.includes(utility) || utility === "node") {
      throw new Error(
        `hermeticPath: utilities include "${utility}"; expected system utilities (not ${MACHINE_TOOLS.join(", ")}, node): stand it in instead`,
      );
    }
    const found = SYSTEM_DIRS.map((system) => join(system, utility)).find((path) => existsSync(path));
    if (found === undefined) throw new Error(`hermeticPath: utility "${utility}" is not installed (looked in ${SYSTEM_DIRS.join(", ")})`);
    symlinkSync(found, join(dir, utility));
  }
  utilityDirs.set(key, dir);
  return dir;
}
