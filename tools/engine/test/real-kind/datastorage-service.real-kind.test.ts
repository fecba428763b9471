import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, kindClusters, pulumiStack, type EngineUser } from "../../src/engine";
import { docker, machineConfig, prepareRealKind, realKindUser, report, type RealKind } from "../../src/real-kind";

// datastorage-e2e on the real kind with the real DataStorage, from a real checkout of the service
// repository (E2E_KUBERNAUT_CHECKOUT): its image built from the checkout's Dockerfile, unmodified,
// on the builder stand-ins (tools/real-kind/builders: its BUILDER_IMAGE and BASE_IMAGE), and the
// migrations image a stand-in (goose and psql: its Dockerfile pins its FROM lines by digest); both
// given to the stack by tag (config imageTag), as the repository's CI gives its own images.
const real = process.env["E2E_KUBERNAUT_CHECKOUT"];
const cannotRun =
  real === undefined || !existsSync(join(real, "docker", "data-storage.Dockerfile"))
    ? "E2E_KUBERNAUT_CHECKOUT is not a checkout of jordigilh/kubernaut (none can be fetched here: no GitHub access)"
    : undefined;
if (cannotRun !== undefined) console.log(`datastorage-service: not run: ${cannotRun}`);

const dir = join(REPO_ROOT, "stacks", "datastorage");
const stack = "datastorage-e2e";
const namespace = "datastorage-e2e";
const tag = "real-kind";
const builders = join(REPO_ROOT, "tools", "real-kind", "builders");
let realKind: RealKind;
let user: EngineUser;

function kubectl(...args: string[]): string {
  const result = spawnSync("kubectl", ["--kubeconfig", join(user.home, ".kube", "datastorage-e2e-config"), ...args], {
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

beforeAll(() => {
  if (cannotRun !== undefined) return;
  realKind = prepareRealKind();
  user = realKindUser("rk-ds-service", realKind);
  const [builder] = standIn("go-toolset");
  const [base] = standIn("ubi-minimal");
  const start = Date.now();
  const build = spawnSync(
    "docker",
    [
      "build",
      "--quiet",
      "--force-rm",
      "-f",
      "docker/data-storage.Dockerfile",
      "--build-arg",
      `BUILDER_IMAGE=${builder}`,
      "--build-arg",
      `BASE_IMAGE=${base}`,
      "--build-arg",
      "GOARCH=amd64",
      "-t",
      `localhost/datastorage:${tag}`,
      ".",
    ],
    { cwd: real, encoding: "utf8", env: { ...process.env, DOCKER_HOST: realKind.dockerHost }, maxBuffer: 64 * 1024 * 1024 },
  );
  if (build.status !== 0) throw new Error(`docker build of data-storage.Dockerfile: ${build.stderr.slice(-4000)}`);
  report(`DataStorage image from HEAD's Dockerfile on the builder stand-ins: ${((Date.now() - start) / 1000).toFixed(1)} s`);
  const [migrate] = standIn("db-migrate");
  docker(realKind, "tag", migrate!, `localhost/db-migrate:${tag}`);
});

describe.skipIf(cannotRun !== undefined)("datastorage-e2e with the real DataStorage on the real kind", () => {
  it("GIVEN its image WHEN up THEN every pod is Ready without a restart, the migrations ran, and DataStorage writes an audit event and reads it back over HTTPS to the stack's CA", async () => {
    const start = Date.now();
    const result = await pulumiStack(user, {
      operation: "up",
      dir,
      stack,
      config: { serviceRepository: real!, imageTag: tag, ...machineConfig(realKind) },
    });
    report(
      `datastorage-e2e with the real DataStorage, cold up on real kind (images prebuilt): ${((Date.now() - start) / 1000).toFixed(1)} s wall`,
    );
    const pods = JSON.parse(kubectl("get", "pods", "-n", namespace, "-o", "json")) as {
      items: {
        metadata: { name: string };
        status: { phase: string; containerStatuses?: { ready: boolean; restartCount: number }[] };
      }[];
    };
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
    expect(states).toMatchObject({ datastorage: "Ready", postgresql: "Ready", valkey: "Ready" });
    expect(Object.values(states)).not.toContain("not ready");
    // The real DataStorage, over TLS, its certificate checked against the CA file the stack wrote.
    const caFile = join(user.home, ".kube", "inter-service-ca.pem");
    const url = result.outputs["dataStorageUrl"] as string;
    const ready = spawnSync("curl", ["-sS", "--fail", "--cacert", caFile, `${url}/readyz`], { encoding: "utf8" });
    expect(ready.status, ready.stderr).toBe(0);
    // The migrations Job (the chart's command, the stand-in's goose and psql) completed.
    expect(kubectl("get", "jobs", "-n", namespace, "-o", "jsonpath={.items[*].status.succeeded}").trim()).toBe("1");

    // As the suite's first specs do: a client ServiceAccount allowed to call DataStorage writes an
    // audit event and reads it back, over HTTPS checked against the CA file.
    kubectl("create", "serviceaccount", "rk-client", "-n", namespace);
    kubectl(
      "create",
      "rolebinding",
      "rk-client",
      "--clusterrole=data-storage-client",
      `--serviceaccount=${namespace}:rk-client`,
      "-n",
      namespace,
    );
    const token = kubectl("create", "token", "rk-client", "-n", namespace).trim();
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
    await pulumiStack(user, { operation: "destroy", dir, stack, config: { serviceRepository: real!, imageTag: tag } });
    expect(kindClusters(user)).not.toContain(stack);
    expect(existsSync(join(user.home, ".kube", "inter-service-ca.pem"))).toBe(false);
  });
});
