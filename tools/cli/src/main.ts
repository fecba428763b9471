import { captureStack, readStackFiles, type ResourceGraph } from "@e2e-infra/testing";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import { formatPlan, plan, readJson, type DurationProfile, type PhaseDescription } from "./plan";
import { formatTimeline, ganttHtml, readEvents, timeline } from "./timeline";

export const USAGE = `e2e-infra graph <stack-dir> [--stack NAME] [--config KEY=VALUE ...] [--json | --dot | --mermaid]
e2e-infra plan <stack-dir> [--stack NAME] [--config KEY=VALUE ...] [--profile FILE] [--parallel N] [--json]
e2e-infra timeline <events-file> [--html FILE] [--json]
e2e-infra record < events > FILE    (timestamps each line of \`pulumi up --json\` on arrival)
`;

/** Parsed command line: positional arguments and --flags (repeatable ones collected). */
export function parseArgs(argv: readonly string[]): { positional: string[]; flags: Map<string, string[]> } {
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  const valued = new Set(["--stack", "--config", "--profile", "--parallel", "--html"]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    const [name, inline] =
      arg.includes("=") && !arg.startsWith("--config=")
        ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
        : [arg, undefined];
    const flag = name.startsWith("--config=") ? "--config" : name;
    if (valued.has(flag)) {
      const value = name.startsWith("--config=") ? name.slice("--config=".length) : (inline ?? argv[++i]);
      if (value === undefined) throw new Error(`${flag} needs a value`);
      flags.set(flag, [...(flags.get(flag) ?? []), value]);
    } else if (["--json", "--dot", "--mermaid"].includes(flag)) {
      flags.set(flag, ["true"]);
    } else {
      throw new Error(`unknown option ${arg}\n${USAGE}`);
    }
  }
  return { positional, flags };
}

/** The stack to use: --stack, or the project's only stack file. */
function stackName(dir: string, flags: Map<string, string[]>): string {
  if (!existsSync(join(dir, "Pulumi.yaml"))) throw new Error(`${dir} is not a Pulumi project: it has no Pulumi.yaml`);
  const given = flags.get("--stack")?.[0];
  const stacks = readdirSync(dir)
    .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
    .filter((name): name is string => name !== undefined);
  if (given !== undefined) {
    if (!stacks.includes(given))
      throw new Error(`${dir} has no stack ${JSON.stringify(given)}; its stacks: ${stacks.join(", ") || "none"}`);
    return given;
  }
  if (stacks.length !== 1) throw new Error(`${dir} has ${stacks.length} stack files (${stacks.join(", ")}): name one with --stack`);
  return stacks[0]!;
}

async function captured(dir: string, flags: Map<string, string[]>): Promise<ResourceGraph> {
  const stack = stackName(dir, flags);
  const { project } = readStackFiles(dir, stack);
  const config: Record<string, string> = {};
  for (const entry of flags.get("--config") ?? []) {
    const cut = entry.indexOf("=");
    if (cut <= 0) throw new Error(`--config ${entry}: expected KEY=VALUE`);
    const key = entry.slice(0, cut);
    config[key.includes(":") ? key : `${project}:${key}`] = entry.slice(cut + 1);
  }
  // As `pulumi` does, run the program in its project directory (relative paths in its config are
  // from there); the CLI runs under a CommonJS TypeScript require hook (bin/e2e-infra.cjs).
  const previous = process.cwd();
  process.chdir(dir);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program loads through ts-node's require hook, which import() would bypass
    const { graph } = await captureStack(dir, stack, { config, load: (path) => require(path) as unknown });
    return graph;
  } finally {
    process.chdir(previous);
  }
}

export function dot(graph: ResourceGraph): string {
  const edges = graph.edgesByName();
  const lines = ["digraph stack {", "  rankdir=LR;", "  node [shape=box, fontsize=10];"];
  for (const [name, deps] of Object.entries(edges)) {
    lines.push(`  ${JSON.stringify(name)};`);
    for (const dep of deps) lines.push(`  ${JSON.stringify(dep)} -> ${JSON.stringify(name)};`);
  }
  return lines.join("\n") + "\n}\n";
}

export function mermaid(graph: ResourceGraph): string {
  const edges = graph.edgesByName();
  const ids = new Map(Object.keys(edges).map((name, index) => [name, `r${index}`]));
  const lines = ["flowchart LR"];
  for (const [name, id] of ids) lines.push(`  ${id}["${name.replace(/"/g, "'")}"]`);
  for (const [name, deps] of Object.entries(edges))
    for (const dep of deps) if (ids.has(dep)) lines.push(`  ${ids.get(dep)} --> ${ids.get(name)}`);
  return lines.join("\n") + "\n";
}

/** Runs one command; returns what to print. Throws with a message for the user on bad input. */
export async function run(argv: readonly string[]): Promise<string> {
  const [command, ...rest] = argv;
  const { positional, flags } = parseArgs(rest);
  if (command === "graph" || command === "plan") {
    const dir = positional[0];
    if (dir === undefined) throw new Error(`${command}: which stack directory?\n${USAGE}`);
    const graph = await captured(resolve(dir), flags);
    if (command === "graph") {
      if (flags.has("--dot")) return dot(graph);
      if (flags.has("--mermaid")) return mermaid(graph);
      if (flags.has("--json")) return JSON.stringify(graph.toJSON(), null, 2) + "\n";
      return (
        Object.entries(graph.edgesByName())
          .map(([name, deps]) => `${name} <- ${deps.join(", ") || "(nothing)"}`)
          .join("\n") + "\n"
      );
    }
    const profile = readJson<DurationProfile>(
      flags.get("--profile")?.[0] ?? join(__dirname, "..", "profiles", "reference.json"),
      "profile",
    );
    const parallelFlag = flags.get("--parallel")?.[0];
    const parallel = parallelFlag === undefined ? 4 * cpus().length : Number(parallelFlag);
    if (!Number.isInteger(parallel) || parallel < 1) throw new Error(`--parallel ${parallelFlag}: expected a positive integer`);
    const phasesFile = join(resolve(dir), "phases.json");
    const phases = existsSync(phasesFile) ? readJson<PhaseDescription>(phasesFile, "phase description") : undefined;
    const result = plan(graph, profile, parallel, phases);
    return flags.has("--json") ? JSON.stringify(result, null, 2) + "\n" : formatPlan(result);
  }
  if (command === "timeline") {
    const file = positional[0];
    if (file === undefined) throw new Error(`timeline: which events file?\n${USAGE}`);
    const result = timeline(readEvents(file), file);
    const html = flags.get("--html")?.[0];
    if (html !== undefined) writeFileSync(html, ganttHtml(result, file));
    return flags.has("--json") ? JSON.stringify(result, null, 2) + "\n" : formatTimeline(result);
  }
  throw new Error(`${command === undefined ? "no command" : `unknown command ${command}`}\n${USAGE}`);
}
