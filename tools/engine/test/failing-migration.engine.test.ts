import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureDockerDaemon, nodeBaseImageStandIn } from "../src/docker";
import { REPO_ROOT, engineUser, kindClusters, pulumiStack, stepNames, type EngineUser } from "../src/engine";

// demo-e2e whose migrations Job fails once (Postgres not ready in time, an image pull), then the
// cause goes away. kwok plays the failure: the stand-in's E2E_KIND_FAILING_POD_LABEL makes the
// migration Job's pod end Failed (exit code 1) until the test deletes that behaviour.
const dir = join(REPO_ROOT, "stacks", "demo");
const stack = "demo-e2e";
let user: EngineUser;

beforeAll(async () => {
  user = engineUser("failing-migration", { E2E_KIND_FAILING_POD_LABEL: "app.kubernetes.io/component=database-migrations" });
  await ensureDockerDaemon(user.home);
  nodeBaseImageStandIn();
});

describe("demo-e2e with a migrations Job that fails once, on the real engine", () => {
  it("GIVEN the migrations Job fails WHEN up THEN up fails on it, and the app that needs the schema is not rolled out", async () => {
    await expect(pulumiStack(user, { operation: "up", dir, stack })).rejects.toThrow(/migrations-job[\s\S]*failed/);
  });

  it("GIVEN the cause is gone WHEN up THEN the failed Job is replaced (not awaited again) and the rest is created", async () => {
    const kubeconfig = join(user.home, ".kube", `${stack}-config`);
    const removed = spawnSync(join(user.bin, "kubectl"), ["--kubeconfig", kubeconfig, "delete", "stage", "standin-job-pod-fail"], {
      encoding: "utf8",
    });
    expect(removed.status, removed.stderr).toBe(0);
    const result = await pulumiStack(user, { operation: "up", dir, stack });
    expect(stepNames(result)["replace"]).toStrictEqual(["migrations-job"]);
    expect(stepNames(result)["create"]).toContain("app-deployment");
    await pulumiStack(user, { operation: "preview", dir, stack, expectNoChanges: true });
  });

  it("GIVEN it converged WHEN destroyed THEN the cluster is gone", async () => {
    await pulumiStack(user, { operation: "destroy", dir, stack });
    expect(kindClusters(user)).not.toContain(stack);
  });
});
