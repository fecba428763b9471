import * as pulumi from "@pulumi/pulumi";
import type * as Yaml from "yaml";

/**
 * Merging a cluster's kubeconfig entries into a kubeconfig file and taking them out again, with
 * kind's semantics (sigs.k8s.io/kind pkg/cluster/internal/kubeconfig: merge.go, remove.go): the
 * cluster, context and user entries of the cluster's kubeconfig replace entries of the same name
 * or are appended; removal drops exactly those names and clears `current-context` if it names the
 * removed context. Unlike kind, a merge never moves `current-context` away from another context:
 * a user's kubectl keeps pointing where it pointed. Everything else in the file (other entries,
 * comments, preferences, extensions) is kept.
 *
 * Pure functions of text, given the `yaml` module: KindCluster checks a file with them at preview
 * and the kubeconfig file's provider (which Pulumi serializes, so it cannot import) merges with them.
 */

// Not exported, and no Set: the provider below references these, and what it references must
// survive Pulumi's serialization (an exported const is read through `exports.`, which does not).
const ENTRY_LISTS = ["clusters", "contexts", "users"] as const;
/** Top-level keys that hold nothing of a user's when their value is empty. */
const SKELETON_KEYS: readonly string[] = ["apiVersion", "kind", "preferences", "current-context", ...ENTRY_LISTS];

/** The names of the entries one cluster's kubeconfig adds, per list, and its context. */
export interface KubeconfigEntries {
  clusters: string[];
  contexts: string[];
  users: string[];
  currentContext: string;
}

type YamlModule = typeof Yaml;

/**
 * Why `text` is not a kubeconfig this module can merge into, or undefined when it is: one YAML
 * document, empty or a mapping that is a kubeconfig (`kind: Config`, or no `kind` and one of the
 * entry lists), whose entry lists are lists of mappings with a name.
 */
export function kubeconfigProblem(yaml: YamlModule, text: string): string | undefined {
  const docs = yaml.parseAllDocuments(text);
  if (docs.length === 0) return undefined;
  if (docs.length > 1) return `holds ${docs.length} YAML documents, a kubeconfig holds one`;
  const doc = docs[0]!;
  if (doc.errors.length > 0) return `is not YAML (${doc.errors[0]!.message.split("\n")[0]})`;
  const contents = doc.contents;
  if (contents === null || (yaml.isScalar(contents) && (contents.value === null || contents.value === ""))) return undefined;
  if (!yaml.isMap(contents)) return "is not a kubeconfig (its YAML is not a mapping)";
  const kind = doc.get("kind");
  if (kind === undefined && !ENTRY_LISTS.some((list) => doc.has(list))) {
    return "is not a kubeconfig (no kind: Config, no clusters, contexts or users)";
  }
  if (kind !== undefined && kind !== "Config") return `is not a kubeconfig (kind: ${JSON.stringify(kind)}, a kubeconfig has kind: Config)`;
  for (const list of ENTRY_LISTS) {
    const node = doc.get(list, true);
    if (node === undefined || node === null || (yaml.isScalar(node) && node.value === null)) continue;
    if (!yaml.isSeq(node)) return `is not a kubeconfig (its ${list} is not a list)`;
    for (const item of node.items) {
      if (!yaml.isMap(item) || typeof item.get("name") !== "string") return `is not a kubeconfig (an entry of its ${list} has no name)`;
    }
  }
  return undefined;
}

/** The entries a cluster's own kubeconfig (as `kind get kubeconfig` prints it) adds. */
export function entriesOf(yaml: YamlModule, ours: string): KubeconfigEntries {
  const problem = kubeconfigProblem(yaml, ours);
  if (problem !== undefined) throw new Error(`the cluster's kubeconfig ${problem}`);
  const doc = yaml.parseDocument(ours);
  const names = (list: string) => listItems(yaml, doc, list).map((item) => String(item.get("name")));
  const currentContext = doc.get("current-context");
  const entries = { clusters: names("clusters"), contexts: names("contexts"), users: names("users") };
  if (typeof currentContext !== "string" || !entries.contexts.includes(currentContext)) {
    throw new Error("the cluster's kubeconfig names no current-context among its contexts");
  }
  return { ...entries, currentContext };
}

/**
 * `existing` (a kubeconfig file's text, undefined when there is no file) with the entries of
 * `ours` put in. `current-context` is set to ours only where the file names none.
 */
export function mergeKubeconfig(yaml: YamlModule, existing: string | undefined, ours: string): string {
  const problem = existing === undefined ? undefined : kubeconfigProblem(yaml, existing);
  if (problem !== undefined) throw new Error(`the file ${problem}; it was left as it is`);
  entriesOf(yaml, ours);
  // Nothing there yet: the cluster's own kubeconfig, as kind writes it.
  if (existing === undefined || isBlank(yaml, existing)) return ours.endsWith("\n") ? ours : `${ours}\n`;
  const mine = yaml.parseDocument(ours);
  const doc = yaml.parseDocument(existing);
  if (doc.get("apiVersion") === undefined) doc.set("apiVersion", "v1");
  if (doc.get("kind") === undefined) doc.set("kind", "Config");
  for (const list of ENTRY_LISTS) {
    let seq = doc.get(list, true);
    if (!yaml.isSeq(seq)) {
      seq = doc.createNode([]);
      doc.set(list, seq);
    }
    const target = seq as Yaml.YAMLSeq;
    target.flow = false;
    for (const entry of listItems(yaml, mine, list)) {
      const node = doc.createNode(entry.toJSON());
      const at = target.items.findIndex((item) => yaml.isMap(item) && item.get("name") === entry.get("name"));
      if (at >= 0) target.items[at] = node;
      else target.items.push(node);
    }
  }
  const current = doc.get("current-context");
  if (typeof current !== "string" || current === "") doc.set("current-context", mine.get("current-context"));
  return render(doc);
}

/**
 * `existing` without `entries`; `current-context` cleared where it named their context. `empty`
 * says that nothing else is left in it (no entry, no other key with a value).
 */
export function removeKubeconfigEntries(
  yaml: YamlModule,
  existing: string,
  entries: KubeconfigEntries,
): { text: string; changed: boolean; empty: boolean } {
  if (kubeconfigProblem(yaml, existing) !== undefined || isBlank(yaml, existing)) return { text: existing, changed: false, empty: isBlank(yaml, existing) };
  const doc = yaml.parseDocument(existing);
  let changed = false;
  for (const list of ENTRY_LISTS) {
    const seq = doc.get(list, true);
    if (!yaml.isSeq(seq)) continue;
    const kept = seq.items.filter((item) => !(yaml.isMap(item) && entries[list].includes(String(item.get("name")))));
    if (kept.length !== seq.items.length) {
      seq.items = kept;
      changed = true;
    }
  }
  if (doc.get("current-context") === entries.currentContext) {
    doc.set("current-context", "");
    changed = true;
  }
  const json = (doc.toJSON() ?? {}) as Record<string, unknown>;
  const empty = Object.entries(json).every(([key, value]) => SKELETON_KEYS.includes(key) && isEmptyValue(key, value));
  return { text: changed ? render(doc) : existing, changed, empty };
}

/** Whether the file at `existing` holds every one of `entries`. */
export function hasEntries(yaml: YamlModule, existing: string, entries: KubeconfigEntries): boolean {
  if (kubeconfigProblem(yaml, existing) !== undefined) return false;
  const doc = yaml.parseDocument(existing);
  return ENTRY_LISTS.every((list) => {
    const names = listItems(yaml, doc, list).map((item) => item.get("name"));
    return entries[list].every((name) => names.includes(name));
  });
}

function listItems(yaml: YamlModule, doc: Yaml.Document, list: string): Yaml.YAMLMap[] {
  const seq = doc.get(list, true);
  return yaml.isSeq(seq) ? seq.items.filter((item): item is Yaml.YAMLMap => yaml.isMap(item)) : [];
}

function isBlank(yaml: YamlModule, text: string): boolean {
  const docs = yaml.parseAllDocuments(text);
  if (docs.length === 0) return true;
  const contents = docs.length === 1 ? docs[0]!.contents : undefined;
  return contents === null || (contents !== undefined && yaml.isScalar(contents) && (contents.value === null || contents.value === ""));
}

function isEmptyValue(key: string, value: unknown): boolean {
  if (key === "apiVersion" || key === "kind") return true;
  if (value === null || value === undefined || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === "object" && Object.keys(value).length === 0;
}

/** As kubectl writes a kubeconfig: lists not indented under their key, no folded lines. */
function render(doc: Yaml.Document): string {
  return doc.toString({ indentSeq: false, lineWidth: 0 });
}

/** What the kubeconfig file resource keeps in the stack's state. */
export interface KubeconfigFileState {
  /** The path as configured: absolute, "~/..." or relative to the project directory. */
  path: string;
  /** The cluster's kubeconfig (a secret). */
  content: string;
  /** The file's absolute path. */
  absolutePath: string;
  /** The entries this resource put in. */
  entries: KubeconfigEntries;
  /** The file did not exist before: destroy removes it when nothing else is left in it. */
  created: boolean;
}

type Inputs = Pick<KubeconfigFileState, "path" | "content">;

/** How long a merge waits for another writer's lock (kubectl, kind, another stack) before it fails. */
const LOCK_WAIT_MS = 60_000;

/**
 * The provider of the kubeconfig file: runs in the engine's Node.js dynamic provider process.
 * Pulumi serializes it into the state, so it references only the functions above, Node's
 * built-ins and the `yaml` module (loaded with `require` when it runs, from this package's own
 * dependencies). Writes take `<file>.lock`, the lock kubectl (client-go) and kind take, so
 * concurrent stacks, kind and `kubectl config` do not lose each other's entries.
 * - create: merge the cluster's entries into the file (creating it, mode 0600, if missing);
 * - update (the kubeconfig changed): merge again;
 * - a new path replaces it (the old file's entries are taken out first);
 * - delete: take the entries out, keeping the file's mode; remove the file only if this resource
 *   created it and nothing else is left in it;
 * - refresh: gone when the file or one of the entries is.
 */
const provider = {
  diff(_id: string, olds: KubeconfigFileState, news: Inputs) {
    const replaces = olds.path === news.path ? [] : ["path"];
    return Promise.resolve({ changes: replaces.length > 0 || olds.content !== news.content, replaces, deleteBeforeReplace: true });
  },
  async create(inputs: Inputs) {
    const state = await provider.merge(inputs, undefined);
    return { id: state.absolutePath, outs: state };
  },
  async update(_id: string, olds: KubeconfigFileState, news: Inputs) {
    return { outs: await provider.merge(news, olds) };
  },
  async delete(_id: string, state: KubeconfigFileState) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs = require("node:fs") as typeof import("node:fs");
    const yaml = provider.yaml();
    await provider.locked(state.absolutePath, () => {
      if (!fs.existsSync(state.absolutePath)) return;
      const { text, changed, empty } = removeKubeconfigEntries(yaml, fs.readFileSync(state.absolutePath, "utf8"), state.entries);
      if (empty && state.created) fs.rmSync(state.absolutePath);
      else if (changed) provider.write(state.absolutePath, text);
    });
  },
  read(id: string, state: KubeconfigFileState) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs = require("node:fs") as typeof import("node:fs");
    const there = fs.existsSync(state.absolutePath) && hasEntries(provider.yaml(), fs.readFileSync(state.absolutePath, "utf8"), state.entries);
    return Promise.resolve(there ? { id, props: state } : { id: "", props: {} });
  },
  /** Merges the entries of `inputs.content` into the file under its lock; `previous` is the state before an update. */
  async merge(inputs: Inputs, previous: KubeconfigFileState | undefined): Promise<KubeconfigFileState> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs = require("node:fs") as typeof import("node:fs");
    const yaml = provider.yaml();
    const absolutePath = provider.resolve(inputs.path);
    const entries = entriesOf(yaml, inputs.content);
    let created = previous?.created ?? false;
    await provider.locked(absolutePath, () => {
      const existing = fs.existsSync(absolutePath) ? fs.readFileSync(absolutePath, "utf8") : undefined;
      if (existing === undefined) created = true;
      provider.write(absolutePath, mergeKubeconfig(yaml, existing, inputs.content));
    });
    return { path: inputs.path, content: inputs.content, absolutePath, entries, created };
  },
  /** "~/..." from the home directory, a relative path from the working directory (the project's). */
  resolve(path: string): string {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const os = require("node:os") as typeof import("node:os");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const paths = require("node:path") as typeof import("node:path");
    return path.startsWith("~/") ? paths.join(os.homedir(), path.slice(2)) : paths.resolve(path);
  },
  /**
   * Replaces the file's content atomically (a temporary file beside it, renamed over it), keeping
   * its mode (0600 for a new file). A symbolic link is followed: its target is written.
   */
  write(path: string, text: string): void {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs = require("node:fs") as typeof import("node:fs");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const paths = require("node:path") as typeof import("node:path");
    const target = fs.existsSync(path) ? fs.realpathSync(path) : path;
    if (fs.existsSync(target) && !fs.statSync(target).isFile()) throw new Error(`kubeconfig ${target} is not a regular file; it was left as it is`);
    const mode = fs.existsSync(target) ? fs.statSync(target).mode & 0o7777 : 0o600;
    const dir = paths.dirname(target);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    // A temporary file a killed run left (its name is this file's and ours) goes first: the lock is held.
    const prefix = `.${paths.basename(target)}.e2e-infra-tmp-`;
    for (const name of fs.readdirSync(dir)) if (name.startsWith(prefix)) fs.rmSync(paths.join(dir, name), { force: true });
    const tmp = paths.join(dir, `${prefix}${process.pid}`);
    try {
      fs.writeFileSync(tmp, text, { mode });
      fs.chmodSync(tmp, mode);
      fs.renameSync(tmp, target);
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  },
  /**
   * Runs `action` holding `<path>.lock` (created exclusively, as client-go and kind do), waiting
   * up to LOCK_WAIT_MS for another holder.
   */
  async locked(path: string, action: () => void): Promise<void> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs = require("node:fs") as typeof import("node:fs");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const paths = require("node:path") as typeof import("node:path");
    const lock = `${path}.lock`;
    fs.mkdirSync(paths.dirname(path), { recursive: true, mode: 0o700 });
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        fs.closeSync(fs.openSync(lock, "wx"));
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        if (Date.now() > deadline) {
          throw new Error(
            `kubeconfig ${path}: ${lock} has been held for ${LOCK_WAIT_MS / 1000} s (kubectl, kind or another stack writing it); if none is running, remove ${lock}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 50 + Math.floor(Math.random() * 100)));
      }
    }
    try {
      action();
    } finally {
      fs.rmSync(lock, { force: true });
    }
  },
  /**
   * Loads `yaml`. This runs in the dynamic provider process, where `require` resolves from its
   * working directory (the stack's directory under the Pulumi CLI and `e2e-infra up`), else from
   * beside the @pulumi/pulumi that runs the provider (`require.main`), as @e2e-infra/tls does.
   */
  yaml(): YamlModule {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const modules = require("node:module") as typeof import("node:module");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaders: Array<(id: string) => unknown> = [(id) => require(id) as unknown];
    const main = require.main?.filename;
    if (main !== undefined) loaders.push(modules.createRequire(main));
    const failures: string[] = [];
    for (const load of loaders) {
      try {
        return load("yaml") as YamlModule;
      } catch (error) {
        if ((error as { code?: string }).code !== "MODULE_NOT_FOUND") throw error;
        failures.push((error as Error).message.split("\n")[0]!);
      }
    }
    throw new Error(`@e2e-infra/kind-cluster cannot load yaml in the dynamic provider process (${failures.join("; ")}); run npm install where the stack's @pulumi/pulumi is installed`);
  },
};

/** The provider of KubeconfigFile (see `provider`), for tests that run it on real files. */
export const kubeconfigFileProvider = provider;

/** A cluster's entries merged into a kubeconfig file on the host, as a Pulumi dynamic resource. */
export class KubeconfigFile extends pulumi.dynamic.Resource {
  /** The file's absolute path. */
  declare readonly absolutePath: pulumi.Output<string>;

  constructor(name: string, args: { path: string; content: pulumi.Input<string> }, opts: pulumi.CustomResourceOptions) {
    super(
      provider,
      name,
      { ...args, absolutePath: undefined, entries: undefined, created: undefined },
      { ...opts, additionalSecretOutputs: ["content"] },
      undefined,
      "KubeconfigFile",
    );
  }
}
