import { ArgumentError } from "@e2e-infra/core";
import { KindCluster, type KindNode, type Mount, type PortMapping } from "@e2e-infra/kind-cluster";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { clusterSettings, type RepositoryCommit, type StackSettings } from "@e2e-infra/stack-kit";

/** What suiteCluster reads of the checkout's kind config, and how it maps onto the stack's config. */
export interface SuiteClusterArgs {
  /** The suite's kind config, relative to the checkout, e.g. "test/infrastructure/kind-datastorage-config.yaml". */
  kindConfig: string;
  /** The stack's host port config keys by the node port the kind config maps, e.g. { dataStorageHostPort: 30081 }. */
  nodePorts: Record<string, number>;
  /** The directory, relative to the checkout, the suite runs in: its kind config's relative mount paths start there. */
  workingDir: string;
  /** The commit the stack was verified against, named when the checkout's config differs from what the stack knows. */
  verifiedAgainst: RepositoryCommit;
  /**
   * Mounts the suite's setup adds to the control-plane node in code rather than in its file (paths
   * relative to the checkout), e.g. RemediationOrchestrator's [{ hostPath: "coverdata", containerPath: "/coverdata" }].
   */
  extraMounts?: readonly { hostPath: string; containerPath: string }[];
}

interface SuiteNode {
  role?: unknown;
  image?: unknown;
  extraPortMappings?: { containerPort?: unknown; hostPort?: unknown; protocol?: unknown }[];
  extraMounts?: { hostPath?: unknown; containerPath?: unknown; readOnly?: unknown }[];
  kubeadmConfigPatches?: unknown;
}

/**
 * The cluster the suite's own kind config describes (nodes, pinned node image, kubeadm patches,
 * mounts), read from the checkout so it follows the repository, with each host port taken from
 * the stack's config (its default is the suite's port). Every node port the file maps must be
 * one the stack knows, and every one the stack knows must be mapped: a checkout whose config
 * moved on fails the preview naming the port and the commit the stack was verified against.
 */
export function suiteCluster(settings: StackSettings, repository: string, args: SuiteClusterArgs): KindCluster {
  const subject = `Stack "${settings.stack}"`;
  const key = `config ${settings.project}:serviceRepository`;
  const verified = `this stack was verified against ${args.verifiedAgainst.repository} ${args.verifiedAgainst.commit.slice(0, 9)} of ${args.verifiedAgainst.date}`;
  const file = join(repository, args.kindConfig);
  let config: { kind?: unknown; nodes?: unknown; kubeadmConfigPatches?: unknown };
  try {
    config = (parse(readFileSync(file, "utf8")) ?? {}) as typeof config;
  } catch (error) {
    throw new ArgumentError(subject, key, repository, `expected ${args.kindConfig} to be a kind config: ${(error as Error).message}`);
  }
  if (config.kind !== "Cluster" || !Array.isArray(config.nodes) || config.nodes.length === 0) {
    throw new ArgumentError(subject, key, repository, `expected ${args.kindConfig} to be a kind config (kind: Cluster) with nodes`);
  }
  const keyOf = new Map(Object.entries(args.nodePorts).map(([hostPortKey, nodePort]) => [nodePort, hostPortKey]));
  const mapped = new Set<number>();
  const workingDir = join(repository, args.workingDir);
  const nodes = (config.nodes as SuiteNode[]).map((node): KindNode => {
    const extraPortMappings = (node.extraPortMappings ?? []).map((mapping): PortMapping => {
      const nodePort = mapping.containerPort as number;
      const hostPortKey = keyOf.get(nodePort);
      if (hostPortKey === undefined) {
        throw new ArgumentError(
          subject,
          key,
          repository,
          `expected ${args.kindConfig} to map only node ports this stack knows (${[...keyOf.keys()].join(", ")}); it maps ${String(nodePort)} to host port ${String(mapping.hostPort)}, and ${verified}`,
        );
      }
      mapped.add(nodePort);
      return {
        containerPort: nodePort,
        hostPort: settings.hostPorts[hostPortKey]!,
        ...(mapping.protocol === undefined ? {} : { protocol: mapping.protocol as "TCP" }),
      };
    });
    const extraMounts = [
      ...(node.extraMounts ?? []).map((mount): Mount => ({
        hostPath: resolve(workingDir, mount.hostPath as string),
        containerPath: mount.containerPath as string,
        ...(mount.readOnly === undefined ? {} : { readOnly: mount.readOnly as boolean }),
      })),
      ...(node.role === "control-plane"
        ? (args.extraMounts ?? []).map((mount): Mount => ({
            hostPath: resolve(repository, mount.hostPath),
            containerPath: mount.containerPath,
          }))
        : []),
    ];
    return {
      role: node.role as KindNode["role"],
      // The stack's nodeImage setting stands for every node's image.
      ...(node.image === undefined || settings.nodeImage !== undefined ? {} : { image: node.image as string }),
      ...(extraPortMappings.length === 0 ? {} : { extraPortMappings }),
      ...(extraMounts.length === 0 ? {} : { extraMounts }),
      ...(node.kubeadmConfigPatches === undefined ? {} : { kubeadmConfigPatches: node.kubeadmConfigPatches as string[] }),
    };
  });
  const unmapped = Object.entries(args.nodePorts).filter(([, nodePort]) => !mapped.has(nodePort));
  if (unmapped.length > 0) {
    throw new ArgumentError(
      subject,
      key,
      repository,
      `expected ${args.kindConfig} to map ${unmapped.map(([hostPortKey, nodePort]) => `node port ${nodePort} (${hostPortKey})`).join(", ")}; ${verified}`,
    );
  }
  // KindCluster checks every field (roles, images, ports, mounts, patches) before registering anything.
  return new KindCluster("cluster", {
    ...clusterSettings(settings),
    nodes,
    ...(config.kubeadmConfigPatches === undefined ? {} : { kubeadmConfigPatches: config.kubeadmConfigPatches as string[] }),
  });
}
