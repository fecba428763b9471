import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/**
 * What an in-cluster component needs of a cluster: a provider for its API server and, when
 * deleting one resource removes everything in it (a kind cluster), that resource, so in-cluster
 * objects are not deleted one by one on `pulumi destroy`.
 *
 * KindCluster implements it; a shared remote cluster is `{ provider }`.
 */
export interface ClusterTarget {
  readonly provider: k8s.Provider;
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

/** What every in-cluster component takes: where to put its objects. */
export interface InClusterArgs {
  /** The cluster (a KindCluster, or `{ provider }` for another cluster). */
  cluster: ClusterTarget;
  /** The namespace's name. Pass `namespace.metadata.name`, so objects wait for the namespace. */
  namespace: pulumi.Input<string>;
}
