import { spawnSync } from "node:child_process";

/** Kubernetes workload types whose readiness Pulumi awaits, and how to find their pods. */
const WORKLOADS: Record<string, (inputs: WorkloadInputs) => string | undefined> = {
  "kubernetes:apps/v1:Deployment": (inputs) => matchLabels(inputs),
  "kubernetes:apps/v1:StatefulSet": (inputs) => matchLabels(inputs),
  "kubernetes:apps/v1:DaemonSet": (inputs) => matchLabels(inputs),
  "kubernetes:batch/v1:Job": (inputs) => (inputs.metadata?.name === undefined ? undefined : `job-name=${inputs.metadata.name}`),
  "kubernetes:core/v1:Pod": () => undefined,
};

interface WorkloadInputs {
  metadata?: { name?: string; namespace?: string };
  spec?: { selector?: { matchLabels?: Record<string, string> } };
}

function matchLabels(inputs: WorkloadInputs): string | undefined {
  const labels = inputs.spec?.selector?.matchLabels;
  return labels === undefined
    ? undefined
    : Object.entries(labels)
        .map(([key, value]) => `${key}=${value}`)
        .join(",");
}

/** A workload that did not become ready, from a run's engine events. */
export interface FailedWorkload {
  urn: string;
  type: string;
  name: string;
  namespace: string;
  /** A label selector for its pods (none for a Pod itself). */
  selector: string | undefined;
  /** What the engine said about it (the provider's error). */
  messages: string[];
}

interface RawEvent {
  resourcePreEvent?: { metadata: { urn: string; type: string; new?: { inputs?: WorkloadInputs } } };
  resOutputsEvent?: { metadata: { type: string; new?: { outputs?: Record<string, unknown> } } };
  resOpFailedEvent?: { metadata: { urn: string; type: string } };
  diagnosticEvent?: { urn?: string; severity: string; message: string };
}

/**
 * A kubeconfig file and the cluster's context in it (the file may be a user's kubeconfig with
 * other contexts, and another one current).
 */
export interface KubeconfigRef {
  path: string;
  context: string | undefined;
}

/** The kubeconfig a KindCluster of the run wrote (its `kubeconfigPath` and `kubeContext` outputs), from the run's events. */
export function kubeconfigFromEvents(events: readonly object[]): KubeconfigRef | undefined {
  for (const event of events as readonly RawEvent[]) {
    const metadata = event.resOutputsEvent?.metadata;
    if (metadata?.type !== "e2e-infra:index:KindCluster") continue;
    const path = metadata.new?.outputs?.["kubeconfigPath"];
    const context = metadata.new?.outputs?.["kubeContext"];
    if (typeof path === "string") return { path, context: typeof context === "string" ? context : undefined };
  }
  return undefined;
}

/** The workloads a failed run's events say failed, with what the engine said about each. */
export function failedWorkloads(events: readonly object[]): FailedWorkload[] {
  const inputs = new Map<string, WorkloadInputs>();
  const failed = new Map<string, FailedWorkload>();
  const messages = new Map<string, string[]>();
  for (const event of events as readonly RawEvent[]) {
    const pre = event.resourcePreEvent?.metadata;
    if (pre?.new?.inputs !== undefined) inputs.set(pre.urn, pre.new.inputs);
    const diagnostic = event.diagnosticEvent;
    if (diagnostic?.urn !== undefined && diagnostic.severity === "error")
      messages.set(diagnostic.urn, [...(messages.get(diagnostic.urn) ?? []), diagnostic.message.trim()]);
    const failure = event.resOpFailedEvent?.metadata;
    if (failure !== undefined && WORKLOADS[failure.type] !== undefined) {
      const workload = inputs.get(failure.urn) ?? {};
      const name = workload.metadata?.name ?? failure.urn.split("::").pop()!;
      failed.set(failure.urn, {
        urn: failure.urn,
        type: failure.type,
        name,
        namespace: workload.metadata?.namespace ?? "default",
        selector: failure.type === "kubernetes:core/v1:Pod" ? undefined : WORKLOADS[failure.type]!(workload),
        messages: [],
      });
    }
  }
  return [...failed.values()].map((workload) => ({ ...workload, messages: messages.get(workload.urn) ?? [] }));
}

interface ContainerStatus {
  name: string;
  restartCount?: number;
  state?: { waiting?: { reason?: string; message?: string }; terminated?: { reason?: string; exitCode?: number; message?: string } };
  lastState?: { terminated?: { reason?: string; exitCode?: number; message?: string } };
}

interface PodJson {
  metadata: { name: string };
  status?: {
    phase?: string;
    conditions?: Array<{ type: string; status: string; reason?: string; message?: string }>;
    initContainerStatuses?: ContainerStatus[];
    containerStatuses?: ContainerStatus[];
  };
}

type Kubectl = (args: readonly string[]) => { ok: boolean; out: string };

/**
 * Why each container of a pod is not running, as one line each (none when it is running), from
 * its status: unschedulable, waiting (image pull, crash loop, config) or terminated with an exit
 * code; `lastLog` is the container's last log line when there is one.
 */
export function podCauses(pod: PodJson, lastLog: (container: string, previous: boolean) => string | undefined): string[] {
  const causes: string[] = [];
  const name = `pod ${pod.metadata.name}`;
  const scheduled = pod.status?.conditions?.find((condition) => condition.type === "PodScheduled");
  if (scheduled?.status === "False") causes.push(`${name}: ${scheduled.reason ?? "not scheduled"}: ${scheduled.message ?? ""}`.trim());
  for (const container of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const subject = `${name}: container ${container.name}`;
    const waiting = container.state?.waiting;
    const terminated = container.state?.terminated;
    const restarts = container.restartCount ?? 0;
    if (waiting !== undefined && waiting.reason !== "ContainerCreating" && waiting.reason !== "PodInitializing") {
      const log = restarts > 0 ? lastLog(container.name, true) : undefined;
      causes.push(
        `${subject} waiting: ${waiting.reason ?? "?"}${waiting.message === undefined ? "" : `: ${waiting.message}`}${restarts > 0 ? ` (restarts: ${restarts})` : ""}${log === undefined ? "" : `; last log line: ${log}`}`,
      );
    } else if (terminated !== undefined && terminated.exitCode !== 0) {
      const log = lastLog(container.name, false);
      causes.push(
        `${subject} terminated: ${terminated.reason ?? "?"} (exit code ${terminated.exitCode ?? "?"})${terminated.message === undefined ? "" : `: ${terminated.message}`}${log === undefined ? "" : `; last log line: ${log}`}`,
      );
    }
  }
  if (causes.length === 0 && pod.status?.phase !== "Running" && pod.status?.phase !== "Succeeded")
    causes.push(`${name}: phase ${pod.status?.phase ?? "unknown"}`);
  return causes;
}

function defaultKubectl(kubeconfig: KubeconfigRef): Kubectl {
  const context = kubeconfig.context === undefined ? [] : ["--context", kubeconfig.context];
  return (args) => {
    const result = spawnSync("kubectl", [...context, ...args], {
      encoding: "utf8",
      env: { ...process.env, KUBECONFIG: kubeconfig.path },
      timeout: 30_000,
    });
    if (result.error !== undefined)
      return {
        ok: false,
        out:
          (result.error as NodeJS.ErrnoException).code === "ENOENT"
            ? "kubectl is not installed (looked for it on PATH)"
            : result.error.message,
      };
    return { ok: result.status === 0, out: result.status === 0 ? result.stdout : result.stderr.trim() || `exit code ${result.status}` };
  };
}

/**
 * After a failed `up`: for each workload that did not become ready, its pods' statuses, their
 * events and the failing containers' last logs (through kubectl with the stack's kubeconfig), as
 * the text of a diagnostics file and one line per cause. Undefined when no workload failed.
 */
export function diagnose(
  events: readonly object[],
  kubeconfig: KubeconfigRef | undefined,
  kubectl: Kubectl | undefined = kubeconfig === undefined ? undefined : defaultKubectl(kubeconfig),
): { text: string; causes: string[] } | undefined {
  const workloads = failedWorkloads(events);
  if (workloads.length === 0) return undefined;
  const sections: string[] = [];
  const causes: string[] = [];
  for (const workload of workloads) {
    const title = `${workload.type.split(":").pop()} ${workload.namespace}/${workload.name}`;
    sections.push(`=== ${title} (${workload.urn})`, ...workload.messages.map((message) => `engine: ${message}`));
    if (kubectl === undefined) {
      causes.push(`${title}: no kubeconfig to look at it with (no KindCluster output in the run, no config kubeconfigPath)`);
      continue;
    }
    const ns = ["--namespace", workload.namespace];
    const pods =
      workload.selector === undefined
        ? kubectl(["get", "pod", workload.name, ...ns, "-o", "json"])
        : kubectl(["get", "pods", ...ns, "--selector", workload.selector, "-o", "json"]);
    if (!pods.ok) {
      sections.push(`pods: ${pods.out}`);
      causes.push(`${title}: could not list its pods: ${pods.out.split("\n")[0]}`);
      continue;
    }
    const parsed = JSON.parse(pods.out) as PodJson & { items?: PodJson[] };
    const items: PodJson[] = parsed.items ?? [parsed];
    const workloadEvents = kubectl(["get", "events", ...ns, "--field-selector", `involvedObject.name=${workload.name}`]);
    sections.push(`--- events of ${workload.name}`, workloadEvents.out.trim());
    if (items.length === 0) {
      const warning = workloadEvents.out.split("\n").find((line) => line.includes("Warning"));
      causes.push(`${title}: no pods${warning === undefined ? "" : `; ${warning.replace(/\s+/g, " ").trim()}`}`);
    }
    for (const pod of items) {
      const podName = pod.metadata.name;
      sections.push(`--- pod ${podName}: phase ${pod.status?.phase ?? "unknown"}`, JSON.stringify(pod.status ?? {}, null, 2));
      const events = kubectl(["get", "events", ...ns, "--field-selector", `involvedObject.name=${podName}`]);
      sections.push(`--- events of pod ${podName}`, events.out.trim());
      const logs = new Map<string, string>();
      const lastLog = (container: string, previous: boolean) => {
        const result = kubectl(["logs", podName, ...ns, "--container", container, "--tail", "50", ...(previous ? ["--previous"] : [])]);
        logs.set(`${container}${previous ? " (previous)" : ""}`, result.ok ? result.out : `logs unavailable: ${result.out}`);
        return result.ok ? result.out.trim().split("\n").pop() || undefined : undefined;
      };
      const found = podCauses(pod, lastLog);
      causes.push(...found);
      for (const [container, log] of logs) sections.push(`--- last logs of ${podName}/${container}`, log.trim());
      if (found.length === 0) sections.push(`(pod ${podName} reports nothing wrong)`);
    }
  }
  return { text: sections.join("\n") + "\n", causes };
}
