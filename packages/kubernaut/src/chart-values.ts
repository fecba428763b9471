import type { KubernautReleaseArgs, ReleaseService } from "./release-args";

// The chart renders one registry and tag for every Kubernaut image; these placeholders are
// replaced by each image's own content-hash tag (ChartObjects `images`).
const PLACEHOLDER_TAG = "chart-placeholder";

/** The image reference the chart renders for an image name, before ChartObjects puts the built one in. */
export const chartImage = (image: string): string => `localhost/${image}:${PLACEHOLDER_TAG}`;

/** The values the environments render the chart with. */
export function chartValues(
  args: Pick<KubernautReleaseArgs, "dataStorageNodePorts" | "values">,
  services: readonly ReleaseService[],
): Record<string, unknown> {
  const values: Record<string, unknown> = {
    global: {
      image: { registry: "localhost", namespace: "", tag: PLACEHOLDER_TAG, pullPolicy: "IfNotPresent" },
      // Required by the chart's schema and its kubernaut-agent template, which helm renders even
      // when only other templates are shown; no template used here reads them.
      llmProfiles: { unused: { provider: "openai", model: "unused", credentialsSecretName: "unused" } },
    },
    // The chart requires a policy: a release without SignalProcessing names one it never renders
    // (with SignalProcessing, the stack gives its own in the service's values).
    signalprocessing: { policies: { existingConfigMap: "unused" } },
    aianalysis: { policies: { existingConfigMap: "unused" } },
    // The stack makes the CA, certificates and signing certificate (@e2e-infra/tls), kept in its state.
    tls: { mode: "manual" },
    postgresql: { storage: { size: "1Gi" } },
    datastorage: {
      service: { type: "NodePort", nodePort: args.dataStorageNodePorts.http },
      // The suite's parallel processes share one source address: the chart's 50/s would throttle them.
      config: { server: { rateLimit: { requestsPerSecond: 10000, burst: 20000 } } },
      logging: { level: "DEBUG" },
    },
    gateway: { enabled: false },
  };
  for (const { name, definition, nodePorts, values: own } of services) {
    const nodePort = nodePorts?.["http"];
    values[name] = {
      ...definition.values,
      // A NodePort Service when the suite maps its main port.
      ...(nodePort === undefined ? {} : { service: { type: "NodePort", nodePort } }),
      ...own,
    };
  }
  return merged(values, args.values ?? {});
}

/** `over` merged into `base`: objects key by key, anything else (lists included) replaced. */
function merged(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const object = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
  return Object.fromEntries(
    [...new Set([...Object.keys(base), ...Object.keys(over)])].map((key) => {
      const [a, b] = [base[key], over[key]];
      return [key, object(a) && object(b) ? merged(a, b) : key in over ? b : a];
    }),
  );
}
