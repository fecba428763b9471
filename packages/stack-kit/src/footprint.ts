import { ArgumentError } from "@e2e-infra/core";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

/**
 * What a stack occupies on the machine, so several stacks can be up at once: its kind cluster
 * name, its kubeconfig file and its host ports. Read from stack config by convention: the keys
 * `clusterName`, `kubeconfigPath` and every key ending in `HostPort`.
 */
export interface StackFootprint {
  /** e.g. "gateway-e2e" */
  stack: string;
  project: string;
  clusterName: string;
  kubeconfigPath: string;
  /** config key (without namespace) -> host port */
  hostPorts: Record<string, number>;
}

/** The footprint in a stack's config map (keys "project:key", values as in the stack file). */
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

/** The footprints of every stack file (`Pulumi.<stack>.yaml`) of every project under `stacksDir`. */
export function readFootprints(stacksDir: string, files: FileReader = fileSystem): StackFootprint[] {
  const footprints: StackFootprint[] = [];
  if (!files.exists(stacksDir)) return footprints;
  for (const dir of files.list(stacksDir).sort()) {
    const projectFile = join(stacksDir, dir, "Pulumi.yaml");
    if (!files.exists(projectFile)) continue;
    const project = (parse(files.read(projectFile)) as { name: string }).name;
    for (const file of files.list(join(stacksDir, dir)).sort()) {
      const match = /^Pulumi\.(.+)\.yaml$/.exec(file);
      if (match === null) continue;
      const stackFile = parse(files.read(join(stacksDir, dir, file))) as { config?: Record<string, unknown> } | null;
      footprints.push(footprintOf(project, match[1]!, stackFile?.config ?? {}));
    }
  }
  return footprints;
}

/**
 * Stacks that are never up at the same time, and why: their host ports may overlap (their
 * cluster names may not). `doctor` still finds a port the other one holds.
 */
export const EXCLUSIVE_STACKS: readonly { stacks: readonly string[]; why: string }[] = [
  {
    stacks: ["datastorage-e2e", "gateway-e2e", "signalprocessing-e2e", "workflowexecution-e2e", "remediationorchestrator-e2e"],
    why: "their suites (at HEAD) read the inter-service CA at ~/.kube/inter-service-ca.pem, beside their kubeconfigs, which each stack writes; some also hard-code the same host ports (28091: DataStorage's metrics in datastorage-e2e, its health in gateway-e2e; 30281: DataStorage's health in signalprocessing-e2e, workflowexecution-e2e and remediationorchestrator-e2e)",
  },
];

/** Whether two stacks are declared never to be up together (in one group of EXCLUSIVE_STACKS). */
export function exclusive(a: string, b: string): boolean {
  return a !== b && EXCLUSIVE_STACKS.some(({ stacks }) => stacks.includes(a) && stacks.includes(b));
}

/**
 * Throws an ArgumentError naming this stack's config key when its cluster name or a host port
 * is one another stack's stack file also uses: those stacks could not be up at the same time.
 * (Stacks may share a kubeconfig file: each merges its own entries into it.) Checked when the program runs, so `pulumi preview` says it before anything exists.
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
    if (exclusive(self.stack, other.stack)) continue;
    for (const [name, port] of Object.entries(self.hostPorts)) {
      const taken = Object.entries(other.hostPorts).find(([, otherPort]) => otherPort === port);
      if (taken !== undefined) {
        throw new ArgumentError(
          subject,
          key(name),
          port,
          `expected a host port no other stack maps; stack ${other.stack} maps it (${other.project}:${taken[0]})`,
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

