import { ArgumentError } from "@e2e-infra/core";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

/**
 * What a stack occupies on the machine, so several stacks can be up at once: its kind cluster
 * name, its kubeconfig file and its host ports. Read from stack config by convention: the keys
 * `clusterName`, `kubeconfigPath`, `exclusiveGroup` and every key ending in `HostPort`.
 */
export interface StackFootprint {
  /** e.g. "gateway-e2e" */
  stack: string;
  project: string;
  clusterName: string;
  kubeconfigPath: string;
  /** config key (without namespace) -> host port */
  hostPorts: Record<string, number>;
  /**
   * Config `exclusiveGroup`: stacks of one group are never up at the same time, so their host
   * ports may overlap (their cluster names may not). "" when the stack is in none.
   */
  exclusiveGroup: string;
}

/**
 * The footprint in a stack's config map (keys "project:key", values as in the stack file, over
 * its project's defaults).
 */
export function footprintOf(project: string, stack: string, config: Record<string, unknown>): StackFootprint {
  const text = (key: string) => {
    const found = config[`${project}:${key}`];
    return typeof found === "string" ? found : "";
  };
  const hostPorts: Record<string, number> = {};
  for (const [key, port] of Object.entries(config)) {
    const bare = key.startsWith(`${project}:`) ? key.slice(project.length + 1) : undefined;
    if (bare !== undefined && bare.endsWith("HostPort")) hostPorts[bare] = Number(port);
  }
  return {
    stack,
    project,
    clusterName: text("clusterName"),
    kubeconfigPath: text("kubeconfigPath"),
    hostPorts,
    exclusiveGroup: text("exclusiveGroup"),
  };
}

/** How footprints are read: the file system, or (for an Nx generator) a virtual workspace. */
export interface FileReader {
  exists(path: string): boolean;
  list(dir: string): string[];
  read(path: string): string;
}

const fileSystem: FileReader = {
  exists: existsSync,
  list: (dir) => readdirSync(dir),
  read: (path) => readFileSync(path, "utf8"),
};

/** A project file (Pulumi.yaml): its name and its config declarations. */
interface ProjectFile {
  name: string;
  config?: Record<string, unknown>;
}

/**
 * The config values a project file declares as defaults, keyed "project:key" as in a stack file:
 * what the Pulumi CLI gives the program for a key its stack file does not set (project-level
 * config: `key: {type, description, default}`, or `key: value`).
 */
function declaredDefaults(file: ProjectFile): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const [key, declaration] of Object.entries(file.config ?? {})) {
    const value = typeof declaration === "object" && declaration !== null ? (declaration as { default?: unknown }).default : declaration;
    if (value !== undefined && value !== null) defaults[key.includes(":") ? key : `${file.name}:${key}`] = value;
  }
  return defaults;
}

/** Every project under `stacksDir` (a directory with a Pulumi.yaml), in order of its directory's name. */
function readProjects(stacksDir: string, files: FileReader): { dir: string; file: ProjectFile }[] {
  if (!files.exists(stacksDir)) return [];
  return files
    .list(stacksDir)
    .sort()
    .map((name) => join(stacksDir, name))
    .filter((dir) => files.exists(join(dir, "Pulumi.yaml")))
    .map((dir) => ({ dir, file: parse(files.read(join(dir, "Pulumi.yaml"))) as ProjectFile }));
}

/**
 * The footprints of every stack file (`Pulumi.<stack>.yaml`) of every project under `stacksDir`:
 * each stack file's config over the defaults its project file (Pulumi.yaml) declares, as the
 * Pulumi CLI merges them.
 */
export function readFootprints(stacksDir: string, files: FileReader = fileSystem): StackFootprint[] {
  const footprints: StackFootprint[] = [];
  for (const { dir, file } of readProjects(stacksDir, files)) {
    const defaults = declaredDefaults(file);
    for (const name of files.list(dir).sort()) {
      const match = /^Pulumi\.(.+)\.yaml$/.exec(name);
      if (match === null) continue;
      const stackFile = parse(files.read(join(dir, name))) as { config?: Record<string, unknown> } | null;
      footprints.push(footprintOf(file.name, match[1]!, { ...defaults, ...stackFile?.config }));
    }
  }
  return footprints;
}

/**
 * The default the project file of `project` under `stacksDir` declares for its config key `key`
 * (undefined when it declares none): for a program run without the Pulumi CLI, which would have
 * applied it (under mocks: the stacks' tests, `e2e-infra graph` and `doctor`).
 */
export function declaredDefault(stacksDir: string, project: string, key: string, files: FileReader = fileSystem): unknown {
  const found = readProjects(stacksDir, files).find(({ file }) => file.name === project);
  return found === undefined ? undefined : declaredDefaults(found.file)[`${project}:${key}`];
}

/**
 * Whether two stacks are never up at the same time, as they declare it: the same non-empty
 * `exclusiveGroup` (config; a project declares its default in its Pulumi.yaml, with why). Their
 * host ports may then overlap; `e2e-infra doctor` still finds a port the other one holds.
 */
export function exclusive(a: StackFootprint, b: StackFootprint): boolean {
  const same = a.project === b.project && a.stack === b.stack;
  return !same && a.exclusiveGroup !== "" && a.exclusiveGroup === b.exclusiveGroup;
}

/** A stack's group, as an error names it. */
const group = (footprint: StackFootprint) => (footprint.exclusiveGroup === "" ? "none" : JSON.stringify(footprint.exclusiveGroup));

/**
 * Throws an ArgumentError naming this stack's config key when its cluster name or a host port
 * is one another stack's stack file also uses: those stacks could not be up at the same time.
 * Host ports of stacks in one `exclusiveGroup` may overlap (they are never up together); their
 * cluster names may not. (Stacks may share a kubeconfig file: each merges its own entries into
 * it.) Checked when the program runs, so `pulumi preview` says it before anything exists.
 */
export function assertNoCollisions(self: StackFootprint, others: readonly StackFootprint[]): void {
  const subject = `Stack "${self.stack}"`;
  for (const other of others) {
    if (other.project === self.project && other.stack === self.stack) continue;
    const key = (name: string) => `config ${self.project}:${name}`;
    if (self.clusterName !== "" && self.clusterName === other.clusterName) {
      throw new ArgumentError(
        subject,
        key("clusterName"),
        self.clusterName,
        `expected a cluster name no other stack uses; stack ${other.stack} uses it too`,
      );
    }
    if (exclusive(self, other)) continue;
    for (const [name, port] of Object.entries(self.hostPorts)) {
      const taken = Object.entries(other.hostPorts).find(([, otherPort]) => otherPort === port);
      if (taken !== undefined) {
        throw new ArgumentError(
          subject,
          key(name),
          port,
          `expected a host port no other stack maps; stack ${other.stack} maps it (${other.project}:${taken[0]}); stacks never up at the same time may share host ports: both set the same exclusiveGroup (${other.stack}'s is ${group(other)}; ${key("exclusiveGroup")} is ${group(self)})`,
        );
      }
    }
  }
  const seen = new Map<number, string>();
  for (const [name, port] of Object.entries(self.hostPorts)) {
    const first = seen.get(port);
    if (first !== undefined)
      throw new ArgumentError(
        subject,
        `config ${self.project}:${name}`,
        port,
        `expected a host port of its own; ${self.project}:${first} maps it too`,
      );
    seen.set(port, name);
  }
}
