import { capture, readStackFiles, type Capture, type RealTool } from "@e2e-infra/testing";
import type { MockResourceArgs } from "@pulumi/pulumi/runtime/mocks";

/** What a good rejection says: `<subject>: <field> is <value>; <what is valid>`. */
export interface ExpectedMessage {
  /** `Postgres "pg"`, or `Stack "gateway-e2e"` for stack config. */
  subject: string;
  /** The argument's path (`nodes[0].role`) or the config key (`config gateway:clusterName`). */
  field: string;
  /** The bad value as the message shows it: JSON (`"1postgres"`, `30`, `["a"]`), or `missing`. */
  value: string;
  /** A part of what the message says is valid, e.g. `expected a DNS-1035 label`. */
  valid: string;
}

/** One bad input: a component with one bad argument, or a stack with one bad config key. */
export interface BadInput {
  /** The component's class (`Postgres`) or the stack's project (`stack gateway`). */
  component: string;
  /** What is wrong, in a few words. */
  description: string;
  /** Runs the program under mocks; `record` sees every resource registered with the engine. */
  run(record: (args: MockResourceArgs) => undefined): Promise<Capture>;
  /** The root stack resource's name: the one resource registered before the program runs. */
  root: string;
  expected: ExpectedMessage;
}

/** What happened when a bad input was tried. */
export interface Outcome {
  error: unknown;
  /** `type::name` of every resource registered, in order. */
  registered: string[];
}

/** Runs a bad input's program and records what it registered and how it failed (if it did). */
export async function tryBadInput(input: BadInput): Promise<Outcome> {
  const registered: string[] = [];
  const record = (args: MockResourceArgs): undefined => {
    registered.push(`${args.type}::${args.name}`);
    return undefined;
  };
  try {
    await input.run(record);
    return { error: undefined, registered };
  } catch (error) {
    return { error, registered };
  }
}

/** Messages of JavaScript's own errors: a component that did not check an argument before using it. */
const JS_INTERNALS =
  /Cannot read propert|argument must be of type|is not a function|is not iterable|undefined is not|null is not|Cannot convert|is not defined|Maximum call stack/;

/**
 * What is wrong with an outcome: empty when the program was rejected with an ArgumentError that
 * says `<subject>: <field> is <value>; <...valid...>` and nothing but the root stack was
 * registered before it.
 */
export function problemsOf(input: BadInput, outcome: Outcome): string[] {
  const { error, registered } = outcome;
  const problems: string[] = [];
  if (error === undefined) return ["accepted: the program ran without an error"];
  if (!(error instanceof Error)) return [`rejected with a non-Error: ${JSON.stringify(error) ?? typeof error}`];
  const { subject, field, value, valid } = input.expected;
  const prefix = `${subject}: ${field} is ${value}; `;
  if (error instanceof TypeError || error.name !== "ArgumentError") problems.push(`rejected with a ${error.name}, not an ArgumentError`);
  if (JS_INTERNALS.test(error.message)) problems.push("the message is JavaScript's, not the component's");
  if (!error.message.startsWith(prefix)) problems.push(`the message does not start with ${JSON.stringify(prefix)}`);
  if (!error.message.slice(prefix.length).includes(valid))
    problems.push(`the message does not say what is valid (${JSON.stringify(valid)})`);
  const extra = registered.filter((resource) => resource !== `pulumi:pulumi:Stack::${input.root}`);
  if (extra.length > 0 || registered.length !== 1)
    problems.push(`registered before the error: ${extra.join(", ") || "not even the root stack"}`);
  if (problems.length > 0) problems.push(`message: ${error.message}`);
  return problems;
}

/** A component's bad input: `construct` builds it (with fake collaborators, which register nothing). */
export function componentCase(component: string, description: string, construct: () => unknown, expected: ExpectedMessage): BadInput {
  return {
    component,
    description,
    root: "test-test",
    run: (record) => capture(construct, { outputs: record }),
    expected,
  };
}

/**
 * A stack's bad config: the stack in `dir` with its stack file's config, plus `base` (what the
 * stack needs to run at all, e.g. a service checkout), with `config` set and `unset` keys removed.
 */
export function stackCase(
  dir: string,
  stack: string,
  description: string,
  config: { set?: Record<string, unknown>; unset?: string[] },
  expected: Omit<ExpectedMessage, "subject">,
  base: Record<string, unknown> = {},
): BadInput {
  const files = readStackFiles(dir, stack);
  return {
    component: `stack ${files.project}`,
    description,
    root: `${files.project}-${stack}`,
    run: (record) => {
      const values: Record<string, unknown> = { ...files.config, ...base, ...config.set };
      for (const key of config.unset ?? []) delete values[key];
      return capture(
        async () => {
          const module = (await import(files.main)) as { default?: unknown };
          const main = module.default ?? module;
          return typeof main === "function" ? (main as () => unknown)() : main;
        },
        { project: files.project, stack, config: values, outputs: record },
      );
    },
    expected: { subject: `Stack "${stack}"`, ...expected },
  };
}

/** The message's way of showing a value (ArgumentError's): JSON, or `missing`. */
export function shown(value: unknown): string {
  return value === undefined ? "missing" : (JSON.stringify(value) ?? typeof value);
}

/** A value shown in the message as `text` rather than as the value's JSON (e.g. a key of a map). */
export class Shown {
  constructor(readonly text: string) {}
}

/** The bad inputs of one component, and what shows that only the bad argument is wrong. */
export interface ComponentCatalogue {
  component: string;
  /** The component's arguments interface, e.g. `{ file: "packages/postgres/src/postgres.ts", type: "PostgresArgs" }` (from the repository root). */
  args: { file: string; type: string };
  /**
   * Constructs it with the arguments every case starts from: they pass its checks (it registers
   * itself), so a case's rejection is its bad argument's. (With fake collaborators, what comes
   * after may fail; that is not the point.)
   */
  baseline(): Promise<Outcome>;
  /**
   * A tool the baseline runs for real (KubernautRelease renders its chart with helm): where it is
   * missing, the baseline's test says so in one line and does not run. The cases run either way:
   * each is rejected before the tool would run.
   */
  baselineNeeds?: RealTool;
  cases: BadInput[];
}

/**
 * The case factory of one component: `good()` are arguments it accepts (with fake collaborators),
 * `build(name, args)` constructs it. Each case overrides some arguments (an `undefined` override
 * removes one).
 */
export function casesFor<A extends object>(
  component: string,
  build: (name: string, args: A) => unknown,
  good: () => A,
  defaultName: string,
): {
  bad: (description: string, overrides: Record<string, unknown>, field: string, value: unknown, valid: string, name?: string) => BadInput;
  baseline: () => Promise<Outcome>;
} {
  return {
    bad: (description, overrides, field, value, valid, name = defaultName) =>
      componentCase(component, description, () => build(name, { ...good(), ...overrides }), {
        subject: `${component} ${JSON.stringify(name)}`,
        field,
        value: value instanceof Shown ? value.text : shown(value),
        valid,
      }),
    baseline: () =>
      tryBadInput(
        componentCase(component, "the baseline", () => build(defaultName, good()), { subject: "", field: "", value: "", valid: "" }),
      ),
  };
}
