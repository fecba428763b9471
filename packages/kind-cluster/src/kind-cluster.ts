import {
  ArgumentError,
  CONTAINER_RUNTIMES,
  hostCommand,
  loadScript,
  subjectOf,
  type ClusterTarget,
  type ContainerRuntime,
  type KindLoadTarget,
} from "@e2e-infra/core";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import * as YAML from "yaml";
import { mountDirectories, renderKindConfig, validateKindConfig, type KindClusterConfig } from "./kind-config";
import { KubeconfigFile, kubeconfigProblem } from "./kubeconfig-file";

const scripts = join(__dirname, "..", "scripts");
export const CREATE_SCRIPT = loadScript(join(scripts, "create-cluster.sh"));
export const READ_KUBECONFIG_SCRIPT = loadScript(join(scripts, "read-kubeconfig.sh"));
export const DELETE_SCRIPT = loadScript(join(scripts, "delete-cluster.sh"));
export const CLUSTER_EXISTS_SCRIPT = loadScript(join(scripts, "cluster-exists.sh"));

/**
 * Arguments of a KindCluster. Plain values, not Inputs: they decide names, ports and whether
 * the cluster is replaced, so they are validated when the program runs, before anything exists.
 */
export interface KindClusterArgs extends Partial<KindClusterConfig> {
  /** kind cluster name. Default: the resource name. */
  name?: string;
  /**
   * Run the nodes in Docker or Podman (sets KIND_EXPERIMENTAL_PROVIDER for every kind call).
   * Default: unset, so kind picks as it does on its own (Docker when present).
   */
  containerRuntime?: ContainerRuntime;
  /**
   * Also put the cluster's kubeconfig entries (cluster, context and user `kind-<name>`) into this
   * file, e.g. "~/.kube/gateway-e2e-config", as kind does: a new file is written with mode 0600
   * and this cluster's context current; an existing kubeconfig (e.g. "~/.kube/config") keeps
   * everything else in it, its mode and its current context. Destroy takes out exactly those
   * entries, and removes the file only if the stack created it and nothing else is left.
   * An existing file that is not a kubeconfig is refused at preview. "~/" is the home directory
   * of the user running Pulumi; a relative path is taken from the Pulumi project directory.
   * Default: no file.
   */
  kubeconfigPath?: string;
  /**
   * Have `kind create cluster` wait this long for the control plane node to be Ready, e.g.
   * "60s". Default: no wait. Objects that need no running node (namespaces, CRDs, config) are
   * applied meanwhile, and workloads wait for their own readiness anyway.
   */
  waitForReady?: string;
}

/** What ImageBuildLoad and RegistryImage need of a cluster to load an image into it (defined in @e2e-infra/core). */
export type { KindLoadTarget } from "@e2e-infra/core";

/**
 * A kind cluster created and deleted through `kind` on the host, with its kubeconfig (a secret)
 * and a Kubernetes provider for it.
 *
 * - A change to the cluster's shape (name, node image, nodes, port mappings, mounts, kubeadm
 *   patches, container runtime) replaces the cluster: the old one is deleted first, since both
 *   would have the same name. Nothing else replaces it.
 * - A cluster of the same name that this stack did not create is deleted and created afresh.
 * - Destroy deletes the cluster; a cluster already gone is not an error. In-cluster resources
 *   use `deletedWith: cluster.deletedWith`, so destroy is one `kind delete cluster`.
 */
export class KindCluster extends pulumi.ComponentResource implements ClusterTarget, KindLoadTarget {
  readonly clusterName: pulumi.Output<string>;
  readonly instanceId: pulumi.Output<string>;
  /** The cluster's kubeconfig (a secret). Its server is https://127.0.0.1:<port>, reachable from the host. */
  readonly kubeconfig: pulumi.Output<string>;
  /**
   * Absolute path of the kubeconfig file, when `kubeconfigPath` was given. It may hold other
   * contexts and another current context: use it with `kubeContext`.
   */
  readonly kubeconfigPath: pulumi.Output<string> | undefined;
  /**
   * The same file as configured ("~/...", absolute, or relative to the project directory), known
   * when the program runs (at preview), for files that belong beside it; `kubeconfigPath`
   * resolves only once the file is written.
   */
  readonly kubeconfigFile: string | undefined;
  /** The cluster's context (and cluster and user) name in its kubeconfig: `kind-<name>`, as kind names it. */
  readonly kubeContext: string;
  /** A provider for the cluster's API server. */
  readonly provider: k8s.Provider;
  private readonly resourceName: string;
  private readonly providerArgs: k8s.ProviderArgs;
  private crds: k8s.Provider | undefined;
  /** The resource whose deletion deletes the cluster: pass it as `deletedWith` for in-cluster objects. */
  readonly deletedWith: pulumi.Resource;
  readonly containerRuntime: ContainerRuntime | undefined;
  private readonly portMappings: ReadonlyMap<number, number>;

  constructor(name: string, args: KindClusterArgs = {}, opts: pulumi.ComponentResourceOptions = {}) {
    const subject = subjectOf("KindCluster", name);
    const config = validateKindConfig(subject, { ...args, name: args.name ?? name });
    if (args.containerRuntime !== undefined && !CONTAINER_RUNTIMES.includes(args.containerRuntime)) {
      throw new ArgumentError(subject, "containerRuntime", args.containerRuntime, 'expected "docker" or "podman"');
    }
    if (args.kubeconfigPath !== undefined && (typeof args.kubeconfigPath !== "string" || !/^[^\n\r\0]+$/.test(args.kubeconfigPath))) {
      throw new ArgumentError(subject, "kubeconfigPath", args.kubeconfigPath, "expected a file path on one line");
    }
    // As the file's provider resolves it: "~/" is the home directory, else from the project directory.
    const kubeconfigFile =
      args.kubeconfigPath === undefined
        ? undefined
        : args.kubeconfigPath.startsWith("~/")
          ? join(homedir(), args.kubeconfigPath.slice(2))
          : resolve(args.kubeconfigPath);
    if (args.kubeconfigPath !== undefined && kubeconfigFile !== undefined) {
      const path = kubeconfigFile;
      if (existsSync(path) && statSync(path).isDirectory()) {
        throw new ArgumentError(subject, "kubeconfigPath", args.kubeconfigPath, "expected a file path; it is a directory");
      }
      // A file that is there is merged into, which only a kubeconfig can be: refuse anything else
      // (a ~/.bashrc) now, before anything is created.
      const problem = existsSync(path) ? kubeconfigProblem(YAML, readFileSync(path, "utf8")) : undefined;
      if (problem !== undefined) {
        throw new ArgumentError(
          subject,
          "kubeconfigPath",
          args.kubeconfigPath,
          `expected a new file or a kubeconfig to add the cluster's entries to; ${path} ${problem}, and a stack never changes a file it did not write`,
        );
      }
    }
    if (args.waitForReady !== undefined && !/^[0-9]+(ms|s|m|h)$/.test(args.waitForReady)) {
      throw new ArgumentError(subject, "waitForReady", args.waitForReady, 'expected a duration such as "60s" or "5m"');
    }
    super("e2e-infra:index:KindCluster", name, {}, opts);

    const kindConfig = renderKindConfig(config);
    const shape = createHash("sha256")
      .update(JSON.stringify({ name: config.name, kindConfig, runtime: args.containerRuntime ?? null }))
      .digest("hex");
    const mounts = mountDirectories(config);
    const cluster = hostCommand(
      `${name}-cluster`,
      {
        create: CREATE_SCRIPT,
        update: READ_KUBECONFIG_SCRIPT,
        delete: DELETE_SCRIPT,
        // A cluster deleted behind Pulumi's back leaves the state on refresh; the next up creates it.
        check: CLUSTER_EXISTS_SCRIPT,
        environment: {
          KIND_CLUSTER_NAME: config.name,
          KIND_CONFIG: kindConfig,
          KIND_EXPERIMENTAL_PROVIDER: args.containerRuntime,
          KIND_WAIT: args.waitForReady,
          KIND_MOUNT_DIRS: mounts.length > 0 ? mounts.join("\n") : undefined,
        },
        triggers: [shape],
        secretStdout: true,
      },
      // The replacement has the same name as the old cluster: delete the old one first.
      { parent: this, deleteBeforeReplace: true },
    );

    this.deletedWith = cluster;
    this.portMappings = new Map(
      config.nodes.flatMap((node) => (node.extraPortMappings ?? []).map((m) => [m.containerPort, m.hostPort] as const)),
    );
    this.containerRuntime = args.containerRuntime;
    this.instanceId = cluster.id;
    this.clusterName = cluster.id.apply(() => config.name);
    this.kubeconfig = pulumi.secret(cluster.stdout);
    this.resourceName = name;
    this.providerArgs = {
      kubeconfig: this.kubeconfig,
      // Replace the provider, and so everything in the cluster, exactly when the cluster is recreated.
      clusterIdentifier: this.instanceId,
      // A cluster deleted behind Pulumi's back must not block `pulumi destroy`.
      deleteUnreachable: true,
    };
    this.provider = new k8s.Provider(`${name}-provider`, this.providerArgs, { parent: this });

    this.kubeContext = `kind-${config.name}`;
    this.kubeconfigFile = args.kubeconfigPath;
    if (args.kubeconfigPath !== undefined) {
      const file = new KubeconfigFile(
        `${name}-kubeconfig-file`,
        { path: args.kubeconfigPath, content: this.kubeconfig },
        // The file used to be a host command that wrote and removed the whole file: a stack
        // made then is replaced in place (its delete removes the file it wrote, then this merges).
        { parent: this, aliases: [{ type: "pulumi-nodejs:dynamic:HostCommand" }] },
      );
      this.kubeconfigPath = file.absolutePath;
    } else {
      this.kubeconfigPath = undefined;
    }

    this.registerOutputs({
      clusterName: this.clusterName,
      kubeconfig: this.kubeconfig,
      kubeconfigPath: this.kubeconfigPath,
      kubeContext: this.kubeContext,
    });
  }

  /** Another provider of the cluster, for CustomResourceDefinitions alone (ClusterTarget.crdProvider says why); made when first asked for. */
  crdProvider(): k8s.Provider {
    this.crds ??= new k8s.Provider(`${this.resourceName}-crd-provider`, this.providerArgs, { parent: this });
    return this.crds;
  }

  /** The host port mapped to `nodePort` (extraPortMappings' containerPort), if any. */
  hostPortFor(nodePort: number): number | undefined {
    return this.portMappings.get(nodePort);
  }
}
