import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
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

function kubectl(cluster: string, ...args: string[]): string {
  const result = spawnSync("kubectl", ["--kubeconfig", join(user.home, ".kube", `${cluster}-config`), ...args], {
    encoding: "utf8",
    env: user.env,
  });
  if (result.status !== 0) throw new Error(`kubectl ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
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
async function upWithImages(stack: string, namespace: string, what: string, workloads: readonly string[]): Promise<StackRunResult> {
  const start = Date.now();
  const result = await pulumiStack(user, {
    operation: "up",
    dir: join(REPO_ROOT, "stacks", stack.replace(/-e2e$/, "")),
    stack,
    config: { serviceRepository: real!, imageTag: tag, ...machineConfig(realKind) },
  });
  report(`${stack} with ${what}, cold up on real kind (images prebuilt): ${((Date.now() - start) / 1000).toFixed(1)} s wall`);
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

/** The stack destroyed, and its cluster gone. */
async function destroy(stack: string): Promise<void> {
  await pulumiStack(user, {
    operation: "destroy",
    dir: join(REPO_ROOT, "stacks", stack.replace(/-e2e$/, "")),
    stack,
    config: { serviceRepository: real!, imageTag: tag },
  });
  expect(kindClusters(user)).not.toContain(stack);
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
    const applied = spawnSync("kubectl", ["--kubeconfig", join(user.home, ".kube", `${stack}-config`), "apply", "-f", "-"], {
      encoding: "utf8",
      env: user.env,
      input: JSON.stringify(signalProcessing),
    });
    expect(applied.status, applied.stderr).toBe(0);
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
