import type { ResourceGraph } from "@e2e-infra/graph";
import { validateKubernetesResources } from "./kubernetes-schema";

/**
 * What every environment stack must hold, checked on its captured graph:
 * - no image build depends, directly or transitively, on anything of a KindCluster;
 * - every Kubernetes object is deletedWith the kind cluster (destroy is one `kind delete cluster`);
 * - every host port the cluster maps binds `listenAddress` (default 127.0.0.1: this machine only);
 * - every Kubernetes object validates against the official schema (objects of custom resource
 *   kinds are returned, for the test to check they are the expected ones).
 * Throws with the offending resource; returns the URNs of objects without a schema.
 */
export async function assertStackInvariants(graph: ResourceGraph, listenAddress = "127.0.0.1"): Promise<string[]> {
  const clusters = graph.find({ type: "e2e-infra:index:KindCluster" });
  if (clusters.length !== 1) throw new Error(`expected one KindCluster, found ${clusters.length}`);
  const cluster = clusters[0]!;
  const clusterParts = graph.descendants(cluster);
  const clusterCommand = clusterParts.find(
    (part) => part.type === "pulumi-nodejs:dynamic:HostCommand" && part.name === `${cluster.name}-cluster`,
  );
  if (clusterCommand === undefined) throw new Error(`no cluster command under ${cluster.name}`);
  for (const mapping of hostPortMappings(graph)) {
    if (mapping.listenAddress !== listenAddress) {
      throw new Error(
        `host port ${mapping.hostPort} binds ${String(mapping.listenAddress ?? "kind's default, 0.0.0.0")}, expected ${listenAddress}`,
      );
    }
  }
  for (const image of graph.find({ type: "e2e-infra:index:ImageBuildLoad" })) {
    const build = graph.one({ name: `${image.name}-build`, under: image });
    for (const part of clusterParts) {
      if (graph.dependsOn(build, part))
        throw new Error(`${build.name} depends on ${part.name}: an image build must not wait for the cluster`);
    }
  }
  // The golden graph, `plan` and `timeline` know a resource by its name: two of one name would be one task.
  const named = new Map<string, string>();
  for (const resource of graph.resources.filter((each) => each.custom || each.options.remote)) {
    const other = named.get(resource.name);
    if (other !== undefined)
      throw new Error(`two resources are named ${resource.name} (${other} and ${resource.type}): give each its own name`);
    named.set(resource.name, resource.type);
  }
  for (const resource of graph.resources) {
    if (!resource.custom || !resource.type.startsWith("kubernetes:") || resource.type.startsWith("pulumi:providers:")) continue;
    if (resource.deletedWith !== clusterCommand.urn)
      throw new Error(`${resource.type} ${resource.name} is not deletedWith the kind cluster`);
  }
  return (await validateKubernetesResources(graph)).withoutSchema;
}

/** What no stack may hold in a plain (non-secret) input: a password, a private key, an HMAC key. */
export const SECRET_MARKERS = ["test_password", "PRIVATE KEY", "hmacKey:"];

/**
 * Every plain input of the graph that holds one of `markers`: "<resource> <input path>". A
 * secret reaches a resource's input as a Pulumi secret, so the state and the engine's events
 * hold it encrypted or masked; a plain copy would be written out as it is.
 */
export function plainSecretInputs(graph: ResourceGraph, markers: readonly string[] = SECRET_MARKERS): string[] {
  const found: string[] = [];
  const walk = (resource: string, value: unknown, path: string, secret: (path: string) => boolean) => {
    if (secret(path)) return;
    if (typeof value === "string") {
      if (markers.some((marker) => value.includes(marker))) found.push(`${resource} ${path}`);
    } else if (Array.isArray(value)) value.forEach((item, index) => walk(resource, item, `${path}[${index}]`, secret));
    else if (typeof value === "object" && value !== null) {
      for (const [key, child] of Object.entries(value)) walk(resource, child, path === "" ? key : `${path}.${key}`, secret);
    }
  };
  for (const resource of graph.resources) {
    const secretPaths = resource.secretInputs;
    const secret = (path: string) => secretPaths.some((s) => path === s || path.startsWith(`${s}.`) || path.startsWith(`${s}[`));
    walk(resource.name, resource.inputs, "", secret);
  }
  return found;
}

/** Every host port mapping of the graph's kind cluster, as the kind config it is created from says. */
export function hostPortMappings(graph: ResourceGraph): { hostPort: number; containerPort: number; listenAddress?: string }[] {
  const cluster = graph.one({ type: "e2e-infra:index:KindCluster" });
  const command = graph.one({ type: "pulumi-nodejs:dynamic:HostCommand", name: `${cluster.name}-cluster` });
  const kindConfig = JSON.parse((command.inputs["environment"] as Record<string, string>)["KIND_CONFIG"]!) as {
    nodes: { extraPortMappings?: { hostPort: number; containerPort: number; listenAddress?: string }[] }[];
  };
  return kindConfig.nodes.flatMap((node) => node.extraPortMappings ?? []);
}
