import { COVERAGE, type ManifestObject } from "@e2e-infra/core";
import type * as pulumi from "@pulumi/pulumi";
import { parse, stringify } from "yaml";

/** A change to one rendered object (ChartObjects `patches`). */
export type Patch = (object: ManifestObject) => ManifestObject;

/** Applies each key's patches in turn: the first record's, then each next one's. */
export function composePatches(first: Record<string, Patch>, rest: readonly Record<string, Patch>[]): Record<string, Patch> {
  const patches = { ...first };
  for (const more of rest) {
    for (const [key, patch] of Object.entries(more)) {
      const before = patches[key];
      patches[key] = before === undefined ? patch : (object) => patch(before(object));
    }
  }
  return patches;
}

/** A webhook configuration whose every webhook trusts the CA (clientConfig.caBundle). */
export function withCaBundle(configuration: ManifestObject, caBundle: pulumi.Input<string>): ManifestObject {
  const webhooks = (configuration["webhooks"] as { clientConfig: Record<string, unknown> }[]).map((webhook) => ({
    ...webhook,
    clientConfig: { ...webhook.clientConfig, caBundle },
  }));
  return { ...configuration, webhooks };
}

/** The Service with a NodePort on each named port the suite maps (the chart sets one on the main port only). */
export function withNodePorts(service: ManifestObject, nodePorts: Record<string, number | undefined>): ManifestObject {
  const spec = service["spec"] as { ports: Record<string, unknown>[] };
  const ports = spec.ports.map((port) => {
    const nodePort = nodePorts[port["name"] as string];
    return nodePort === undefined ? port : { ...port, nodePort };
  });
  return { ...service, spec: { ...spec, type: "NodePort", ports } };
}

/** The workload with `patch` applied to each of its pod's containers. */
export function patchContainers(
  workload: ManifestObject,
  patch: (container: Record<string, unknown>) => Record<string, unknown>,
): ManifestObject {
  return patchPod(workload, (pod) => ({ ...pod, containers: (pod["containers"] as Record<string, unknown>[]).map(patch) }));
}

/** The workload with `patch` applied to its pod template's spec. */
export function patchPod(workload: ManifestObject, patch: (pod: Record<string, unknown>) => Record<string, unknown>): ManifestObject {
  const spec = workload["spec"] as { template: { spec: Record<string, unknown> } };
  return { ...workload, spec: { ...spec, template: { ...spec.template, spec: patch(spec.template.spec) } } };
}

/** The workload with these annotations on its pods (what they wait for: pods name it, so the engine orders them after it). */
export function withPodAnnotations(workload: ManifestObject, annotations: Record<string, pulumi.Input<string>>): ManifestObject {
  const spec = workload["spec"] as { template: { metadata?: { annotations?: Record<string, unknown> } } };
  const metadata = spec.template.metadata ?? {};
  return {
    ...workload,
    spec: { ...spec, template: { ...spec.template, metadata: { ...metadata, annotations: { ...metadata.annotations, ...annotations } } } },
  };
}

/**
 * Coverage as the Go setup adds it (DD-TEST-007): GOCOVERDIR on the node's /coverdata, written
 * as root (the chart's pods run as non-root, which a root user contradicts, so that goes too).
 */
export function withCoverage(workload: ManifestObject): ManifestObject {
  const withEnv = patchContainers(workload, (container) => ({
    ...container,
    env: [...((container["env"] as unknown[]) ?? []), COVERAGE.env],
    volumeMounts: [...((container["volumeMounts"] as unknown[]) ?? []), COVERAGE.mount],
  }));
  return patchPod(withEnv, (pod) => ({
    ...pod,
    securityContext: { ...(pod["securityContext"] as object), runAsNonRoot: false, ...COVERAGE.securityContext },
    volumes: [...((pod["volumes"] as unknown[]) ?? []), COVERAGE.volume],
  }));
}

/**
 * The workload with the Secret `secretName` mounted read-only at `mountPath` in each container,
 * e.g. a certificate of the release's CA (KubernautRelease's `certificates`) a chart's template
 * does not mount. ChartObjects then has the pods wait for the Secret (it is a reference).
 */
export function withSecretMount(workload: ManifestObject, secretName: string, mountPath: string): ManifestObject {
  const name = `secret-${secretName}`.slice(0, 63);
  const mounted = patchContainers(workload, (container) => ({
    ...container,
    volumeMounts: [...((container["volumeMounts"] as unknown[]) ?? []), { name, mountPath, readOnly: true }],
  }));
  return patchPod(mounted, (pod) => ({ ...pod, volumes: [...((pod["volumes"] as unknown[]) ?? []), { name, secret: { secretName } }] }));
}

/**
 * The ConfigMap with its YAML file `file` edited, for a setting of the suite's the chart's values
 * cannot say, e.g. `withConfigFile(configMap, "effectivenessmonitor.yaml", (config) => ...)`.
 */
export function withConfigFile(
  configMap: ManifestObject,
  file: string,
  edit: (config: Record<string, unknown>) => Record<string, unknown>,
): ManifestObject {
  const data = configMap["data"] as Record<string, string>;
  const text = data[file];
  if (text === undefined) throw new Error(`ConfigMap has no file ${file}; it has ${Object.keys(data).join(", ")}`);
  return { ...configMap, data: { ...data, [file]: stringify(edit(parse(text) as Record<string, unknown>)) } };
}
