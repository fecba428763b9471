import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { capture, type Capture, type CaptureOptions } from "./capture";

/** A stack's project name and config, as the Pulumi CLI would read them from its files. */
export function readStackFiles(dir: string, stack: string): { project: string; main: string; config: Record<string, unknown> } {
  const projectFile = join(dir, "Pulumi.yaml");
  if (!existsSync(projectFile)) throw new Error(`${dir} is not a Pulumi project: it has no Pulumi.yaml`);
  const project = parse(readFileSync(projectFile, "utf8")) as { name: string; main?: string };
  const stackFile = join(dir, `Pulumi.${stack}.yaml`);
  if (!existsSync(stackFile)) throw new Error(`${dir} has no stack ${JSON.stringify(stack)}: ${stackFile} does not exist`);
  const settings = (parse(readFileSync(stackFile, "utf8")) as { config?: Record<string, unknown> } | null) ?? {};
  return { project: project.name, main: join(dir, project.main ?? "index.ts"), config: settings.config ?? {} };
}

/**
 * The config keys that Pulumi.yaml declares without a default and the stack file does not set.
 * The CLI refuses to run such a stack ("Stack '...' is missing configuration value"), so an
 * optional setting must not be declared there.
 */
export function missingDeclaredConfig(dir: string, stack: string): string[] {
  const project = parse(readFileSync(join(dir, "Pulumi.yaml"), "utf8")) as {
    name: string;
    config?: Record<string, { default?: unknown } | null>;
  };
  const { config } = readStackFiles(dir, stack);
  return Object.entries(project.config ?? {})
    .filter(([key, declaration]) => declaration?.default === undefined && config[`${project.name}:${key}`] === undefined)
    .map(([key]) => key);
}

/**
 * The config keys a project documents: those declared in its Pulumi.yaml and the optional ones
 * listed in its comment ("#   key: what it is"), sorted.
 */
export function documentedConfigKeys(dir: string): string[] {
  const text = readFileSync(join(dir, "Pulumi.yaml"), "utf8");
  const project = parse(text) as { config?: Record<string, unknown> };
  const optional = [...text.matchAll(/^# {3}([A-Za-z][A-Za-z0-9]*): /gm)].map((match) => match[1]!);
  return [...new Set([...Object.keys(project.config ?? {}), ...optional])].sort();
}

/**
 * Runs the Pulumi program in `dir` under mocks with the config of its stack file
 * `Pulumi.<stack>.yaml` (plus `config` overrides), as `pulumi preview -s <stack>` would run it.
 * A program exporting an async function (`export = async () => ...`) is called.
 */
export async function captureStack(
  dir: string,
  stack: string,
  options: Omit<CaptureOptions, "project" | "stack"> & {
    /** How to load the program module. Default: import(); a CommonJS tool with a TypeScript require hook passes `require`. */
    load?: (path: string) => unknown;
  } = {},
): Promise<Capture> {
  const files = readStackFiles(dir, stack);
  const load = options.load ?? ((path: string) => import(path));
  return capture(
    async () => {
      const module = (await load(files.main)) as Record<string, unknown> & { default?: unknown };
      const main = module.default ?? module;
      return typeof main === "function" ? (main as () => unknown)() : main;
    },
    { ...options, project: files.project, stack, config: { ...files.config, ...options.config } },
  );
}

/**
 * Loads and runs the stack program in `dir` as Pulumi's Node.js runtime does (ts-node with the
 * stack's tsconfig.json, type-checked, CommonJS), in a separate process, under mocks; returns
 * the names of its outputs. Catches what vitest's own TypeScript handling would not: a program
 * or package that ts-node cannot load.
 */
export function loadWithTsNode(dir: string, stack: string, config: Record<string, unknown> = {}): string[] {
  const files = readStackFiles(dir, stack);
  const runner = join(__dirname, "..", "runner", "ts-node-program.cjs");
  const result = spawnSync(
    process.execPath,
    [runner, JSON.stringify({ dir, project: files.project, stack, config: { ...files.config, ...config } })],
    {
      encoding: "utf8",
      timeout: 120_000,
    },
  );
  if (result.status !== 0) throw new Error(`the program in ${dir} did not load under ts-node: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").pop() ?? "[]") as string[];
}
