import { execFile, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureDockerDaemon } from "../src/docker";
import { REPO_ROOT, engineUser, fixtureCheckout, kindClusters, pulumiStack, stepNames, type EngineUser } from "../src/engine";

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
const run = promisify(execFile);
let user: EngineUser;
let checkout: string;
let caBundle: string;

const config = () => ({ serviceRepository: checkout, tektonManifest: join(dir, "test", "fixtures", "tekton-release.yaml") });

interface Played {
  tektonWebhooks: number;
  authWebhooks: number;
  workflowIds: Record<string, string>;
}

/** Tekton's webhook and the AuthWebhook, as far as the stack sees them, while `until` runs. */
async function playWebhooks(until: Promise<unknown>): Promise<Played> {
  let done = false;
  void until.finally(() => (done = true));
  const kubeconfig = join(user.home, ".kube", `${stack}-config`);
  const kubectl = (...args: string[]) => run(join(user.bin, "kubectl"), ["--kubeconfig", kubeconfig, ...args], { env: user.env });
  const tekton = new Set<string>();
  const auth = new Set<string>();
  const workflowIds: Record<string, string> = {};
  while (!done) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    if (!existsSync(kubeconfig)) continue;
    for (const kind of ["validatingwebhookconfiguration", "mutatingwebhookconfiguration"]) {
      const listed = await kubectl("get", kind, "-o", "json").catch(() => ({ stdout: '{"items":[]}' }));
      const items = (JSON.parse(listed.stdout) as { items: { metadata: { name: string }; webhooks?: { failurePolicy?: string }[] }[] })
        .items;
      for (const item of items) {
        const name = `${kind}/${item.metadata.name}`;
        if (item.metadata.name.includes("pipeline.tekton.dev") && !tekton.has(name)) {
          const patch = JSON.stringify([{ op: "add", path: "/webhooks/0/clientConfig/caBundle", value: caBundle }]);
          await kubectl("patch", name, "--type=json", "-p", patch);
          tekton.add(name);
        }
        if (item.metadata.name.startsWith("authwebhook-") && !auth.has(name)) {
          const patch = (item.webhooks ?? []).map((_, index) => ({
            op: "replace",
            path: `/webhooks/${index}/failurePolicy`,
            value: "Ignore",
          }));
          await kubectl("patch", name, "--type=json", "-p", JSON.stringify(patch));
          auth.add(name);
        }
      }
    }
    const workflows = await kubectl("get", "remediationworkflows", "-n", "kubernaut-system", "-o", "json").catch(() => ({
      stdout: '{"items":[]}',
    }));
    for (const item of (JSON.parse(workflows.stdout) as { items: { metadata: { name: string }; status?: { workflowId?: string } }[] })
      .items) {
      if (item.status?.workflowId !== undefined) continue;
      const id = randomUUID();
      const patch = JSON.stringify({ status: { workflowId: id } });
      await kubectl(
        "patch",
        "remediationworkflow",
        item.metadata.name,
        "-n",
        "kubernaut-system",
        "--subresource=status",
        "--type=merge",
        "-p",
        patch,
      );
      workflowIds[item.metadata.name] = id;
    }
  }
  return { tektonWebhooks: tekton.size, authWebhooks: auth.size, workflowIds };
}

beforeAll(async () => {
  user = engineUser("workflowexecution");
  await ensureDockerDaemon(user.home);
  checkout = fixtureCheckout("workflowexecution");
  const ca = spawnSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-subj",
      "/CN=tekton-pipelines-webhook",
      "-days",
      "1",
      "-keyout",
      join(user.home, "ca.key"),
    ],
    { encoding: "utf8" },
  );
  if (ca.status !== 0) throw new Error(`openssl could not make the webhook CA: ${ca.stderr}`);
  caBundle = Buffer.from(ca.stdout).toString("base64");
});

describe("workflowexecution-e2e on the real engine", () => {
  it("GIVEN the fixture Tekton release WHEN `pulumi up` THEN Tekton, the controller, the AuthWebhook and the suite's workflows with their ids are there", async () => {
    const operation = pulumiStack(user, { operation: "up", dir, stack, config: config() });
    const [result, played] = await Promise.all([operation, playWebhooks(operation)]);
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
    const [result, played] = await Promise.all([operation, playWebhooks(operation)]);
    expect(played.tektonWebhooks).toBe(2);
    expect(stepNames(result)["replace"]).toContain("register-workflows");
    expect(JSON.parse(result.outputs["workflowIds"] as string)).toStrictEqual(played.workflowIds);
  });

  it("GIVEN it is up WHEN destroyed THEN the cluster is gone", async () => {
    await pulumiStack(user, { operation: "destroy", dir, stack, config: config() });
    expect(kindClusters(user)).not.toContain(stack);
  });
});
