import { ArgumentError, closest, expandHome, isDns1123Label, requireDns1123Label, requireImageReference } from "@e2e-infra/core";
import { DEFAULT_LISTEN_ADDRESS, type ContainerRuntime } from "@e2e-infra/kind-cluster";
import * as pulumi from "@pulumi/pulumi";
import { existsSync, statSync } from "node:fs";
import { isIP } from "node:net";
import { isAbsolute, join, resolve } from "node:path";
import { assertNoCollisions, declaredDefault, readFootprints, type StackFootprint } from "./footprint";
import { checkOptionalKeys, expandPath } from "./optional-keys";

/** A commit of a repository: what a stack was verified against. */
export interface RepositoryCommit {
  repository: string;
  commit: string;
  /** The commit's date, YYYY-MM-DD. */
  date: string;
}

/** The environment variable that stands in for the `serviceRepository` config key. */
export const SERVICE_REPOSITORY_ENV = "E2E_SERVICE_REPOSITORY";

/** A stack's common settings, read from its config and checked before anything is created. */
export interface StackSettings {
  project: string;
  stack: string;
  clusterName: string;
  kubeconfigPath: string;
  containerRuntime: ContainerRuntime | undefined;
  /** Build the images with GOFLAGS=-cover and run them with GOCOVERDIR (DD-TEST-007). */
  coverage: boolean;
  /** config key -> host port, for every `...HostPort` key. */
  hostPorts: Record<string, number>;
  /** The host address the cluster's port mappings bind: config `listenAddress`, default 127.0.0.1 (this machine only). */
  listenAddress: string;
  /**
   * The node image of every node: config `nodeImage`, for machines that cannot pull the one the
   * kind config or kind pins (air-gapped or mirrored machines, or a node image built locally).
   * Default: none, and each node keeps its own.
   */
  nodeImage: string | undefined;
  /** Let kubelets start on a cgroup v1 host: config `allowCgroupV1` (`e2e-infra doctor` proposes it there). Default false. */
  allowCgroupV1: boolean;
  /**
   * Config `exclusiveGroup`: stacks of one group are never up at the same time, so their host
   * ports may overlap (their cluster names may not). Its project's Pulumi.yaml declares its
   * default, and why. Default: none ("" is none too).
   */
  exclusiveGroup: string | undefined;
  config: pulumi.Config;
}

/**
 * Reads and checks the settings every stack has: clusterName (a DNS-1123 label), kubeconfigPath,
 * containerRuntime, coverage, exclusiveGroup and the `...HostPort` keys; then checks them against
 * every other stack file under `stacksDir` (kubeconfig paths compared normalised, "~/" expanded),
 * so any set of stacks can be up at once, but for stacks of one exclusiveGroup, whose host ports
 * may overlap. `otherKeys` are the other keys the stack reads (default:
 * serviceRepository); those with a check in OPTIONAL_KEY_CHECKS (tektonVersion, tektonManifest,
 * dockerConfigFile) are checked here too, before the stack registers anything. Any other key in
 * the project's namespace is rejected as a typo, naming the closest key. A missing or mistyped
 * value is an ArgumentError naming the config key, the value and what is valid, never Pulumi's
 * "Missing required configuration variable".
 */
export function readStackSettings(
  stacksDir: string,
  hostPortKeys: readonly string[],
  otherKeys: readonly string[] = ["serviceRepository"],
): StackSettings {
  const config = new pulumi.Config();
  const project = pulumi.getProject();
  const stack = pulumi.getStack();
  const subject = `Stack "${stack}"`;
  assertKnownKeys(subject, project, [...COMMON_KEYS, ...hostPortKeys, ...otherKeys]);
  const key = (name: string) => `config ${project}:${name}`;
  const clusterName = requireDns1123Label(subject, key("clusterName"), config.get("clusterName"), 48);
  const kubeconfigPath = requireKubeconfigPath(subject, key("kubeconfigPath"), config.get("kubeconfigPath"));
  const runtime = config.get("containerRuntime");
  if (runtime !== undefined && runtime !== "docker" && runtime !== "podman") {
    throw new ArgumentError(subject, key("containerRuntime"), runtime, 'expected "docker" or "podman"');
  }
  const coverage = requireBooleanText(subject, key("coverage"), config.get("coverage"));
  const allowCgroupV1 = requireBooleanText(subject, key("allowCgroupV1"), config.get("allowCgroupV1"));
  const nodeImageText = config.get("nodeImage");
  const nodeImage =
    nodeImageText === undefined ? undefined : requireImageReference(subject, key("nodeImage"), nodeImageText, "kindest/node:v1.36.1");
  const listenAddress = config.get("listenAddress") ?? DEFAULT_LISTEN_ADDRESS;
  if (isIP(listenAddress) === 0) {
    throw new ArgumentError(
      subject,
      key("listenAddress"),
      listenAddress,
      'expected an IPv4 or IPv6 address: "127.0.0.1" (the default: this machine only), or e.g. "0.0.0.0" to publish every host port to every network the machine is on',
    );
  }
  // The project's default when config has none: the Pulumi CLI applies it, a program run under mocks reads it here.
  const groupText = config.get("exclusiveGroup") ?? declaredDefault(stacksDir, project, "exclusiveGroup");
  const exclusiveGroup = requireExclusiveGroup(subject, key("exclusiveGroup"), groupText);
  const hostPorts: Record<string, number> = {};
  for (const name of hostPortKeys) hostPorts[name] = requireHostPort(subject, key(name), config.get(name));
  checkOptionalKeys(subject, project, otherKeys, (name) => config.get(name));
  const self: StackFootprint = { project, stack, clusterName, kubeconfigPath, hostPorts, exclusiveGroup: exclusiveGroup ?? "" };
  assertNoCollisions(self, readFootprints(stacksDir));
  return {
    project,
    stack,
    clusterName,
    kubeconfigPath,
    containerRuntime: runtime,
    coverage,
    hostPorts,
    listenAddress,
    nodeImage,
    allowCgroupV1,
    exclusiveGroup,
    config,
  };
}

/** A boolean from config text: "true" or "false", default false. */
function requireBooleanText(subject: string, field: string, text: string | undefined): boolean {
  if (text !== undefined && text !== "true" && text !== "false") throw new ArgumentError(subject, field, text, "expected true or false");
  return text === "true";
}

/** A group of stacks never up together, from config: a DNS-1123 label; unset or "" is none. */
function requireExclusiveGroup(subject: string, field: string, value: unknown): string | undefined {
  if (value === undefined || value === "") return undefined;
  if (typeof value !== "string" || !isDns1123Label(value)) {
    throw new ArgumentError(
      subject,
      field,
      value,
      'expected a group name, a DNS-1123 label (lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters) such as "kubernaut-head", or "" for none',
    );
  }
  return value;
}

/** A host port from config text: a whole number from 1 to 65535. */
function requireHostPort(subject: string, field: string, text: string | undefined): number {
  const port = text === undefined || text.trim() === "" ? Number.NaN : Number(text);
  if (!Number.isFinite(port)) throw new ArgumentError(subject, field, text, "expected a port from 1 to 65535");
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ArgumentError(subject, field, port, "expected a port from 1 to 65535");
  return port;
}

/** The kubeconfig file's path, as KindCluster takes it: one line, not a directory. */
function requireKubeconfigPath(subject: string, field: string, path: string | undefined): string {
  if (path === undefined || !/^[^\n\r\0]+$/.test(path)) {
    throw new ArgumentError(subject, field, path, 'expected a file path on one line, e.g. "~/.kube/<stack>-config"');
  }
  if (existsSync(expandPath(path)) && statSync(expandPath(path)).isDirectory()) {
    throw new ArgumentError(subject, field, path, "expected a file path; it is a directory");
  }
  return path;
}

/** The config keys every stack reads. */
export const COMMON_KEYS = [
  "clusterName",
  "kubeconfigPath",
  "containerRuntime",
  "coverage",
  "listenAddress",
  "nodeImage",
  "allowCgroupV1",
  "exclusiveGroup",
] as const;

/**
 * Rejects a key in the project's config namespace that the stack does not read (a typo in a stack
 * file, `pulumi config set` or `--config` would otherwise be ignored), naming the closest one.
 */
function assertKnownKeys(subject: string, project: string, known: readonly string[]): void {
  const prefix = `${project}:`;
  for (const key of Object.keys(pulumi.runtime.allConfig())) {
    if (!key.startsWith(prefix) || known.includes(key.slice(prefix.length))) continue;
    const guess = closest(key.slice(prefix.length), known);
    // The key, not its value: a mistyped key may hold a secret.
    throw new ArgumentError(
      subject,
      "a config key",
      key,
      `this stack reads no such key${guess === undefined ? "" : `: did you mean ${prefix}${guess}?`} (its keys: ${[...known].sort().join(", ")})`,
    );
  }
}

/**
 * The checkout of the service repository the stack builds from: config `serviceRepository`, or
 * $E2E_SERVICE_REPOSITORY. "~/" is the home directory; a relative path is from the project
 * directory. Throws naming the key when it is missing, not a directory, or lacks a path in `needs`.
 */
export function requireServiceRepository(
  settings: Pick<StackSettings, "config" | "project" | "stack">,
  needs: readonly string[],
  verifiedAgainst?: RepositoryCommit,
): string {
  const key = `config ${settings.project}:serviceRepository`;
  const subject = `Stack "${settings.stack}"`;
  const raw = settings.config.get("serviceRepository") ?? process.env[SERVICE_REPOSITORY_ENV];
  if (raw === undefined || raw === "") {
    throw new ArgumentError(
      subject,
      key,
      raw,
      `expected the path of a checkout of the service repository: pulumi config set serviceRepository /path/to/kubernaut, or export ${SERVICE_REPOSITORY_ENV}=/path/to/kubernaut`,
    );
  }
  const expanded = expandHome(raw);
  const path = isAbsolute(expanded) ? expanded : resolve(expanded);
  if (!existsSync(path) || !statSync(path).isDirectory()) {
    throw new ArgumentError(subject, key, raw, "expected an existing directory: a checkout of the service repository");
  }
  const missing = [...new Set(needs)].filter((need) => !existsSync(join(path, need)));
  if (missing.length > 0) {
    const verified =
      verifiedAgainst === undefined
        ? ""
        : `; it was verified against ${verifiedAgainst.repository} ${verifiedAgainst.commit.slice(0, 9)} of ${verifiedAgainst.date}`;
    throw new ArgumentError(
      subject,
      key,
      raw,
      `expected a checkout of the service repository; it has no ${missing.join(", ")} (${missing.length} of the ${new Set(needs).size} paths this stack reads${verified})`,
    );
  }
  return path;
}

/** The KindCluster arguments a stack's settings decide: its name, runtime, kubeconfig, listen address, cgroup v1 and node image. */
export function clusterSettings(settings: StackSettings) {
  return {
    name: settings.clusterName,
    containerRuntime: settings.containerRuntime,
    kubeconfigPath: settings.kubeconfigPath,
    listenAddress: settings.listenAddress,
    allowCgroupV1: settings.allowCgroupV1,
    ...(settings.nodeImage === undefined ? {} : { nodeImage: settings.nodeImage }),
  };
}
