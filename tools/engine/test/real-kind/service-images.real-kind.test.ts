import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { StackRunResult } from "@e2e-infra/cli/stack-run";
import { REPO_ROOT, kindClusters, pulumiStack, type EngineUser } from "../../src/engine";
import { docker, machineConfig, prepareRealKind, realKindUser, report, type RealKind } from "../../src/real-kind";

// HEAD stacks on the real kind with the real services, from a real checkout of the service
// repository (E2E_KUBERNAUT_CHECKOUT): each service's image built from the checkout's Dockerfile,
// unmodified, on the builder stand-ins (tools/real-kind/builders: its BUILDER_IMAGE and
// BASE_IMAGE), and the migrations image a stand-in (goose and psql: its Dockerfile pins its FROM
// lines by digest); all given to the stack by tag (config imageTag), as the repository's CI gives
// its own. Then what each suite's first specs do, through the stack's outputs.
const real = process.env["E2E_KUBERNAUT_CHECKOUT"];
const cannotRun =
  real === undefined || !existsSync(join(real, "docker", "data-storage.Dockerfile"))
    ? "E2E_KUBERNAUT_CHECKOUT is not a checkout of jordigilh/kubernaut (none can be fetched here: no GitHub access)"
    : undefined;
if (cannotRun !== undefined) console.log(`service-images: not run: ${cannotRun}`);

const tag = "real-kind";
const builders = join(REPO_ROOT, "tools", "real-kind", "builders");
let realKind: RealKind;
let user: EngineUser;

/** Each stack's kubeconfig, from its outputs once it is up (the suites' own file names: ro-e2e-config and the like). */
const kubeconfigs: Record<string, string> = {};
/** Each stack's kind clusters, as `up` made them (the suites' own names: ro-e2e and the like). */
const clusters: Record<string, string[]> = {};

/** kubectl against a stack's cluster; `input` on its stdin. */
function kubectl(stack: string, ...args: string[]): string {
  return kubectlWith(stack, undefined, ...args);
}

function kubectlWith(stack: string, input: string | undefined, ...args: string[]): string {
  const result = spawnSync("kubectl", ["--kubeconfig", kubeconfigs[stack]!, ...args], { encoding: "utf8", env: user.env, input });
  if (result.status !== 0) throw new Error(`kubectl ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

/** An object applied to a stack's cluster, as a suite's spec creates it. */
function apply(stack: string, object: object): void {
  kubectlWith(stack, JSON.stringify(object), "apply", "-f", "-");
}

/** A builder stand-in built into the suite's daemon: the references it tagged. */
function standIn(name: string): string[] {
  const result = spawnSync("bash", [join(REPO_ROOT, "tools", "real-kind", "stand-ins", "build.sh"), join(builders, name)], {
    encoding: "utf8",
    env: { ...process.env, DOCKER_HOST: realKind.dockerHost },
  });
  if (result.status !== 0) throw new Error(`stand-in ${name}: ${result.stderr}`);
  return result.stdout.trim().split("\n");
}

/** A service's image from the checkout's Dockerfile on the builder stand-ins, tagged localhost/<name>:<tag>. */
function serviceImage(name: string, dockerfile: string, builder: string, base: string): void {
  const start = Date.now();
  const build = spawnSync(
    "docker",
    [
      "build",
      "--quiet",
      "--force-rm",
      "-f",
      dockerfile,
      "--build-arg",
      `BUILDER_IMAGE=${builder}`,
      "--build-arg",
      `BASE_IMAGE=${base}`,
      "--build-arg",
      "GOARCH=amd64",
      "-t",
      `localhost/${name}:${tag}`,
      ".",
    ],
    { cwd: real, encoding: "utf8", env: { ...process.env, DOCKER_HOST: realKind.dockerHost }, maxBuffer: 64 * 1024 * 1024 },
  );
  if (build.status !== 0) throw new Error(`docker build of ${dockerfile}: ${build.stderr.slice(-4000)}`);
  report(`${name} image from HEAD's ${dockerfile} on the builder stand-ins: ${((Date.now() - start) / 1000).toFixed(1)} s`);
}

/**
 * A HEAD stack up on the real kind with the images by tag, timed in the report (a cold up); then
 * every pod of its namespace Ready without a restart (or Succeeded, a Job's), `workloads` among them.
 */
async function upWithImages(
  stack: string,
  namespace: string,
  what: string,
  workloads: readonly string[],
  extraConfig: Record<string, string> = {},
): Promise<StackRunResult> {
  const start = Date.now();
  const before = kindClusters(user);
  const result = await pulumiStack(user, {
    operation: "up",
    dir: join(REPO_ROOT, "stacks", stack.replace(/-e2e$/, "")),
    stack,
    config: { serviceRepository: real!, imageTag: tag, ...machineConfig(realKind), ...extraConfig },
  });
  report(`${stack} with ${what}, cold up on real kind (images prebuilt): ${((Date.now() - start) / 1000).toFixed(1)} s wall`);
  kubeconfigs[stack] = result.outputs["kubeconfigPath"] as string;
  clusters[stack] = kindClusters(user).filter((cluster) => !before.includes(cluster));
  expect(clusters[stack]).toHaveLength(1);
  const pods = JSON.parse(kubectl(stack, "get", "pods", "-n", namespace, "-o", "json")) as {
    items: {
      metadata: { name: string };
      status: { phase: string; containerStatuses?: { ready: boolean; restartCount: number }[] };
    }[];
  };
  // By workload: the pod name without its ReplicaSet's and its own suffixes.
  const states = Object.fromEntries(
    pods.items.map((pod) => [
      pod.metadata.name.replace(/-[a-z0-9]{5,10}(-[a-z0-9]{5})?$/, ""),
      pod.status.phase === "Succeeded"
        ? "Succeeded"
        : (pod.status.containerStatuses ?? []).every((c) => c.ready && c.restartCount === 0)
          ? "Ready"
          : "not ready",
    ]),
  );
  expect(states).toMatchObject(Object.fromEntries(workloads.map((workload) => [workload, "Ready"])));
  expect(Object.values(states)).not.toContain("not ready");
  return result;
}

/** The stack destroyed, and the cluster its `up` made gone. */
async function destroy(stack: string, extraConfig: Record<string, string> = {}): Promise<void> {
  await pulumiStack(user, {
    operation: "destroy",
    dir: join(REPO_ROOT, "stacks", stack.replace(/-e2e$/, "")),
    stack,
    config: { serviceRepository: real!, imageTag: tag, ...extraConfig },
  });
  const left = kindClusters(user);
  for (const cluster of clusters[stack]!) expect(left).not.toContain(cluster);
}

beforeAll(() => {
  if (cannotRun !== undefined) return;
  realKind = prepareRealKind();
  user = realKindUser("rk-services", realKind);
  const [builder] = standIn("go-toolset");
  const [base] = standIn("ubi-minimal");
  serviceImage("datastorage", "docker/data-storage.Dockerfile", builder!, base!);
  serviceImage("gateway", "docker/gateway.Dockerfile", builder!, base!);
  serviceImage("signalprocessing", "docker/signalprocessing-controller.Dockerfile", builder!, base!);
  serviceImage("remediationorchestrator", "docker/remediationorchestrator-controller.Dockerfile", builder!, base!);
  serviceImage("authwebhook", "docker/authwebhook.Dockerfile", builder!, base!);
  serviceImage("workflowexecution", "docker/workflowexecution-controller.Dockerfile", builder!, base!);
  const [migrate] = standIn("db-migrate");
  docker(realKind, "tag", migrate!, `localhost/db-migrate:${tag}`);
});

describe.skipIf(cannotRun !== undefined)("datastorage-e2e with the real DataStorage on the real kind", () => {
  const stack = "datastorage-e2e";
  const namespace = "datastorage-e2e";
  it("GIVEN its image WHEN up THEN every pod is Ready without a restart, the migrations ran, and DataStorage writes an audit event and reads it back over HTTPS to the stack's CA", async () => {
    const result = await upWithImages(stack, namespace, "the real DataStorage", ["datastorage", "postgresql", "valkey"]);
    // The real DataStorage, over TLS, its certificate checked against the CA file the stack wrote.
    const caFile = join(user.home, ".kube", "inter-service-ca.pem");
    const url = result.outputs["dataStorageUrl"] as string;
    const ready = spawnSync("curl", ["-sS", "--fail", "--cacert", caFile, `${url}/readyz`], { encoding: "utf8" });
    expect(ready.status, ready.stderr).toBe(0);
    // The migrations Job (the chart's command, the stand-in's goose and psql) completed.
    expect(kubectl(stack, "get", "jobs", "-n", namespace, "-o", "jsonpath={.items[*].status.succeeded}").trim()).toBe("1");

    // As the suite's first specs do: a client ServiceAccount allowed to call DataStorage writes an
    // audit event and reads it back, over HTTPS checked against the CA file.
    kubectl(stack, "create", "serviceaccount", "rk-client", "-n", namespace);
    kubectl(
      stack,
      "create",
      "rolebinding",
      "rk-client",
      "--clusterrole=data-storage-client",
      `--serviceaccount=${namespace}:rk-client`,
      "-n",
      namespace,
    );
    const token = kubectl(stack, "create", "token", "rk-client", "-n", namespace).trim();
    const correlation = `real-kind-${Date.now()}`;
    const event = {
      version: "1.0",
      event_type: "gateway.signal.received",
      event_timestamp: new Date().toISOString(),
      event_category: "gateway",
      event_action: "received",
      event_outcome: "success",
      correlation_id: correlation,
      event_data: {
        event_type: "gateway.signal.received",
        signal_type: "alert",
        signal_name: "RealKindCheck",
        namespace: "default",
        fingerprint: "real-kind-fingerprint",
      },
    };
    const curl = (...args: string[]) =>
      spawnSync("curl", ["-sS", "--cacert", caFile, "-H", `Authorization: Bearer ${token}`, "-w", "\n%{http_code}", ...args], {
        encoding: "utf8",
      });
    const written = curl("-H", "Content-Type: application/json", "--data-binary", JSON.stringify(event), `${url}/api/v1/audit/events`);
    const writtenStatus = written.stdout.trim().split("\n").pop();
    expect(["201", "202"], `${written.stdout}${written.stderr}`).toContain(writtenStatus);
    let found = "";
    for (let attempt = 0; attempt < 30 && !found.includes("RealKindCheck"); attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 1000));
      found = curl(`${url}/api/v1/audit/events?correlation_id=${correlation}`).stdout;
    }
    expect(found).toContain(correlation);
    expect(found).toContain("RealKindCheck");
  });

  it("WHEN destroyed THEN the cluster and the CA file are gone", async () => {
    await destroy(stack);
    expect(existsSync(join(user.home, ".kube", "inter-service-ca.pem"))).toBe(false);
  });
});

describe.skipIf(cannotRun !== undefined)("gateway-e2e with the real Gateway on the real kind", () => {
  const stack = "gateway-e2e";
  const namespace = "kubernaut-system";

  it("GIVEN its images WHEN up THEN every pod is Ready without a restart, and a Prometheus alert for a managed namespace becomes a RemediationRequest", async () => {
    const result = await upWithImages(stack, namespace, "the real Gateway and DataStorage", ["gateway", "datastorage"]);

    // As the suite's setup and first specs do: a ServiceAccount allowed to send signals, a
    // namespace under management, a Prometheus alert for it (AlertManager's webhook payload).
    kubectl(stack, "create", "clusterrole", "rk-gateway-client", "--verb=create", "--resource=services", "--resource-name=gateway-service");
    kubectl(stack, "create", "serviceaccount", "rk-sender", "-n", namespace);
    kubectl(
      stack,
      "create",
      "clusterrolebinding",
      "rk-sender",
      "--clusterrole=rk-gateway-client",
      `--serviceaccount=${namespace}:rk-sender`,
    );
    const token = kubectl(stack, "create", "token", "rk-sender", "-n", namespace).trim();
    kubectl(stack, "create", "namespace", "rk-signals");
    kubectl(stack, "label", "namespace", "rk-signals", "kubernaut.ai/managed=true");
    // The alert's resource exists (the Gateway drops an alert whose resource it cannot resolve):
    // a Deployment with no replicas, so no image is pulled.
    kubectl(stack, "create", "deployment", "rk-app", "--image=postgres:16-alpine", "--replicas=0", "-n", "rk-signals");
    const alertName = `RealKindCheck${Date.now()}`;
    const labels = { alertname: alertName, namespace: "rk-signals", severity: "warning", deployment: "rk-app" };
    const annotations = { summary: "real-kind check" };
    const payload = JSON.stringify({
      receiver: "kubernaut",
      status: "firing",
      alerts: [
        {
          status: "firing",
          labels,
          annotations,
          startsAt: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
          endsAt: "0001-01-01T00:00:00Z",
        },
      ],
      groupLabels: { alertname: alertName },
      commonLabels: labels,
      commonAnnotations: annotations,
    });
    const url = result.outputs["gatewayUrl"] as string;
    let status = "";
    let answer = "";
    // The scope check reads namespaces from a cache: the suite retries for 15 s too.
    for (let attempt = 0; attempt < 15 && status !== "201" && status !== "202"; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 1000));
      const sent = spawnSync(
        "curl",
        [
          "-sS",
          "-w",
          "\n%{http_code}",
          "-H",
          "Content-Type: application/json",
          "-H",
          `X-Timestamp: ${Math.floor(Date.now() / 1000)}`,
          "-H",
          `Authorization: Bearer ${token}`,
          "--data-binary",
          payload,
          `${url}/api/v1/signals/prometheus`,
        ],
        { encoding: "utf8" },
      );
      answer = sent.stdout + sent.stderr;
      status = sent.stdout.trim().split("\n").pop() ?? "";
    }
    expect(["201", "202"], answer).toContain(status);
    let requests = "";
    for (let attempt = 0; attempt < 30 && !requests.includes(alertName); attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 1000));
      requests = kubectl(stack, "get", "remediationrequests", "--all-namespaces", "-o", "json");
    }
    expect(requests).toContain(alertName);
  });

  it("WHEN destroyed THEN the cluster is gone", async () => {
    await destroy(stack);
  });
});

describe.skipIf(cannotRun !== undefined)("signalprocessing-e2e with the real controller on the real kind", () => {
  const stack = "signalprocessing-e2e";
  const namespace = "kubernaut-system";

  it("GIVEN its images WHEN up THEN every pod is Ready without a restart, and a production critical alert's SignalProcessing is enriched and given P0 by the stack's Rego policy", async () => {
    await upWithImages(stack, namespace, "the real SignalProcessing controller", ["signalprocessing-controller", "datastorage"]);

    // As the suite's first specs do: a production namespace, and a SignalProcessing for a critical
    // alert on a pod in it (the pod need not exist: the controller then enriches in degraded mode).
    kubectl(stack, "create", "namespace", "rk-prod");
    kubectl(stack, "label", "namespace", "rk-prod", "kubernaut.ai/environment=production", "kubernaut.ai/managed=true");
    const signalProcessing = {
      apiVersion: "kubernaut.ai/v1alpha1",
      kind: "SignalProcessing",
      metadata: { name: "rk-priority-p0", namespace },
      spec: {
        remediationRequestRef: { apiVersion: "kubernaut.ai/v1alpha1", kind: "RemediationRequest", name: "rk-priority-p0-rr", namespace },
        signal: {
          fingerprint: "a".repeat(64),
          name: "HighCPU",
          severity: "critical",
          type: "alert",
          targetType: "kubernetes",
          receivedTime: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
          targetResource: { kind: "Pod", name: "api-server-xyz", namespace: "rk-prod" },
        },
      },
    };
    apply(stack, signalProcessing);
    const status = () =>
      JSON.parse(kubectl(stack, "get", "signalprocessing", "rk-priority-p0", "-n", namespace, "-o", "json")) as {
        status?: {
          kubernetesContext?: { namespace?: { name?: string; labels?: Record<string, string> } };
          priorityAssignment?: { priority?: string; source?: string };
        };
      };
    let seen = status();
    for (let attempt = 0; attempt < 60 && seen.status?.priorityAssignment?.priority === undefined; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      seen = status();
    }
    expect(seen.status?.kubernetesContext?.namespace?.labels?.["kubernaut.ai/environment"], JSON.stringify(seen.status)).toBe("production");
    expect(seen.status?.priorityAssignment?.priority, JSON.stringify(seen.status)).toBe("P0");
    expect(["rego-policy", "policy-matrix"]).toContain(seen.status?.priorityAssignment?.source);
  });

  it("WHEN destroyed THEN the cluster is gone", async () => {
    await destroy(stack);
  });
});

describe.skipIf(cannotRun !== undefined)("remediationorchestrator-e2e with the real controller on the real kind", () => {
  const stack = "remediationorchestrator-e2e";
  const namespace = "kubernaut-system";

  it("GIVEN its images WHEN up THEN every pod is Ready without a restart, and a RemediationRequest is driven through Processing to Analyzing", async () => {
    await upWithImages(stack, namespace, "the real RemediationOrchestrator and AuthWebhook", [
      "remediationorchestrator-controller",
      "authwebhook",
      "datastorage",
    ]);

    // As the suite's first spec does (lifecycle_e2e_test.go): a RemediationRequest in the
    // controller's namespace; the controller creates its SignalProcessing; the spec then plays the
    // SignalProcessing controller (a completed status), and the controller creates its AIAnalysis.
    kubectl(stack, "create", "namespace", "rk-ro");
    // As the suite's test namespaces are (helpers.CreateTestNamespaceAndWait): managed, or the
    // controller blocks the request (UnmanagedResource) before any child.
    kubectl(stack, "label", "namespace", "rk-ro", "kubernaut.ai/managed=true");
    const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    const request = {
      apiVersion: "kubernaut.ai/v1alpha1",
      kind: "RemediationRequest",
      metadata: { name: "rk-lifecycle", namespace },
      spec: {
        signalFingerprint: "a1b2c3d4e5f6".repeat(5) + "a1b2",
        signalName: "HighCPUUsage",
        severity: "warning",
        signalType: "alert",
        targetType: "kubernetes",
        targetResource: { kind: "Deployment", name: "test-app", namespace: "rk-ro" },
        firingTime: now,
        receivedTime: now,
      },
    };
    apply(stack, request);

    /** The name of the first object of a kind in the namespace owned by the request, once there is one. */
    const owned = async (kind: string): Promise<string> => {
      for (let attempt = 0; attempt < 60; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 1000));
        const list = JSON.parse(kubectl(stack, "get", kind, "-n", namespace, "-o", "json")) as {
          items: { metadata: { name: string; ownerReferences?: { kind: string; name: string }[] } }[];
        };
        const item = list.items.find((i) =>
          (i.metadata.ownerReferences ?? []).some((o) => o.kind === "RemediationRequest" && o.name === "rk-lifecycle"),
        );
        if (item !== undefined) return item.metadata.name;
      }
      throw new Error(
        `no ${kind} owned by RemediationRequest rk-lifecycle within 60 s: ${kubectl(stack, "get", "remediationrequest", "rk-lifecycle", "-n", namespace, "-o", "yaml")}`,
      );
    };
    const phase = () =>
      kubectl(stack, "get", "remediationrequest", "rk-lifecycle", "-n", namespace, "-o", "jsonpath={.status.overallPhase}").trim();

    const signalProcessing = await owned("signalprocessings");
    expect(phase()).toBe("Processing");
    const completed = {
      status: {
        phase: "Completed",
        signalClassification: { severity: "warning", signalMode: "reactive", signalName: "HighCPUUsage" },
        environmentClassification: { environment: "Production", source: "namespace-labels", classifiedAt: now },
        priorityAssignment: { priority: "P1", source: "rego-policy", assignedAt: now },
      },
    };
    kubectl(
      stack,
      "patch",
      "signalprocessing",
      signalProcessing,
      "-n",
      namespace,
      "--subresource=status",
      "--type=merge",
      "-p",
      JSON.stringify(completed),
    );
    await owned("aianalyses");
    let seen = phase();
    for (let attempt = 0; attempt < 30 && seen !== "Analyzing"; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      seen = phase();
    }
    expect(seen).toBe("Analyzing");
  });

  it("WHEN destroyed THEN the cluster is gone", async () => {
    await destroy(stack);
  });
});

describe.skipIf(cannotRun !== undefined)("workflowexecution-e2e with the real controller and the real Tekton on the real kind", () => {
  const stack = "workflowexecution-e2e";
  const namespace = "kubernaut-system";
  const tekton = join(REPO_ROOT, "tools", "real-kind", "builders", "tekton");
  let release: string;

  beforeAll(() => {
    if (cannotRun !== undefined) return;
    // Tekton Pipelines v1.7.0 from its Go module (no registry serves its images here): its images
    // in the nodes' mirror under their release names, and its release file from the module's config/.
    const start = Date.now();
    release = join(user.home, "tekton-release.yaml");
    const env = { ...process.env, DOCKER_HOST: realKind.dockerHost };
    const built = spawnSync("bash", [join(tekton, "build.sh"), release], { encoding: "utf8", env });
    if (built.status !== 0) throw new Error(`tekton/build.sh: ${built.stderr.slice(-4000)}`);
    const pushed = spawnSync("bash", [join(REPO_ROOT, "tools", "real-kind", "mirror.sh"), "push", ...built.stdout.trim().split("\n")], {
      encoding: "utf8",
      env,
    });
    if (pushed.status !== 0) throw new Error(`mirror.sh push: ${pushed.stderr}`);
    report(`Tekton Pipelines v1.7.0 from its Go module, images in the mirror: ${((Date.now() - start) / 1000).toFixed(1)} s`);
  });

  it("GIVEN its images and Tekton's WHEN up THEN every pod is Ready without a restart, and a WorkflowExecution of the registered hello-world workflow runs its bundle's PipelineRun to Completed", async () => {
    const result = await upWithImages(
      stack,
      namespace,
      "the real WorkflowExecution controller, AuthWebhook and Tekton",
      ["workflowexecution-controller", "authwebhook", "datastorage"],
      { tektonManifest: release },
    );
    for (const tektonNamespace of ["tekton-pipelines", "tekton-pipelines-resolvers"]) {
      const pods = JSON.parse(kubectl(stack, "get", "pods", "-n", tektonNamespace, "-o", "json")) as {
        items: { metadata: { name: string }; status: { containerStatuses?: { ready: boolean; restartCount: number }[] } }[];
      };
      expect(pods.items.length, tektonNamespace).toBeGreaterThan(0);
      for (const pod of pods.items) {
        expect(
          (pod.status.containerStatuses ?? []).every((c) => c.ready && c.restartCount === 0),
          `${tektonNamespace}/${pod.metadata.name}: ${JSON.stringify(pod.status)}`,
        ).toBe(true);
      }
    }

    // The suite's hello-world bundle (test/fixtures/tekton/hello-world-pipeline.yaml, which the
    // suite pulls from quay.io) pushed to the nodes' mirror, its step on the shell image's
    // stand-in instead of ubi-minimal:latest (no registry serves it). The resolvers pod fetches it
    // over plain HTTP from the mirror's private address, as go-containerregistry does for one.
    const pipeline = readFileSync(join(real!, "test", "fixtures", "tekton", "hello-world-pipeline.yaml"), "utf8").replace(
      "registry.access.redhat.com/ubi10/ubi-minimal:latest",
      "docker.io/library/busybox:tekton-v1.7.0",
    );
    const pipelineFile = join(user.home, "hello-world-pipeline.yaml");
    writeFileSync(pipelineFile, pipeline);
    const bundleTool = spawnSync(
      "bash",
      [join(REPO_ROOT, "tools", "engine", "build.sh"), "--go", join(tekton, "go"), "--only", "tekton-bundle"],
      {
        encoding: "utf8",
      },
    );
    if (bundleTool.status !== 0) throw new Error(`build.sh --only tekton-bundle: ${bundleTool.stderr}`);
    const pushed = spawnSync(
      join(bundleTool.stdout.trim().split("\n").pop()!, "tekton-bundle"),
      ["127.0.0.1:5001/tekton-bundles/hello-world:v1.0.0", pipelineFile],
      { encoding: "utf8" },
    );
    expect(pushed.status, pushed.stderr).toBe(0);
    const mirror = docker(realKind, "inspect", "-f", '{{(index .NetworkSettings.Networks "kind").IPAddress}}', "e2e-registry").trim();

    // As the suite's first spec does (01_lifecycle_test.go, createTestWFE): a WorkflowExecution of
    // the hello-world workflow the stack registered, by its id from the stack's outputs.
    const workflowIds = JSON.parse(result.outputs["workflowIds"] as string) as Record<string, string>;
    expect(workflowIds["test-hello-world"], JSON.stringify(workflowIds)).toBeDefined();
    const execution = {
      apiVersion: "kubernaut.ai/v1alpha1",
      kind: "WorkflowExecution",
      metadata: { name: "rk-lifecycle", namespace },
      spec: {
        remediationRequestRef: {
          apiVersion: "remediationorchestrator.kubernaut.ai/v1alpha1",
          kind: "RemediationRequest",
          name: "test-rr-rk-lifecycle",
          namespace,
        },
        workflowRef: {
          workflowId: workflowIds["test-hello-world"],
          workflowName: "test-workflow",
          actionType: "RestartPod",
          version: "v1.0.0",
          executionBundle: `${mirror}:5000/tekton-bundles/hello-world:v1.0.0`,
          executionEngine: "tekton",
          // As the suite's Go client sends it (no omitempty), and created, not applied (apply drops
          // a null): the controller's own updates send it too, and the CRD holds the spec
          // immutable (self == oldSelf), so an object without it never gets its finalizer.
          declaredParameterNames: null,
        },
        targetResource: "default/deployment/test-app",
        parameters: { MESSAGE: "real-kind check" },
      },
    };
    kubectlWith(stack, JSON.stringify(execution), "create", "-f", "-");
    const status = () =>
      (
        JSON.parse(kubectl(stack, "get", "workflowexecution", "rk-lifecycle", "-n", namespace, "-o", "json")) as {
          status?: { phase?: string; executionStatus?: { reason?: string; completedTasks?: number } };
        }
      ).status ?? {};
    let seen = status();
    for (let attempt = 0; attempt < 180 && seen.phase !== "Completed" && seen.phase !== "Failed"; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      seen = status();
    }
    const runs = kubectl(stack, "get", "pipelineruns,taskruns,pods", "-n", "kubernaut-workflows", "-o", "wide");
    expect(seen.phase, `${JSON.stringify(seen)}\n${runs}`).toBe("Completed");
    expect(seen.executionStatus?.reason).toBe("Succeeded");
    expect(seen.executionStatus?.completedTasks).toBeGreaterThanOrEqual(1);
    // The step ran in a real container, with the WorkflowExecution's parameter.
    const pod = kubectl(stack, "get", "pods", "-n", "kubernaut-workflows", "-o", "jsonpath={.items[0].metadata.name}").trim();
    expect(kubectl(stack, "logs", "-n", "kubernaut-workflows", pod, "-c", "step-echo-info")).toContain("Message: real-kind check");
  });

  it("WHEN destroyed THEN the cluster is gone", async () => {
    await destroy(stack, { tektonManifest: release });
  });
});
