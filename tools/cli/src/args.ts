import { closest } from "@e2e-infra/core";
import { parseArgs } from "node:util";

/** A command line that does not say what to do: exit code 2, with the command's usage. */
export class UsageError extends Error {}

interface OptionSpec {
  type: "string" | "boolean";
  multiple?: boolean;
  short?: string;
  /** VALUE name in the help; absent for booleans. */
  value?: string;
  help: string;
}

export interface CommandSpec {
  /** Positional arguments as shown in the usage line, e.g. "<stack>" or "[<stack>]". */
  args: string;
  /** How many positional arguments: [at least, at most]. */
  count: [number, number];
  summary: string;
  details: string;
  options: Record<string, OptionSpec>;
}

const STACK: Record<string, OptionSpec> = {
  stack: { type: "string", value: "NAME", help: "the stack (default: the project's only stack file)" },
};
const CONFIG: Record<string, OptionSpec> = {
  config: {
    type: "string",
    multiple: true,
    value: "KEY=VALUE",
    help: "stack config over the stack file's (repeatable; KEY in the project's namespace unless it has one)",
  },
};
const STACK_ARG = `<stack> is a stack's project directory (e.g. stacks/gateway), the name of one under the
repository's stacks/ (gateway), or a stack name (gateway-e2e).`;

export const COMMANDS: Record<string, CommandSpec> = {
  up: {
    args: "<stack>",
    count: [1, 1],
    summary: "bring a stack's environment up (pulumi up through the Automation API)",
    details: `${STACK_ARG}
Creates the local file backend if missing, selects or creates the stack, and shows Pulumi's
progress. PULUMI_CONFIG_PASSPHRASE defaults to empty (throwaway test stacks), and says so. At the
end: the stack's outputs, the measured wall time, the critical path and the Gantt chart's path.
When a workload does not become ready, its pods, events and last logs go to a diagnostics file.
The engine's events are recorded beside it, for \`e2e-infra timeline\`.`,
    options: { ...STACK, ...CONFIG },
  },
  down: {
    args: "<stack>",
    count: [1, 1],
    summary: "remove a stack's environment (pulumi destroy)",
    details: STACK_ARG,
    options: { ...STACK },
  },
  doctor: {
    args: "[<stack>]",
    count: [0, 1],
    summary: "check this machine and a stack: tools and versions, daemons, host ports, free disk, config and checkout",
    details: `Each problem comes with the command that fixes it. Exit code 1 when the stack (or, without
one, any stack) cannot come up on this machine. With a stack, its program also runs under
Pulumi's mocks with its config (plus --config), so every check its preview makes runs too: a
checkout of the service repository without a path the stack reads is named, with the commit
the stack was verified against.
${STACK_ARG}`,
    options: { ...STACK, ...CONFIG },
  },
  graph: {
    args: "<stack>",
    count: [1, 1],
    summary: "what the engine is told: every resource and what it waits for (no engine needed)",
    details: `Runs the stack program under Pulumi's mocks, in its project directory, with its stack file's
config plus --config. ${STACK_ARG}`,
    options: {
      ...STACK,
      ...CONFIG,
      json: { type: "boolean", help: "the graph document (docs/architecture.md)" },
      dot: { type: "boolean", help: "Graphviz" },
      mermaid: { type: "boolean", help: "Mermaid flowchart" },
    },
  },
  plan: {
    args: "<stack>",
    count: [1, 1],
    summary: "the predicted schedule and critical path, against the Go setup's barrier phases",
    details: `${STACK_ARG}
Durations come from a profile (default: profiles/reference.json); the phases from the stack's
phases.json (docs/timeline-events.md).`,
    options: {
      ...STACK,
      ...CONFIG,
      profile: { type: "string", value: "FILE", help: "duration profile" },
      parallel: { type: "string", value: "N", help: "steps at once (default: 4 x CPUs)" },
      json: { type: "boolean", help: "as JSON" },
    },
  },
  timeline: {
    args: "<events-file>",
    count: [1, 1],
    summary: "the measured timeline of a real run, from its engine events",
    details: "Reads JSON lines from `pulumi up --json`, `--event-log` or `e2e-infra record` (docs/timeline-events.md).",
    options: {
      html: { type: "string", value: "FILE", help: "also write a Gantt chart (critical path in red)" },
      json: { type: "boolean", help: "as JSON" },
    },
  },
  record: {
    args: "",
    count: [0, 0],
    summary: "copy engine events from stdin to stdout, timestamped on arrival",
    details: "pulumi up -s demo-e2e --yes --json | e2e-infra record > demo-e2e.events.jsonl",
    options: {},
  },
};

const HELP: OptionSpec = { type: "boolean", short: "h", help: "this help" };

/** The one-screen overview `e2e-infra --help` prints. */
export function overview(version: string): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, spec]) => `  ${name.padEnd(width)}  ${spec.summary}`);
  return `e2e-infra ${version}: Kubernetes e2e environments as Pulumi stacks

usage: e2e-infra <command> [options]

commands:
${lines.join("\n")}

e2e-infra <command> --help shows a command's options. --version prints the version.
`;
}

/** `e2e-infra <command> --help`. */
export function commandHelp(name: string): string {
  const spec = COMMANDS[name]!;
  const options = Object.entries({ ...spec.options, help: HELP }).map(([option, o]) => {
    const flag = `${o.short === undefined ? "    " : `-${o.short}, `}--${option}${o.value === undefined ? "" : ` ${o.value}`}`;
    return `  ${flag.padEnd(24)} ${o.help}`;
  });
  return `usage: e2e-infra ${name}${spec.args === "" ? "" : ` ${spec.args}`} [options]

${spec.summary}.
${spec.details}

options:
${options.join("\n")}
`;
}

export type CommandLine =
  | { kind: "help"; text: string }
  | { kind: "version" }
  | { kind: "run"; command: string; positionals: string[]; values: Record<string, string | boolean | Array<string | boolean> | undefined> };

/** Parses argv (without node and the script) with node:util's parseArgs. Throws UsageError. */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError("which command?");
  if (first === "--help" || first === "-h" || first === "help") {
    const topic = rest[0];
    if (topic !== undefined && COMMANDS[topic] !== undefined) return { kind: "help", text: commandHelp(topic) };
    return { kind: "help", text: "" };
  }
  if (first === "--version" || first === "-v") return { kind: "version" };
  const spec = COMMANDS[first];
  if (spec === undefined) {
    const guess = closest(first, Object.keys(COMMANDS));
    throw new UsageError(`unknown command ${JSON.stringify(first)}${guess === undefined ? "" : `; did you mean ${guess}?`}`);
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...rest],
      allowPositionals: true,
      strict: true,
      options: Object.fromEntries(
        Object.entries({ ...spec.options, help: HELP }).map(([option, o]) => [
          option,
          { type: o.type, ...(o.multiple === true ? { multiple: true } : {}), ...(o.short === undefined ? {} : { short: o.short }) },
        ]),
      ),
    });
  } catch (error) {
    // Node's message, up to its advice on positionals that start with "-".
    const message = (error as Error).message.split("\n")[0]!.replace(/\. To specify a positional argument.*$/, "");
    const unknown = /^Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1];
    const guess = unknown === undefined ? undefined : closest(unknown.replace(/^-+/, ""), Object.keys(spec.options));
    throw new UsageError(`${first}: ${message}${guess === undefined ? "" : `; did you mean --${guess}?`}`, { cause: first });
  }
  if (parsed.values["help"] === true) return { kind: "help", text: commandHelp(first) };
  const [min, max] = spec.count;
  if (parsed.positionals.length < min) throw new UsageError(`${first}: which ${spec.args.replace(/[[\]]/g, "")}?`, { cause: first });
  if (parsed.positionals.length > max)
    throw new UsageError(`${first}: unexpected argument ${JSON.stringify(parsed.positionals[max])}`, { cause: first });
  const exclusive = ["json", "dot", "mermaid"].filter((format) => parsed.values[format] === true);
  if (exclusive.length > 1) throw new UsageError(`${first}: choose one of ${exclusive.map((f) => `--${f}`).join(", ")}`, { cause: first });
  return { kind: "run", command: first, positionals: parsed.positionals, values: parsed.values };
}
