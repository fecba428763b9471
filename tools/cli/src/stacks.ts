import { existsSync, readdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join, relative, resolve } from "node:path";
import { closest } from "@e2e-infra/core";
import { captureStack, readStackFiles, type ResourceGraph } from "@e2e-infra/graph";
import { UsageError } from "./args";

/** The repository's stacks directory (this tool lives in tools/cli). */
export const STACKS_DIR = join(__dirname, "..", "..", "..", "stacks");

export interface StackRef {
  /** The stack's Pulumi project directory (absolute). */
  dir: string;
  /** The stack name, e.g. gateway-e2e. */
  stack: string;
}

function stackFiles(dir: string): string[] {
  return readdirSync(dir)
    .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort();
}

function projects(stacksDir: string): string[] {
  if (!existsSync(stacksDir)) return [];
  return readdirSync(stacksDir)
    .filter((name) => existsSync(join(stacksDir, name, "Pulumi.yaml")))
    .sort();
}

/**
 * The stack a command line names. `arg` is a project directory (from `cwd`), a project under
 * `stacksDir`, or a stack name of one of them; `stack` is --stack. Throws a UsageError that says
 * where it looked and what there is.
 */
export function resolveStack(arg: string, stack: string | undefined, cwd: string, stacksDir: string = STACKS_DIR): StackRef {
  const known = projects(stacksDir);
  const listing = `stacks in ${relative(cwd, stacksDir) || "."}: ${known.join(", ") || "none"}`;
  const asPath = resolve(cwd, arg);
  let dir: string | undefined;
  let implied: string | undefined;
  if (existsSync(asPath) && statSync(asPath).isDirectory()) {
    if (!existsSync(join(asPath, "Pulumi.yaml")))
      throw new UsageError(`${asPath} is not a Pulumi project: it has no Pulumi.yaml (${listing})`);
    dir = asPath;
  } else if (known.includes(arg)) {
    dir = join(stacksDir, arg);
  } else {
    const owner = known.find((project) => stackFiles(join(stacksDir, project)).includes(arg));
    if (owner !== undefined) {
      dir = join(stacksDir, owner);
      implied = arg;
    }
  }
  if (dir === undefined) {
    const names = [...known, ...known.flatMap((project) => stackFiles(join(stacksDir, project)))];
    const guess = closest(arg, names);
    throw new UsageError(
      `no stack ${JSON.stringify(arg)}: not a directory from ${cwd}, nor a project or stack name in ${stacksDir} (${listing})${guess === undefined ? "" : `; did you mean ${guess}?`}`,
    );
  }
  const files = stackFiles(dir);
  const wanted = stack ?? implied;
  if (wanted !== undefined) {
    if (!files.includes(wanted))
      throw new UsageError(`${dir} has no stack ${JSON.stringify(wanted)}; its stacks: ${files.join(", ") || "none"} (a stack file each)`);
    return { dir, stack: wanted };
  }
  if (files.length !== 1)
    throw new UsageError(`${dir} has ${files.length} stack files (${files.join(", ") || "none"}): name one with --stack`);
  return { dir, stack: files[0]! };
}

/** Stack config from --config KEY=VALUE entries; a key without a namespace is the project's. */
export function configEntries(entries: readonly string[], project: string): Record<string, string> {
  const config: Record<string, string> = {};
  for (const entry of entries) {
    const cut = entry.indexOf("=");
    if (cut <= 0) throw new UsageError(`--config ${JSON.stringify(entry)}: expected KEY=VALUE`);
    const key = entry.slice(0, cut);
    config[key.includes(":") ? key : `${project}:${key}`] = entry.slice(cut + 1);
  }
  return config;
}

/**
 * The stack's graph: its program run under Pulumi's mocks with its stack file's config plus
 * --config entries, in its project directory as `pulumi` runs it (relative paths in its config
 * are from there). The CLI runs under a CommonJS TypeScript require hook (bin/e2e-infra.cjs).
 */
export async function captured(ref: StackRef, entries: readonly string[]): Promise<ResourceGraph> {
  const { project } = readStackFiles(ref.dir, ref.stack);
  const config = configEntries(entries, project);
  const previous = process.cwd();
  process.chdir(ref.dir);
  try {
    // The user's home, as a preview sees it (a kubeconfig or CA file there is checked).
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program loads through the CLI's TypeScript require hook (bin/typescript-hook.cjs), which import() would bypass
    const { graph } = await captureStack(ref.dir, ref.stack, { config, home: homedir(), load: (path) => require(path) as unknown });
    return graph;
  } finally {
    process.chdir(previous);
  }
}
