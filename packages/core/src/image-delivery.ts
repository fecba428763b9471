import type * as pulumi from "@pulumi/pulumi";
import { requireComponent } from "./checks";
import { ArgumentError } from "./errors";

/** The container runtime that builds and saves images on the host, and that kind runs its nodes in (KIND_EXPERIMENTAL_PROVIDER). */
export type ContainerRuntime = "docker" | "podman";
export const CONTAINER_RUNTIMES: readonly ContainerRuntime[] = ["docker", "podman"];

/**
 * What a component that loads an image into a kind cluster (ImageBuildLoad, RegistryImage)
 * needs of it. KindCluster implements it.
 */
export interface KindLoadTarget {
  /** The cluster's name; resolves once the cluster exists. */
  readonly clusterName: pulumi.Output<string>;
  /** Changes whenever the cluster is (re)created, so loads into it run again. */
  readonly instanceId: pulumi.Output<string>;
  readonly containerRuntime: ContainerRuntime | undefined;
}

/** A container's `imagePullPolicy`. */
export type ImagePullPolicy = "Never" | "IfNotPresent" | "Always";
export const IMAGE_PULL_POLICIES: readonly ImagePullPolicy[] = ["Never", "IfNotPresent", "Always"];

/**
 * An image a workload runs, and how its pods get it: an ImageBuildLoad (loaded into the cluster,
 * `Never`) or a RegistryImage (pulled, or preloaded: `IfNotPresent`). `image` resolves once the
 * pods can have it, so a pod spec that takes it waits for the load.
 */
export interface WorkloadImage {
  readonly image: pulumi.Output<string>;
  /** Default "Never": the image is already in the cluster. */
  readonly pullPolicy?: ImagePullPolicy;
}

/** Checks a WorkloadImage argument: an object with an `image`, and a known `pullPolicy` if it has one. */
export function requireWorkloadImage(subject: string, field: string, value: unknown): WorkloadImage {
  requireComponent(subject, field, value, ["image"], "an ImageBuildLoad or a RegistryImage");
  const pullPolicy = (value as { pullPolicy?: unknown }).pullPolicy;
  if (pullPolicy !== undefined && !IMAGE_PULL_POLICIES.includes(pullPolicy as ImagePullPolicy)) {
    throw new ArgumentError(
      subject,
      `${field}.pullPolicy`,
      pullPolicy,
      `expected one of ${IMAGE_PULL_POLICIES.map((p) => `"${p}"`).join(", ")}`,
    );
  }
  return value as WorkloadImage;
}
