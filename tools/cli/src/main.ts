import { readStackFiles, type ResourceGraph } from "@e2e-infra/graph";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import { commandHelp, overview, parseCommandLine, UsageError, type CommandLine } from "./args";
import { doctor } from "./doctor";
import { down, up } from "./environment";
import { formatPlan, plan, readJson, type DurationProfile, type PhaseDescription } from "./plan";
import { withProgress } from "./progress";
import { record } from "./record";
import { captured, configEntries, resolveStack, type StackRef } from "./stacks";
import { formatTimeline, ganttHtml, readEvents, timeline } from "./timeline";

/** Where a command writes: stdout for results, stderr for progress and errors. */
export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  cwd: string;
}

export const VERSION = (JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")) as { version: string }).version;

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

type Values = Extract<CommandLine, { kind: "run" }>["values"];
const text = (values: Values, name: string) => values[name] as string | undefined;
const list = (values: Values, name: string) => (values[name] as string[] | undefined) ?? [];

async function graphOrPlan(command: "graph" | "plan", ref: StackRef, values: Values, io: Io): Promise<string> {
  // Options are checked before the program runs: a bad one fails at once.
  const profileFlag = text(values, "profile");
  if (profileFlag !== undefined && !existsSync(resolve(io.cwd, profileFlag)))
    throw new UsageError(`--profile ${profileFlag}: no such file (from ${io.cwd})`);
  const profileFile = profileFlag === undefined ? join(__dirname, "..", "profiles", "reference.json") : resolve(io.cwd, profileFlag);
  const parallelFlag = text(values, "parallel");
  const parallel = parallelFlag === undefined ? 4 * cpus().length : Number(parallelFlag);
  if (!Number.isInteger(parallel) || parallel < 1) throw new UsageError(`--parallel ${parallelFlag}: expected a positive integer`);
  const profile = command === "plan" ? readJson<DurationProfile>(profileFile, "profile") : undefined;
  const graph = await withProgress(io.stderr, `${command}: running ${ref.stack}'s program under Pulumi's mocks (${ref.dir})`, () =>
    captured(ref, list(values, "config")),
  );
  if (command === "graph") {
    if (values["dot"] === true) return dot(graph);
    if (values["mermaid"] === true) return mermaid(graph);
    if (values["json"] === true) return JSON.stringify(graph.toJSON(), null, 2) + "\n";
    return (
      Object.entries(graph.edgesByName())
        .map(([name, deps]) => `${name} <- ${deps.join(", ") || "(nothing)"}`)
        .join("\n") + "\n"
    );
  }
  const phasesFile = join(ref.dir, "phases.json");
  const phases = existsSync(phasesFile) ? readJson<PhaseDescription>(phasesFile, "phase description") : undefined;
  const result = plan(graph, profile!, parallel, phases);
  return values["json"] === true ? JSON.stringify(result, null, 2) + "\n" : formatPlan(result);
}

/** One command, parsed: its exit code. Results go to io.stdout, progress to io.stderr. */
async function execute(line: Extract<CommandLine, { kind: "run" }>, io: Io): Promise<number> {
  const { command, positionals, values } = line;
  const stack = () => resolveStack(positionals[0]!, text(values, "stack"), io.cwd);
  switch (command) {
    case "graph":
    case "plan":
      io.stdout.write(await graphOrPlan(command, stack(), values, io));
      return 0;
    case "timeline": {
      const file = resolve(io.cwd, positionals[0]!);
      if (!existsSync(file)) throw new UsageError(`timeline: no events file ${file} (from ${io.cwd})`);
      const result = timeline(readEvents(file), positionals[0]);
      const html = text(values, "html");
      if (html !== undefined) writeFileSync(resolve(io.cwd, html), ganttHtml(result, positionals[0]!));
      io.stdout.write(values["json"] === true ? JSON.stringify(result, null, 2) + "\n" : formatTimeline(result));
      return 0;
    }
    case "record":
      await record(io.stdin, io.stdout);
      return 0;
    case "up": {
      const ref = stack();
      return up(ref, configEntries(list(values, "config"), readStackFiles(ref.dir, ref.stack).project), io);
    }
    case "down":
      return down(stack(), io);
    case "doctor":
      return doctor(positionals[0] === undefined ? undefined : stack(), list(values, "config"), io);
  }
  throw new UsageError(`unknown command ${command}`);
}

/**
 * `e2e-infra <argv>`: the exit code. 0 done; 1 the work failed (a message on stderr); 2 a usage
 * error (what was wrong, then how to get help).
 */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  let line: CommandLine | undefined;
  try {
    line = parseCommandLine(argv);
    if (line.kind === "help") {
      io.stdout.write(line.text === "" ? overview(VERSION) : line.text);
      return 0;
    }
    if (line.kind === "version") {
      io.stdout.write(`e2e-infra ${VERSION}\n`);
      return 0;
    }
    return await execute(line, io);
  } catch (error) {
    if (error instanceof UsageError) {
      const command = line?.kind === "run" ? line.command : typeof error.cause === "string" ? error.cause : undefined;
      io.stderr.write(`e2e-infra: ${error.message}\n`);
      io.stderr.write(
        command === undefined
          ? `usage: e2e-infra <command> [options]; e2e-infra --help lists the commands\n`
          : `${commandHelp(command).split("\n")[0]}; e2e-infra ${command} --help for more\n`,
      );
      return 2;
    }
    io.stderr.write(`e2e-infra: ${(error as Error).message}\n`);
    return 1;
  }
}
