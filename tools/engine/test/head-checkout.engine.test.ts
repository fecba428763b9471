import { spawnSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureDockerDaemon } from "../src/docker";
import { REPO_ROOT, engineUser, kindClusters, pulumiStack, stepNames, type EngineUser } from "../src/engine";

// datastorage-e2e against a real checkout of the service repository at HEAD (its kind config,
// chart, CRDs, 17+ goose migrations and Go sources as they are), given by E2E_KUBERNAUT_CHECKOUT.
// Only its two Dockerfiles are replaced, in a copy, by the stand-in checkout's FROM scratch ones:
// theirs start from base images pinned by digest in registries this machine cannot reach.
const real = process.env["E2E_KUBERNAUT_CHECKOUT"];
const cannotRun =
  real === undefined || !existsSync(join(real, "charts", "kubernaut", "Chart.yaml"))
    ? "E2E_KUBERNAUT_CHECKOUT is not a checkout of jordigilh/kubernaut at HEAD (none can be fetched here: no GitHub access)"
    : undefined;
if (cannotRun !== undefined) console.log(`head-checkout: not run: ${cannotRun}`);

let user: EngineUser;
let checkout: string;
const stack = "datastorage-e2e";
const dir = join(REPO_ROOT, "stacks", "datastorage");

beforeAll(async () => {
  if (cannotRun !== undefined) return;
  user = engineUser("head");
  await ensureDockerDaemon(user.home);
  checkout = join(mkdtempSync(join(tmpdir(), "kubernaut-head-")), "kubernaut");
  cpSync(real!, checkout, { recursive: true, verbatimSymlinks: true });
  const standIn = join(REPO_ROOT, "packages", "stack-kit", "examples", "kubernaut-checkout", "docker");
  for (const dockerfile of ["data-storage.Dockerfile", "db-migrate.Dockerfile"])
    copyFileSync(join(standIn, dockerfile), join(checkout, "docker", dockerfile));
});

describe.skipIf(cannotRun !== undefined)(`${stack} against a real HEAD checkout, on the real engine`, () => {
  it("GIVEN the checkout WHEN `pulumi up` THEN the chart's objects, the CRDs and the TLS material are created and the outputs are the suite's", async () => {
    const result = await pulumiStack(user, {
      operation: "up",
      dir,
      stack,
      config: { serviceRepository: checkout },
      events: join(user.home, "head.up.jsonl"),
    });
    expect(result.outputs["dataStorageUrl"]).toBe("https://localhost:28090");
    expect(result.outputs["caFile"]).toBe(join(user.home, ".kube", "inter-service-ca.pem"));
    expect(readFileSync(join(user.home, ".kube", "inter-service-ca.pem"), "utf8")).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const kubectl = (...args: string[]) =>
      spawnSync("kubectl", ["--kubeconfig", join(user.home, ".kube", `${stack}-config`), ...args], { encoding: "utf8", env: user.env });
    // Every migration file of the checkout is in the Job's ConfigMap.
    const migrations = JSON.parse(kubectl("get", "configmaps", "-n", "datastorage-e2e", "-o", "json").stdout) as {
      items: { metadata: { name: string }; data?: Record<string, string> }[];
    };
    const configMap = migrations.items.find((item) => item.metadata.name.startsWith("kubernaut-migrations-"))!;
    const files = spawnSync("ls", [join(checkout, "migrations")], { encoding: "utf8" })
      .stdout.split("\n")
      .filter((f) => f.endsWith(".sql"));
    expect(Object.keys(configMap.data ?? {}).sort()).toStrictEqual(files.sort());
    expect(
      kubectl("get", "crd", "-o", "name")
        .stdout.split("\n")
        .filter((line) => line.endsWith(".kubernaut.ai")),
    ).toHaveLength(11);
    const rollout = kubectl("rollout", "status", "deployment/datastorage", "-n", "datastorage-e2e", "--timeout=5s");
    expect(rollout.status, rollout.stderr).toBe(0);
    console.log(`head-checkout: up created ${result.changes["create"]} resources`);
  });

  it("GIVEN it is up WHEN previewed with --expect-no-changes THEN nothing would change", async () => {
    const result = await pulumiStack(user, {
      operation: "preview",
      dir,
      stack,
      config: { serviceRepository: checkout },
      expectNoChanges: true,
    });
    expect(stepNames(result)).toStrictEqual({});
  });

  it("GIVEN it is up WHEN `pulumi destroy` THEN the cluster is gone and the CA file with it", async () => {
    await pulumiStack(user, { operation: "destroy", dir, stack, config: { serviceRepository: checkout } });
    expect(kindClusters(user)).not.toContain(stack);
    expect(existsSync(join(user.home, ".kube", "inter-service-ca.pem"))).toBe(false);
  });
});
