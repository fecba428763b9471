import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { diagnose, failedWorkloads, kubeconfigFromEvents, podCauses } from "./diagnose";
import { readEvents } from "./timeline";

const urn = (type: string, name: string) => `urn:pulumi:demo-e2e::demo::e2e-infra:index:X$${type}::${name}`;
const deploymentUrn = urn("kubernetes:apps/v1:Deployment", "app-deployment");
const jobUrn = urn("kubernetes:batch/v1:Job", "migrations-job");

/**
 * A failed run's events as `e2e-infra up` reads them back from its events file: the Deployment's
 * step failed with the provider's message; the Job succeeded.
 */
function failedRun(): object[] {
  const file = join(mkdtempSync(join(tmpdir(), "diagnose-")), "events.jsonl");
  const events = [
    {
      resourcePreEvent: {
        metadata: {
          op: "create",
          urn: deploymentUrn,
          type: "kubernetes:apps/v1:Deployment",
          new: {
            inputs: {
              metadata: { name: "app", namespace: "demo" },
              spec: { selector: { matchLabels: { "app.kubernetes.io/name": "app" } } },
            },
          },
        },
      },
    },
    {
      resourcePreEvent: {
        metadata: {
          op: "create",
          urn: jobUrn,
          type: "kubernetes:batch/v1:Job",
          new: { inputs: { metadata: { name: "migrations-1a2b" } } },
        },
      },
    },
    { resOutputsEvent: { metadata: { op: "create", urn: jobUrn, type: "kubernetes:batch/v1:Job" } } },
    {
      diagnosticEvent: {
        urn: deploymentUrn,
        severity: "error",
        message: "  resource demo/app was not successfully created: timed out\n",
        color: "never",
      },
    },
    { diagnosticEvent: { urn: deploymentUrn, severity: "info", message: "waiting", color: "never" } },
    { resOpFailedEvent: { metadata: { op: "create", urn: deploymentUrn, type: "kubernetes:apps/v1:Deployment" }, status: 1, steps: 1 } },
  ];
  writeFileSync(file, events.map((event) => JSON.stringify(event)).join("\n") + "\n");
  return readEvents(file);
}

describe("failedWorkloads", () => {
  it("GIVEN a failed run's events THEN the workload whose step failed, with its pods' selector and the engine's error", () => {
    expect(failedWorkloads(failedRun())).toStrictEqual([
      {
        urn: deploymentUrn,
        type: "kubernetes:apps/v1:Deployment",
        name: "app",
        namespace: "demo",
        selector: "app.kubernetes.io/name=app",
        messages: ["resource demo/app was not successfully created: timed out"],
      },
    ]);
  });

  it("GIVEN no events THEN nothing", () => {
    expect(failedWorkloads([])).toStrictEqual([]);
  });
});

describe("kubeconfigFromEvents", () => {
  it("GIVEN a run with a KindCluster THEN the kubeconfig path and context it output; without one, none", () => {
    const events = failedRun();
    expect(kubeconfigFromEvents(events)).toBeUndefined();
    const cluster = {
      resOutputsEvent: {
        metadata: {
          op: "same",
          urn: "urn:pulumi:demo-e2e::demo::e2e-infra:index:KindCluster::cluster",
          type: "e2e-infra:index:KindCluster",
          new: { outputs: { kubeconfigPath: "/home/u/.kube/config", kubeContext: "kind-demo-e2e" } },
        },
      },
    };
    expect(kubeconfigFromEvents([...events, cluster])).toStrictEqual({ path: "/home/u/.kube/config", context: "kind-demo-e2e" });
  });
});

describe("podCauses", () => {
  const noLog = () => undefined;

  it.each<[string, object, (container: string, previous: boolean) => string | undefined, string[]]>([
    [
      "an image that cannot be pulled",
      {
        containerStatuses: [
          {
            name: "app",
            restartCount: 0,
            state: { waiting: { reason: "ImagePullBackOff", message: 'Back-off pulling image "localhost/app:1"' } },
          },
        ],
      },
      noLog,
      ['pod p: container app waiting: ImagePullBackOff: Back-off pulling image "localhost/app:1"'],
    ],
    [
      "a crash loop",
      {
        containerStatuses: [
          { name: "app", restartCount: 4, state: { waiting: { reason: "CrashLoopBackOff", message: "back-off 1m20s" } } },
        ],
      },
      (container: string, previous: boolean) => (previous ? `${container}: panic: DATABASE_URL is not set` : undefined),
      ["pod p: container app waiting: CrashLoopBackOff: back-off 1m20s (restarts: 4); last log line: app: panic: DATABASE_URL is not set"],
    ],
    [
      "an unschedulable pod",
      {
        phase: "Pending",
        conditions: [
          { type: "PodScheduled", status: "False", reason: "Unschedulable", message: "0/1 nodes are available: 1 Insufficient memory." },
        ],
      },
      noLog,
      ["pod p: Unschedulable: 0/1 nodes are available: 1 Insufficient memory."],
    ],
    [
      "a failed init container",
      {
        phase: "Pending",
        initContainerStatuses: [{ name: "wait", state: { terminated: { reason: "Error", exitCode: 2 } } }],
        containerStatuses: [{ name: "app", state: { waiting: { reason: "PodInitializing" } } }],
      },
      () => "psql: could not connect",
      ["pod p: container wait terminated: Error (exit code 2); last log line: psql: could not connect"],
    ],
    ["a running pod", { phase: "Running", containerStatuses: [{ name: "app", state: { running: {} } }] }, noLog, []],
    [
      "a pod still being created",
      { phase: "Pending", containerStatuses: [{ name: "app", state: { waiting: { reason: "ContainerCreating" } } }] },
      noLog,
      ["pod p: phase Pending"],
    ],
  ])("GIVEN %s THEN one line that says why", (_, status, lastLog, causes) => {
    expect(podCauses({ metadata: { name: "p" }, status }, lastLog)).toStrictEqual(causes);
  });
});

describe("diagnose", () => {
  it("GIVEN a failed Deployment and kubectl's answers THEN the file has its pods, events and logs, and the cause line", () => {
    const calls: string[][] = [];
    const kubectl = (args: readonly string[]) => {
      calls.push([...args]);
      if (args[0] === "get" && args[1] === "pods")
        return {
          ok: true,
          out: JSON.stringify({
            items: [
              {
                metadata: { name: "app-7d9c" },
                status: {
                  phase: "Running",
                  containerStatuses: [{ name: "app", restartCount: 3, state: { waiting: { reason: "CrashLoopBackOff" } } }],
                },
              },
            ],
          }),
        };
      if (args[0] === "get" && args[1] === "events")
        return { ok: true, out: "LAST SEEN   TYPE      REASON    OBJECT\n10s         Warning   BackOff   pod/app-7d9c\n" };
      if (args[0] === "logs") return { ok: true, out: "starting\nlistening on :8080\npanic: no schema\n" };
      return { ok: false, out: "unexpected" };
    };
    const report = diagnose(failedRun(), { path: "/home/u/.kube/demo-e2e-config", context: "kind-demo-e2e" }, kubectl)!;
    expect(report.causes).toStrictEqual([
      "pod app-7d9c: container app waiting: CrashLoopBackOff (restarts: 3); last log line: panic: no schema",
    ]);
    expect(calls).toContainEqual(["get", "pods", "--namespace", "demo", "--selector", "app.kubernetes.io/name=app", "-o", "json"]);
    expect(calls).toContainEqual(["logs", "app-7d9c", "--namespace", "demo", "--container", "app", "--tail", "50", "--previous"]);
    expect(report.text).toContain(
      `=== Deployment demo/app (${deploymentUrn})\nengine: resource demo/app was not successfully created: timed out\n`,
    );
    expect(report.text).toContain(
      "--- events of pod app-7d9c\nLAST SEEN   TYPE      REASON    OBJECT\n10s         Warning   BackOff   pod/app-7d9c\n",
    );
    expect(report.text).toContain("--- last logs of app-7d9c/app (previous)\nstarting\nlistening on :8080\npanic: no schema\n");
  });

  it("GIVEN kubectl cannot reach the cluster THEN the cause says so", () => {
    const report = diagnose(failedRun(), { path: "/k", context: undefined }, () => ({ ok: false, out: "The connection to the server localhost:6443 was refused" }))!;
    expect(report.causes).toStrictEqual([
      "Deployment demo/app: could not list its pods: The connection to the server localhost:6443 was refused",
    ]);
  });

  it("GIVEN no kubeconfig THEN the cause says where it looked", () => {
    expect(diagnose(failedRun(), undefined)!.causes).toStrictEqual([
      "Deployment demo/app: no kubeconfig to look at it with (no KindCluster output in the run, no config kubeconfigPath)",
    ]);
  });
});
