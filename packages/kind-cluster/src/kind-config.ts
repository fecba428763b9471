import { ArgumentError, requireDns1123Label, requireImageReference, requireOptionalBoolean, requireOptionalRecord } from "@e2e-infra/core";
import { isIP } from "node:net";

// Defined in @e2e-infra/core, where image delivery needs them without this package; kept exported here.
export { CONTAINER_RUNTIMES, type ContainerRuntime } from "@e2e-infra/core";

export type NodeRole = "control-plane" | "worker";
export const NODE_ROLES: readonly NodeRole[] = ["control-plane", "worker"];

/** A host port forwarded to a node port (kind `extraPortMappings`). */
export interface PortMapping {
  /** The port on the node, e.g. a Service's NodePort 30081. */
  containerPort: number;
  /** The port on the host, e.g. 28090. */
  hostPort: number;
  /** Host address to bind. Default: the cluster's `listenAddress` (127.0.0.1). */
  listenAddress?: string;
  /** Default: TCP. */
  protocol?: "TCP" | "UDP" | "SCTP";
}

/** A host path mounted into a node (kind `extraMounts`). */
export interface Mount {
  /** Absolute, or relative to the Pulumi project directory. Created as a directory when missing. */
  hostPath: string;
  /** Absolute path inside the node. */
  containerPath: string;
  readOnly?: boolean;
  selinuxRelabel?: boolean;
  propagation?: "None" | "HostToContainer" | "Bidirectional";
}

export interface KindNode {
  role: NodeRole;
  /** Node image for this node; default: the cluster's nodeImage, else kind's default. */
  image?: string;
  extraPortMappings?: PortMapping[];
  extraMounts?: Mount[];
  labels?: Record<string, string>;
  kubeadmConfigPatches?: string[];
}

/** The cluster's shape: everything that, when changed, means a different cluster. */
export interface KindClusterConfig {
  /** kind cluster name. A DNS-1123 label of at most 48 characters (node names append "-control-plane"). */
  name: string;
  /** Node image for all nodes, e.g. "kindest/node:v1.36.1". Default: the kind release's own. */
  nodeImage?: string;
  /** Default: one control-plane node. */
  nodes?: KindNode[];
  /** kubeadm patches for every node (YAML documents). */
  kubeadmConfigPatches?: string[];
  /**
   * The host address every port mapping without one of its own binds. Default "127.0.0.1":
   * only this machine reaches the cluster's services (kind's own default, 0.0.0.0, publishes
   * them, test credentials and all, to every network the machine is on).
   */
  listenAddress?: string;
  /**
   * Let the kubelets run on a host whose cgroups are v1 (a KubeletConfiguration patch,
   * `failCgroupV1: false`). Kubelets of Kubernetes 1.35 and later refuse to start on cgroup v1
   * otherwise (KEP-5573), and older distributions' machines and CI runners still boot v1
   * (`stat -fc %T /sys/fs/cgroup` prints tmpfs, not cgroup2fs). Default false.
   */
  allowCgroupV1?: boolean;
}

/** The kubeadm patch that lets kubelets of Kubernetes 1.35 and later start on cgroup v1. */
export const CGROUP_V1_PATCH = ["kind: KubeletConfiguration", "failCgroupV1: false", ""].join("\n");

/** Where port mappings bind unless told otherwise: loopback only. */
export const DEFAULT_LISTEN_ADDRESS = "127.0.0.1";

/** Longest cluster name: node containers are named "<name>-control-plane", at most 63 characters. */
export const CLUSTER_NAME_MAX = 48;

/**
 * The kubeadm patch every kind config of the reference carries: more API server in-flight
 * requests and controller-manager QPS, so many parallel test processes are not throttled.
 */
export const API_THROUGHPUT_PATCH = [
  "kind: ClusterConfiguration",
  "apiServer:",
  "  extraArgs:",
  '    max-requests-inflight: "800"',
  '    max-mutating-requests-inflight: "400"',
  "controllerManager:",
  "  extraArgs:",
  '    kube-api-qps: "100"',
  '    kube-api-burst: "200"',
  "",
].join("\n");

const PROTOCOLS = ["TCP", "UDP", "SCTP"];
const PROPAGATIONS = ["None", "HostToContainer", "Bidirectional"];
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;
/** Values that reach a script through a newline-separated variable, or a file system. */
const LINE = /^[^\n\r\0]+$/;

/**
 * Checks a cluster config and returns it with defaults applied. Throws an ArgumentError naming
 * the field, the bad value and what is valid. Values may come from untyped stack config, so
 * types are checked too.
 */
export function validateKindConfig(
  subject: string,
  config: KindClusterConfig,
): Required<Pick<KindClusterConfig, "name" | "nodes">> & KindClusterConfig {
  requireDns1123Label(subject, "name", config.name, CLUSTER_NAME_MAX);
  if (config.listenAddress !== undefined && (typeof config.listenAddress !== "string" || isIP(config.listenAddress) === 0)) {
    throw new ArgumentError(subject, "listenAddress", config.listenAddress, 'expected an IPv4 or IPv6 address, e.g. "127.0.0.1" (this machine only) or "0.0.0.0" (every network)');
  }
  if (config.nodeImage !== undefined) requireImage(subject, "nodeImage", config.nodeImage);
  const nodes = config.nodes ?? [{ role: "control-plane" }];
  if (!Array.isArray(nodes) || nodes.length === 0) {
    throw new ArgumentError(subject, "nodes", nodes, "expected a list of at least one node");
  }
  const hostPorts = new Map<string, string>();
  nodes.forEach((node, n) => {
    const at = `nodes[${n}]`;
    if (typeof node !== "object" || node === null || Array.isArray(node)) {
      throw new ArgumentError(subject, at, node, 'expected a node: an object with a role ("control-plane" or "worker")');
    }
    if (!NODE_ROLES.includes(node.role)) {
      throw new ArgumentError(subject, `${at}.role`, node.role, `expected one of ${NODE_ROLES.map((r) => `"${r}"`).join(", ")}`);
    }
    if (node.image !== undefined) requireImage(subject, `${at}.image`, node.image);
    requireList(subject, `${at}.extraPortMappings`, node.extraPortMappings, "expected a list of port mappings { containerPort, hostPort }");
    (node.extraPortMappings ?? []).forEach((mapping, m) => {
      const field = `${at}.extraPortMappings[${m}]`;
      requireObject(subject, field, mapping, "expected a port mapping: { containerPort, hostPort }");
      requirePort(subject, `${field}.containerPort`, mapping.containerPort);
      requirePort(subject, `${field}.hostPort`, mapping.hostPort);
      const protocol = mapping.protocol ?? "TCP";
      if (!PROTOCOLS.includes(protocol)) {
        throw new ArgumentError(subject, `${field}.protocol`, mapping.protocol, `expected one of "TCP", "UDP", "SCTP"`);
      }
      if (mapping.listenAddress !== undefined && (typeof mapping.listenAddress !== "string" || isIP(mapping.listenAddress) === 0)) {
        throw new ArgumentError(subject, `${field}.listenAddress`, mapping.listenAddress, "expected an IPv4 or IPv6 address");
      }
      const key = `${mapping.hostPort}/${protocol}`;
      const first = hostPorts.get(key);
      if (first !== undefined) {
        throw new ArgumentError(
          subject,
          `${field}.hostPort`,
          mapping.hostPort,
          `host port ${key} is already mapped by ${first}; each host port can be mapped once`,
        );
      }
      hostPorts.set(key, field);
    });
    requireList(subject, `${at}.extraMounts`, node.extraMounts, "expected a list of mounts { hostPath, containerPath }");
    (node.extraMounts ?? []).forEach((mount, m) => {
      const field = `${at}.extraMounts[${m}]`;
      requireObject(subject, field, mount, "expected a mount: { hostPath, containerPath }");
      if (typeof mount.hostPath !== "string" || !LINE.test(mount.hostPath)) {
        throw new ArgumentError(subject, `${field}.hostPath`, mount.hostPath, "expected a non-empty path on one line");
      }
      if (typeof mount.containerPath !== "string" || !mount.containerPath.startsWith("/") || !LINE.test(mount.containerPath)) {
        throw new ArgumentError(subject, `${field}.containerPath`, mount.containerPath, "expected an absolute path inside the node");
      }
      requireOptionalBoolean(subject, `${field}.readOnly`, mount.readOnly);
      requireOptionalBoolean(subject, `${field}.selinuxRelabel`, mount.selinuxRelabel);
      if (mount.propagation !== undefined && !PROPAGATIONS.includes(mount.propagation)) {
        throw new ArgumentError(
          subject,
          `${field}.propagation`,
          mount.propagation,
          `expected one of "None", "HostToContainer", "Bidirectional"`,
        );
      }
    });
    requireOptionalRecord(subject, `${at}.labels`, node.labels, "expected a map of label keys to values");
    for (const [key, value] of Object.entries(node.labels ?? {})) {
      if (!LABEL_KEY.test(key)) throw new ArgumentError(subject, `${at}.labels`, key, "expected label keys of the form [prefix/]name");
      if (typeof value !== "string" || value.length > 63 || !LABEL_VALUE.test(value)) {
        throw new ArgumentError(
          subject,
          `${at}.labels[${JSON.stringify(key)}]`,
          value,
          "expected a label value: at most 63 letters, digits, '-', '_' or '.'",
        );
      }
    }
    requirePatches(subject, `${at}.kubeadmConfigPatches`, node.kubeadmConfigPatches);
  });
  if (!nodes.some((node) => node.role === "control-plane")) {
    throw new ArgumentError(
      subject,
      "nodes",
      nodes.map((node) => node.role),
      'expected at least one node with role "control-plane"',
    );
  }
  requirePatches(subject, "kubeadmConfigPatches", config.kubeadmConfigPatches);
  if (config.allowCgroupV1 !== undefined && typeof config.allowCgroupV1 !== "boolean") {
    throw new ArgumentError(subject, "allowCgroupV1", config.allowCgroupV1, "expected true or false");
  }
  return { ...config, nodes };
}

/**
 * The kind config file (kind.x-k8s.io/v1alpha4) for `config`, as JSON (which kind reads as
 * YAML). Deterministic: the same config gives the same text. The cluster name is passed with
 * --name, so it is not in the file.
 */
export function renderKindConfig(config: KindClusterConfig): string {
  const nodes = (config.nodes ?? [{ role: "control-plane" as const }]).map((node) => ({
    role: node.role,
    ...((node.image ?? config.nodeImage) ? { image: node.image ?? config.nodeImage } : {}),
    ...(node.extraPortMappings?.length
      ? { extraPortMappings: node.extraPortMappings.map((m) => ({ ...m, listenAddress: m.listenAddress ?? config.listenAddress ?? DEFAULT_LISTEN_ADDRESS })) }
      : {}),
    ...(node.extraMounts?.length ? { extraMounts: node.extraMounts.map((m) => ({ ...m })) } : {}),
    ...(node.labels && Object.keys(node.labels).length ? { labels: { ...node.labels } } : {}),
    ...(node.kubeadmConfigPatches?.length ? { kubeadmConfigPatches: [...node.kubeadmConfigPatches] } : {}),
  }));
  const patches = [...(config.kubeadmConfigPatches ?? []), ...(config.allowCgroupV1 ? [CGROUP_V1_PATCH] : [])];
  return JSON.stringify(
    {
      kind: "Cluster",
      apiVersion: "kind.x-k8s.io/v1alpha4",
      nodes,
      ...(patches.length ? { kubeadmConfigPatches: patches } : {}),
    },
    null,
    2,
  );
}

/** The host directories of all extraMounts, to create before kind starts the nodes. */
export function mountDirectories(config: KindClusterConfig): string[] {
  const dirs = (config.nodes ?? []).flatMap((node) => (node.extraMounts ?? []).map((mount) => mount.hostPath));
  return [...new Set(dirs)];
}

function requirePort(subject: string, field: string, value: unknown): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 65535) {
    throw new ArgumentError(subject, field, value, "expected a port number from 1 to 65535");
  }
}

function requireImage(subject: string, field: string, value: unknown): void {
  requireImageReference(subject, field, value, "kindest/node:v1.36.1");
}

function requireList(subject: string, field: string, value: unknown, expected: string): void {
  if (value !== undefined && !Array.isArray(value)) throw new ArgumentError(subject, field, value, expected);
}

function requireObject(subject: string, field: string, value: unknown, expected: string): void {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ArgumentError(subject, field, value, expected);
}

function requirePatches(subject: string, field: string, value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.some((patch) => typeof patch !== "string" || patch.trim() === "")) {
    throw new ArgumentError(subject, field, value, "expected a list of non-empty YAML documents");
  }
}
