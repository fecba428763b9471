import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureDockerDaemon } from "../src/docker";
import { REPO_ROOT, engineUser, fixtureCheckout, kindClusters, pulumiStack, stepNames, type EngineUser } from "../src/engine";
import { playWebhooks, webhookCaBundle } from "../src/webhooks";

// workflowexecution-e2e (the repository's HEAD) on the real engine with the fixture Tekton
// release. What pods would do is played here, explicitly (kwok runs no container):
// - Tekton's webhook fills `caBundle` into its webhook configurations once it serves (the stack
//   waits for that): this test patches a CA certificate in.
// - The AuthWebhook answers admission calls and registers each RemediationWorkflow in
//   DataStorage, writing its status.workflowId: nothing answers here, so this test sets its
//   webhooks' failurePolicy to Ignore once they exist, and writes each workflow's id as its
//   reconciler would. The stack's registration (kubectl apply, then waiting for the ids) is real.
const dir = join(REPO_ROOT, "stacks", "workflowexecution");
const stack = "workflowexecution-e2e";
let user: EngineUser;
let checkout: string;
let caBundle: string;

const config = () => ({ serviceRepository: checkout, tektonManifest: join(dir, "test", "fixtures", "tekton-release.yaml") });

beforeAll(async () => {
  user = engineUser("workflowexecution");
  await ensureDockerDaemon(user.home);
  checkout = fixtureCheckout("workflowexecution");
  caBundle = webhookCaBundle(user);
});

describe("workflowexecution-e2e on the real engine", () => {
  it("GIVEN the fixture Tekton release WHEN `pulumi up` THEN Tekton, the controller, the AuthWebhook and the suite's workflows with their ids are there", async () => {
    const operation = pulumiStack(user, { operation: "up", dir, stack, config: config() });
    const [result, played] = await Promise.all([operation, playWebhooks(user, stack, caBundle, operation)]);
    expect(played.tektonWebhooks).toBe(2);
    expect(played.authWebhooks).toBe(2);
    expect(result.changes["create"]).toBeGreaterThan(60);
    expect(result.outputs["dataStorageUrl"]).toBe("https://localhost:8092");
    // The ids the stack read back are the ones the AuthWebhook (played) wrote, for all 13 workflows.
    expect(JSON.parse(result.outputs["workflowIds"] as string)).toStrictEqual(played.workflowIds);
    expect(Object.keys(played.workflowIds)).toHaveLength(13);
    const loads = readFileSync(join(user.home, "kind-standin", "clusters", stack, "images"), "utf8");
    expect(loads).toMatch(/localhost\/kubernaut-workflowexecution:[0-9a-f]{16}/);
    expect(loads).toMatch(/localhost\/kubernaut-authwebhook:[0-9a-f]{16}/);
  });

  it("GIVEN it is up WHEN previewed with --expect-no-changes THEN nothing would change", async () => {
    const result = await pulumiStack(user, { operation: "preview", dir, stack, config: config(), expectNoChanges: true });
    expect(stepNames(result)).toStrictEqual({});
  });

  it("GIVEN the cluster deleted behind Pulumi's back WHEN refresh then up THEN the new DataStorage gets the workflows registered again", async () => {
    expect(spawnSync("kind", ["delete", "cluster", "--name", stack], { encoding: "utf8", env: user.env }).status).toBe(0);
    await pulumiStack(user, { operation: "refresh", dir, stack, config: config() });
    const operation = pulumiStack(user, { operation: "up", dir, stack, config: config() });
    const [result, played] = await Promise.all([operation, playWebhooks(user, stack, caBundle, operation)]);
    expect(played.tektonWebhooks).toBe(2);
    expect(stepNames(result)["replace"]).toContain("kubernaut-workflows");
    expect(JSON.parse(result.outputs["workflowIds"] as string)).toStrictEqual(played.workflowIds);
  });

  it("GIVEN it is up WHEN destroyed THEN the cluster is gone", async () => {
    await pulumiStack(user, { operation: "destroy", dir, stack, config: config() });
    expect(kindClusters(user)).not.toContain(stack);
  });
});
