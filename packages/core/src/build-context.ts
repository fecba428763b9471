import ignore, { type Ignore } from "@balena/dockerignore";
import { createHash } from "node:crypto";
import { existsSync, lstatSync, readFileSync, readdirSync, readlinkSync, statSync, type Stats } from "node:fs";
import { isAbsolute, join, posix, relative, resolve, sep } from "node:path";

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
  /**
   * The paths, relative to `context`, that the build reads (files or directories, a directory
   * with everything beneath it). When given, only the entries under them count, with the
   * Dockerfile and its ignore file. Default: the whole context.
   */
  sources?: readonly string[];
}

/** The Dockerfile's path: `dockerfile` taken relative to `context` unless absolute. */
export function dockerfilePath(input: Pick<BuildContextInput, "context" | "dockerfile">): string {
  const dockerfile = input.dockerfile ?? "Dockerfile";
  return isAbsolute(dockerfile) ? dockerfile : join(input.context, dockerfile);
}

/** A path relative to the context in the form entries use ("a/b"), or undefined when it is absolute or leaves the context. */
function contextRelativePath(path: string): string | undefined {
  if (path === "" || isAbsolute(path) || path.includes("\0")) return undefined;
  const normal = posix.normalize(path.split(sep).join("/")).replace(/\/+$/, "");
  if (normal === ".." || normal.startsWith("../")) return undefined;
  return normal === "" ? "." : normal;
}

interface IgnoreRules {
  /** The ignore file's content ("" when there is none). */
  content: string;
  rules: Ignore;
  /** The `!` patterns, cleaned as the builder cleans them, split into path segments. */
  exceptions: string[][];
}

/**
 * The ignore rules a builder applies: BuildKit's `<Dockerfile>.dockerignore` when it exists,
 * otherwise `<context>/.dockerignore`, otherwise none.
 */
function ignoreRules(context: string, dockerfile: string): IgnoreRules {
  const candidates = [`${dockerfile}.dockerignore`, join(context, ".dockerignore")];
  const file = candidates.find((candidate) => existsSync(candidate));
  const content = file === undefined ? "" : readFileSync(file, "utf8");
  const patterns = content.split(/\r?\n/);
  const exceptions = patterns
    .map((pattern) => pattern.trim())
    .filter((pattern) => pattern.startsWith("!"))
    .map((pattern) => posix.normalize(pattern.slice(1).trim()).replace(/^\/+/, "").replace(/\/+$/, ""))
    .filter((pattern) => pattern !== "" && pattern !== ".")
    .map((pattern) => pattern.split("/"));
  return { content, rules: ignore().add(patterns), exceptions };
}

/**
 * Whether an exception (the segments of a `!` pattern) could match `dir` or something beneath
 * it. Patterns are anchored at the context's root, so a segment that cannot match the
 * directory's segment at the same depth rules the exception out; `**` and character classes
 * are taken to match anything.
 */
function reachesInto(exception: readonly string[], dir: readonly string[]): boolean {
  for (let i = 0; i < dir.length; i++) {
    const segment = exception[i];
    if (segment === undefined) return true; // names an ancestor of dir: kept, to be safe
    if (segment.includes("**") || segment.includes("[")) return true;
    if (!segmentPattern(segment).test(dir[i]!)) return false;
  }
  return true;
}

/** One path segment of a .dockerignore pattern (`*`, `?`, `\` escapes; no `/`) as a RegExp. */
function segmentPattern(segment: string): RegExp {
  let source = "";
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i]!;
    if (char === "*") source += "[^/]*";
    else if (char === "?") source += "[^/]";
    else {
      const literal = char === "\\" && i + 1 < segment.length ? segment[++i]! : char;
      source += literal.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    }
  }
  return new RegExp(`^${source}$`);
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Walks what a builder sends from `context` (or only from `sources` within it), calling `add`
 * with one line per entry: `d <path>` for a directory, `f <path> <mode> <sha256>` for a file,
 * `l <path> <target>` for a symbolic link (not followed, as Docker sends it).
 *
 * An ignored directory is entered only when some `!` pattern could match something beneath it
 * (as BuildKit does), so `.git` or `vendor/` are never read because an unrelated exception
 * exists; a directory that is entered only for such an exception and cannot be read is
 * skipped, as BuildKit skips it.
 */
function walkContext(
  context: string,
  ignored: IgnoreRules,
  sources: readonly string[] | undefined,
  add: (path: string, line: string) => void,
): void {
  const reachable = (path: string): boolean => {
    const segments = path.split("/");
    return ignored.exceptions.some((exception) => reachesInto(exception, segments));
  };
  const visit = (absolute: string, path: string, stats: Pick<Stats, "isDirectory" | "isSymbolicLink" | "isFile">): void => {
    const isIgnored = ignored.rules.ignores(path);
    if (stats.isDirectory()) {
      if (!isIgnored) add(path, `d ${path}`);
      if (!isIgnored || reachable(path)) walk(absolute, isIgnored);
    } else if (!isIgnored) {
      if (stats.isSymbolicLink()) {
        add(path, `l ${path} ${readlinkSync(absolute)}`);
      } else if (stats.isFile()) {
        const executable = (lstatSync(absolute).mode & 0o111) !== 0 ? "x" : "-";
        const digest = createHash("sha256").update(readFileSync(absolute)).digest("hex");
        add(path, `f ${path} ${executable} ${digest}`);
      }
    }
  };
  const walk = (dir: string, isIgnored: boolean): void => {
    let children;
    try {
      children = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (isIgnored && (code === "EACCES" || code === "EPERM")) return;
      throw error;
    }
    for (const child of children.sort((a, b) => byName(a.name, b.name))) {
      const absolute = join(dir, child.name);
      visit(absolute, relative(context, absolute).split(sep).join("/"), child);
    }
  };

  if (sources === undefined) {
    walk(context, false);
    return;
  }
  for (const source of sources) {
    const path = contextRelativePath(source);
    if (path === undefined) throw new Error(`source ${JSON.stringify(source)} is not a path inside the build context`);
    if (path === ".") {
      walk(context, false);
      continue;
    }
    // Nothing beneath an ignored directory that no exception reaches is sent.
    const segments = path.split("/");
    const hidden = segments.slice(0, -1).some((_, i) => {
      const ancestor = segments.slice(0, i + 1).join("/");
      return ignored.rules.ignores(ancestor) && !reachable(ancestor);
    });
    if (hidden) continue;
    const absolute = join(context, path);
    if (!existsSync(absolute) && !isSymbolicLink(absolute)) {
      throw new Error(`source ${JSON.stringify(source)} does not exist in the build context ${context}`);
    }
    visit(absolute, path, lstatSync(absolute));
  }
}

function isSymbolicLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * The entries of a build context that a builder sends, honouring .dockerignore, in a stable
 * order: one line per entry, `d <path>` for a directory, `f <path> <mode> <sha256>` for a file,
 * `l <path> <target>` for a symbolic link (not followed, as Docker sends it). With `sources`,
 * only the entries under those paths, each once, ordered by path.
 */
export function buildContextEntries(input: Pick<BuildContextInput, "context" | "dockerfile" | "sources">): string[] {
  const context = resolve(input.context);
  return entriesOf(context, ignoreRules(context, resolve(dockerfilePath(input))), input.sources);
}

function entriesOf(context: string, ignored: IgnoreRules, sources: readonly string[] | undefined): string[] {
  if (sources === undefined) {
    const entries: string[] = [];
    walkContext(context, ignored, undefined, (_, line) => entries.push(line));
    return entries;
  }
  const byPath = new Map<string, string>();
  walkContext(context, ignored, sources, (path, line) => byPath.set(path, line));
  return [...byPath.keys()].sort(byName).map((path) => byPath.get(path)!);
}

/**
 * A SHA-256 over everything that decides a build's result: the context's entries (honouring
 * .dockerignore), the Dockerfile's content (wherever it lives), the build args, target and
 * platform. With `sources`, only the entries under them, plus the ignore file's content.
 * Paths to the context are not part of it, so the same sources give the same hash on every
 * machine, and a change to any file the builder sees (of the declared sources) gives a new one.
 */
export function hashBuildContext(input: BuildContextInput): string {
  const context = resolve(input.context);
  if (!existsSync(context) || !statSync(context).isDirectory()) {
    throw new Error(`build context ${JSON.stringify(input.context)} is not a directory`);
  }
  const ignored = ignoreRules(context, resolve(dockerfilePath(input)));
  const hash = createHash("sha256");
  const field = (name: string, value: string): void => {
    hash.update(`${name} ${value.length}\n${value}\n`);
  };
  field("dockerfile", readFileSync(dockerfilePath(input), "utf8"));
  if (input.sources !== undefined) field("ignore", ignored.content);
  for (const entry of entriesOf(context, ignored, input.sources)) field("entry", entry);
  const args = Object.entries(input.buildArgs ?? {}).sort(([a], [b]) => byName(a, b));
  for (const [name, value] of args) field("arg", `${name}=${value}`);
  field("target", input.target ?? "");
  field("platform", input.platform ?? "");
  return hash.digest("hex");
}
