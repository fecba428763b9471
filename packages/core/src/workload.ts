import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/**
 * A one-replica Deployment of `podSpec`, its pods labelled `labels` and selected by `selector`.
 * The provider awaits it until it is Available with every pod Ready (see readyHost).
 */
export function singletonDeployment(
  name: string,
  args: {
    deploymentName: string;
    namespace: pulumi.Input<string>;
    labels: Record<string, string>;
    selector: Record<string, string>;
    /** Values the pod waits for (each resolves when its source is ready); a change rolls the pod. */
    podAnnotations?: Record<string, pulumi.Input<string>>;
    /** "Recreate" for a server that must not run twice on one volume. Default: RollingUpdate. */
    strategy?: "Recreate" | "RollingUpdate";
    podSpec: k8s.types.input.core.v1.PodSpec;
  },
  opts: pulumi.CustomResourceOptions,
): k8s.apps.v1.Deployment {
  return new k8s.apps.v1.Deployment(
    name,
    {
      metadata: { name: args.deploymentName, namespace: args.namespace, labels: args.labels },
      spec: {
        replicas: 1,
        ...(args.strategy === undefined ? {} : { strategy: { type: args.strategy } }),
        selector: { matchLabels: args.selector },
        template: {
          metadata: { labels: args.labels, ...(args.podAnnotations === undefined ? {} : { annotations: args.podAnnotations }) },
          spec: args.podSpec,
        },
      },
    },
    opts,
  );
}

/** One port of a Service; `targetPort` is the container port of the same name. */
export interface ServicePort {
  name: string;
  port: number;
  /** Also expose it on this NodePort (claim it with claimNodePort first). */
  nodePort?: number;
}

/**
 * A Service selecting a Deployment's pods: ClusterIP, or NodePort when a port asks for one.
 *
 * The provider's own Service await is skipped: it passes on an empty endpoint list after a
 * 10 s quiet period, so it is slower than the Deployment's await and weaker (a pod still
 * pulling its image has no endpoint yet). Read readiness from `readyHost` instead.
 */
export function podService(
  name: string,
  args: {
    serviceName: string;
    namespace: pulumi.Input<string>;
    labels: Record<string, string>;
    selector: Record<string, string>;
    ports: ServicePort[];
  },
  opts: pulumi.CustomResourceOptions,
): k8s.core.v1.Service {
  const nodePorts = args.ports.some((port) => port.nodePort !== undefined);
  return new k8s.core.v1.Service(
    name,
    {
      metadata: { name: args.serviceName, namespace: args.namespace, labels: args.labels, annotations: { "pulumi.com/skipAwait": "true" } },
      spec: {
        type: nodePorts ? "NodePort" : "ClusterIP",
        selector: args.selector,
        ports: args.ports.map((port) => ({
          name: port.name,
          port: port.port,
          targetPort: port.name,
          ...(port.nodePort === undefined ? {} : { nodePort: port.nodePort }),
        })),
      },
    },
    opts,
  );
}

/**
 * The Service's in-cluster DNS name (`<name>.<namespace>.svc.cluster.local`), resolving once
 * the provider has awaited the Deployment: Available, with every pod Ready by its readiness
 * probe, so the Service has a ready endpoint. Outputs derived from it carry the edge to both.
 */
export function readyHost(deployment: k8s.apps.v1.Deployment, service: k8s.core.v1.Service): pulumi.Output<string> {
  return pulumi
    .all([deployment.status, service.metadata])
    .apply(([, metadata]) => `${metadata.name}.${metadata.namespace}.svc.cluster.local`);
}

/** Pod spec fields that put a pod on the control-plane node (the reference pins DataStorage and Gateway there). */
export const CONTROL_PLANE_PLACEMENT = {
  nodeSelector: { "node-role.kubernetes.io/control-plane": "" },
  tolerations: [{ key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" }],
};

/**
 * Go coverage collection (DD-TEST-007): the binary (built with GOFLAGS=-cover) writes to
 * GOCOVERDIR=/coverdata, a hostPath on the node that kind mounts from the host; as root, so it may.
 */
export const COVERAGE = {
  securityContext: { runAsUser: 0, runAsGroup: 0 },
  env: { name: "GOCOVERDIR", value: "/coverdata" },
  volume: { name: "coverdata", hostPath: { path: "/coverdata", type: "DirectoryOrCreate" } },
  mount: { name: "coverdata", mountPath: "/coverdata" },
};

/**
 * The object's `metadata.uid`: its identity, which a recreated object does not keep. Unknown until
 * the object exists: in a preview the provider plans a new object from its inputs, with no uid, so
 * `metadata.uid` alone would be a known `undefined` once the cluster exists (after a first `up` that
 * failed part-way, say); the object's id stays unknown until it is created, and waiting on it keeps
 * the uid unknown too.
 */
export function objectUid(object: { id: pulumi.Output<string>; metadata: pulumi.Output<{ uid?: string }> }): pulumi.Output<string> {
  return pulumi.all([object.id, object.metadata]).apply(([, metadata]) => metadata.uid!);
}
