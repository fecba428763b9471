import type { ClusterTarget } from "./cluster";
import { ArgumentError } from "./errors";

/** Kubernetes' default NodePort range (kube-apiserver --service-node-port-range). */
export const NODE_PORT_MIN = 30000;
export const NODE_PORT_MAX = 32767;

/** Throws an ArgumentError for anything but a NodePort from 30000 to 32767 (without claiming it: see claimNodePort). */
export function requireNodePort(subject: string, field: string, port: unknown): asserts port is number {
  if (typeof port !== "number" || !Number.isInteger(port) || port < NODE_PORT_MIN || port > NODE_PORT_MAX) {
    throw new ArgumentError(subject, field, port, `expected a NodePort from ${NODE_PORT_MIN} to ${NODE_PORT_MAX}`);
  }
}

const claims = new WeakMap<object, Map<number, string>>();

/**
 * Reserves a NodePort in a cluster for `owner` (e.g. `Postgres "pg" nodePort`), so two
 * components of one stack cannot both ask for it: the second fails at construction, not with a
 * conflict from the API server halfway through `pulumi up`. Throws an ArgumentError for a port
 * outside 30000-32767 or one already claimed in the same cluster.
 */
export function claimNodePort(subject: string, field: string, cluster: ClusterTarget, port: unknown): number {
  requireNodePort(subject, field, port);
  let taken = claims.get(cluster.provider);
  if (taken === undefined) {
    taken = new Map();
    claims.set(cluster.provider, taken);
  }
  const owner = taken.get(port);
  if (owner !== undefined) {
    throw new ArgumentError(
      subject,
      field,
      port,
      `NodePort ${port} is already used by ${owner} in this cluster; each NodePort can be used once`,
    );
  }
  taken.set(port, `${subject} ${field}`);
  return port;
}

/**
 * Claims the highest NodePort no component of the stack has claimed in the cluster, for a port
 * the suite does not map: a Service of type NodePort gives every port one, and one the API server
 * picks at random could be a port a Service registered later asks for by number.
 */
export function claimSpareNodePort(subject: string, field: string, cluster: ClusterTarget): number {
  const taken = claims.get(cluster.provider);
  for (let port = NODE_PORT_MAX; port >= NODE_PORT_MIN; port--) {
    if (taken?.has(port) !== true) return claimNodePort(subject, field, cluster, port);
  }
  throw new ArgumentError(
    subject,
    field,
    undefined,
    `expected a free NodePort; every one from ${NODE_PORT_MIN} to ${NODE_PORT_MAX} is claimed`,
  );
}
