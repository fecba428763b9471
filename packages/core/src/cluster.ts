import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { requireStringInput } from "./checks";
import { ArgumentError } from "./errors";
import { isDns1123Label } from "./names";

/**
 * What an in-cluster component needs of a cluster: a provider for its API server and, when
 * deleting one resource removes everything in it (a kind cluster), that resource, so in-cluster
 * objects are not deleted one by one on `pulumi destroy`.
 *
 * KindCluster implements it; a shared remote cluster is `{ provider }`.
 */
export interface ClusterTarget {
  readonly provider: k8s.Provider;
  /**
   * The provider CustomResourceDefinitions are created through (crdOptions); default `provider`.
   * After each CRD it creates, the Kubernetes provider drops the cluster's OpenAPI schema and
   * fetches it again, whole, at its next operation, every other operation waiting for it
   * (pulumi-kubernetes, provider.go: invalidateResources): a release's dozen CRDs held the first
   * objects of the data tier back by 10 to 14 s on real kind. A provider of their own keeps that
   * off everything else. Custom resources of their kinds still go through `provider`, which maps a
   * kind it does not know yet by asking the API server again. Made the first time it is asked
   * for, so a stack without CRDs has no second provider.
   */
  crdProvider?(): k8s.Provider;
  readonly deletedWith?: pulumi.Resource;
  /** The host port that reaches `nodePort` on the nodes, when the cluster maps one (kind's extraPortMappings). */
  hostPortFor?(nodePort: number): number | undefined;
}

/** Resource options for an object created in `cluster` as a child of `parent`. */
export function inClusterOptions(
  cluster: ClusterTarget,
  parent: pulumi.Resource,
  extra: pulumi.CustomResourceOptions = {},
): pulumi.CustomResourceOptions {
  return {
    ...extra,
    parent,
    provider: cluster.provider,
    ...(cluster.deletedWith === undefined ? {} : { deletedWith: cluster.deletedWith }),
  };
}

/** Resource options for a CustomResourceDefinition created in `cluster` as a child of `parent`: through its provider for CRDs. */
export function crdOptions(
  cluster: ClusterTarget,
  parent: pulumi.Resource,
  extra: pulumi.CustomResourceOptions = {},
): pulumi.CustomResourceOptions {
  return { ...inClusterOptions(cluster, parent, extra), provider: cluster.crdProvider?.() ?? cluster.provider };
}

/** What every in-cluster component takes: where to put its objects. */
export interface InClusterArgs {
  /** The cluster (a KindCluster, or `{ provider }` for another cluster). */
  cluster: ClusterTarget;
  /** The namespace's name. Pass `namespace.metadata.name`, so objects wait for the namespace. */
  namespace: pulumi.Input<string>;
}

/**
 * Checks an in-cluster component's `cluster` and `namespace` before anything is registered: the
 * cluster is a ClusterTarget (an object with a provider), the namespace an Output (such as
 * `namespace.metadata.name`) or the name of one (a DNS-1123 label). A missing namespace would put
 * the objects in "default" without a word.
 */
export function requireInCluster(subject: string, args: { cluster?: unknown; namespace?: unknown }): void {
  requireClusterTarget(subject, "cluster", args.cluster);
  requireStringInput(
    subject,
    "namespace",
    args.namespace,
    "expected a namespace: an Output such as namespace.metadata.name, or a DNS-1123 label",
    (name) => isDns1123Label(name),
  );
}

/** Checks that `value` is a ClusterTarget: a KindCluster, or `{ provider }` for another cluster. */
export function requireClusterTarget(subject: string, field: string, value: unknown): void {
  const provider = (value as { provider?: unknown } | null | undefined)?.provider;
  if (typeof value !== "object" || value === null || typeof provider !== "object" || provider === null) {
    throw new ArgumentError(subject, field, value, "expected a cluster: a KindCluster, or { provider } for another cluster");
  }
}
