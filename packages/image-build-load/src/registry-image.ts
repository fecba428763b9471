import {
  hostCommand,
  loadScript,
  requireImageReference,
  requireOptionalBoolean,
  subjectOf,
  type ContainerRuntime,
  type KindLoadTarget,
  type WorkloadImage,
} from "@e2e-infra/core";
import * as pulumi from "@pulumi/pulumi";
import { join } from "node:path";
import { requireArchivePrefix, requireContainerRuntime, requireKindCluster } from "./image-args";
import { loadIntoKind } from "./kind-load";

export const PULL_SCRIPT = loadScript(join(__dirname, "..", "scripts", "pull-image.sh"));

/** Arguments of a RegistryImage. Plain values: they decide what runs on the host, so they are checked when the program runs. */
export interface RegistryImageArgs {
  /** The kind cluster its pods run in (a KindCluster); with `preload`, the image is loaded into it. */
  cluster: KindLoadTarget;
  /**
   * A registry reference, `[registry/]repository[:tag][@digest]`, best pinned by a tag or digest,
   * e.g. "quay.io/prometheus/prometheus:v2.53.0". Without either it means ":latest", which
   * moves, and a node or host that has one keeps it.
   */
  image: string;
  /**
   * Pull the image on the host and load it into the cluster, so pods start without a registry
   * round trip from the nodes (and one pull per machine, not per node and cluster). Default
   * false: the nodes pull it when a pod needs it, and nothing runs on the host.
   */
  preload?: boolean;
  /** With `preload`: pull and save with the docker or the podman CLI. Default: the cluster's container runtime, else Docker. */
  containerRuntime?: ContainerRuntime;
}

/**
 * A third-party image from a registry (Prometheus, AlertManager, Dex, Keycloak, a mock webhook)
 * for a workload: pass it where an ImageBuildLoad goes (ServiceDeployment's `image`).
 *
 * Pods use `imagePullPolicy: IfNotPresent`, preloaded or not: a node that has the image (loaded
 * into kind's containerd by the preload) starts it at once, and one that does not (a digest the
 * saved archive does not keep, a node added later) pulls it instead of failing with
 * ErrImageNeverPull as `Never` would.
 */
export class RegistryImage extends pulumi.ComponentResource implements WorkloadImage {
  /** The reference for a pod spec; with `preload`, it resolves once the image is on the cluster's nodes. */
  readonly image: pulumi.Output<string>;
  /** For the pod spec: use a node's copy when it has one, else pull. */
  readonly pullPolicy = "IfNotPresent" as const;
  /** The reference as given, known when the program runs. */
  readonly reference: string;

  constructor(name: string, args: RegistryImageArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const subject = subjectOf("RegistryImage", name);
    requireKindCluster(subject, args.cluster);
    const reference = requireImageReference(subject, "image", args.image, "quay.io/prometheus/prometheus:v2.53.0");
    const preload = requireOptionalBoolean(subject, "preload", args.preload) === true;
    const tool = requireContainerRuntime(subject, "containerRuntime", args.containerRuntime, args.cluster);
    const archivePrefix = preload ? requireArchivePrefix(subject, name) : undefined;
    super("e2e-infra:index:RegistryImage", name, {}, opts);

    this.reference = reference;
    if (archivePrefix === undefined) {
      this.image = pulumi.output(reference);
    } else {
      // The pull: nothing but the reference in, so it runs while the cluster is being created.
      const pull = hostCommand(
        `${name}-pull`,
        { create: PULL_SCRIPT, environment: { IMAGE_TOOL: tool, IMAGE: reference } },
        { parent: this },
      );
      const pulled = pull.id.apply(() => reference);
      this.image = loadIntoKind(`${name}-load`, { image: pulled, tool, cluster: args.cluster, archivePrefix }, this);
    }
    this.registerOutputs({ image: this.image, pullPolicy: this.pullPolicy, reference: this.reference });
  }
}
