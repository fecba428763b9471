import ignore, { type Ignore } from "@balena/dockerignore";
import { createHash } from "node:crypto";
import { existsSync, lstatSync, readFileSync, readdirSync, readlinkSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";

/** What decides the content of an image build. */
export interface BuildContextInput {
  /** The build context directory. */
  context: string;
  /** The Dockerfile, relative to `context` or absolute. Default: "Dockerfile". */
  dockerfile?: string;
  /** `--build-arg` values. */
  buildArgs?: Readonly<Record<string, string>>;
  /** `--target` stage. */
  target?: string;
  /** `--platform`, e.g. "linux/amd64". */
  platform?: string;
}

/** The Dockerfile's path: `dockerfile` taken relative to `context` unless absolute. */
export function dockerfilePath(input: Pick<BuildContextInput, "context" | "dockerfile">): string {
  const dockerfile = input.dockerfile ?? "Dockerfile";
  return isAbsolute(dockerfile) ? dockerfile : join(input.context, dockerfile);
}

/**
 * The ignore rules a builder applies: BuildKit's `<Dockerfile>.dockerignore` when it exists,
 * otherwise `<context>/.dockerignore`, otherwise none.
 */
function ignoreRules(context: string, dockerfile: string): { rules: Ignore; hasExceptions: boolean } {
  const candidates = [`${dockerfile}.dockerignore`, join(context, ".dockerignore")];
  const file = candidates.find((candidate) => existsSync(candidate));
  const patterns = file === undefined ? [] : readFileSync(file, "utf8").split(/\r?\n/);
  return {
    rules: ignore().add(patterns),
    hasExceptions: patterns.some((pattern) => pattern.trim().startsWith("!")),
  };
}

/**
 * The entries of a build context that a builder sends, honouring .dockerignore, in a stable
 * order: one line per entry, `d <path>` for a directory, `f <path> <mode> <sha256>` for a file,
 * `l <path> <target>` for a symbolic link (not followed, as Docker sends it).
 */
export function buildContextEntries(input: Pick<BuildContextInput, "context" | "dockerfile">): string[] {
  const context = resolve(input.context);
  const { rules, hasExceptions } = ignoreRules(context, resolve(dockerfilePath(input)));
  const entries: string[] = [];
  const walk = (dir: string): void => {
    const children = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const child of children) {
      const absolute = join(dir, child.name);
      const path = relative(context, absolute).split(sep).join("/");
      const ignored = rules.ignores(path);
      if (child.isDirectory()) {
        // An ignored directory is still walked when a "!" rule may bring back something inside it.
        if (!ignored) entries.push(`d ${path}`);
        if (!ignored || hasExceptions) walk(absolute);
      } else if (!ignored) {
        if (child.isSymbolicLink()) {
          entries.push(`l ${path} ${readlinkSync(absolute)}`);
        } else if (child.isFile()) {
          const executable = (lstatSync(absolute).mode & 0o111) !== 0 ? "x" : "-";
          const digest = createHash("sha256").update(readFileSync(absolute)).digest("hex");
          entries.push(`f ${path} ${executable} ${digest}`);
        }
      }
    }
  };
  walk(context);
  return entries;
}

/**
 * A SHA-256 over everything that decides a build's result: the context's entries (honouring
 * .dockerignore), the Dockerfile's content (wherever it lives), the build args, target and
 * platform. Paths to the context are not part of it, so the same sources give the same hash on
 * every machine, and a change to any file the builder sees gives a new one.
 */
export function hashBuildContext(input: BuildContextInput): string {
  const context = resolve(input.context);
  if (!existsSync(context) || !statSync(context).isDirectory()) {
    throw new Error(`build context ${JSON.stringify(input.context)} is not a directory`);
  }
  const hash = createHash("sha256");
  const field = (name: string, value: string): void => {
    hash.update(`${name} ${value.length}\n${value}\n`);
  };
  field("dockerfile", readFileSync(dockerfilePath(input), "utf8"));
  for (const entry of buildContextEntries(input)) field("entry", entry);
  const args = Object.entries(input.buildArgs ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, value] of args) field("arg", `${name}=${value}`);
  field("target", input.target ?? "");
  field("platform", input.platform ?? "");
  return hash.digest("hex");
}
