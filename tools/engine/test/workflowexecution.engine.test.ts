import { execFile, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDockerDaemon } from "../src/docker";
import { REPO_ROOT, engineUser, fixtureCheckout, kindClusters, pulumiStack, stepNames, type EngineUser } from "../src/engine";

// workflowexecution-e2e on the real engine with the fixture Tekton release. Two parts that pods
// would play are played here, explicitly:
// - Tekton's webhook fills `caBundle` into its webhook configurations once it serves (the stack
//   waits for that): kwok runs no container, so this test patches a CA certificate in.
// - DataStorage answers the workflow registration on its host port: kwok's pods serve nothing,
//   so this test serves POST /api/v1/workflows on 127.0.0.1:8081 and records the bodies.
const dir = join(REPO_ROOT, "stacks", "workflowexecution");
const stack = "workflowexecution-e2e";
const run = promisify(execFile);
let user: EngineUser;
let checkout: string;
let dataStorage: Server;
const registered: string[] = [];
let caBundle: string;

const config = () => ({ serviceRepository: checkout, tektonManifest: join(dir, "test", "fixtures", "tekton-release.yaml") });

/** Tekton's webhook, as far as the stack sees it: the CA bundle in both webhook configurations. */
async function playTektonWebhook(until: Promise<unknown>): Promise<number> {
  let done = false;
  void until.finally(() => (done = true));
  const kubeconfig = join(user.home, ".kube", `${stack}-config`);
  const kubectl = (...args: string[]) => run(join(user.bin, "kubectl"), ["--kubeconfig", kubeconfig, ...args], { env: user.env });
  const patched = new Set<string>();
  while (!done && patched.size < 2) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    if (!existsSync(kubeconfig)) continue;
    for (const kind of ["validatingwebhookconfiguration", "mutatingwebhookconfiguration"]) {
      if (patched.has(kind)) continue;
      const listed = await kubectl("get", kind, "-o", "name").catch(() => ({ stdout: "" }));
      const name = listed.stdout.split("\n").find((line) => line.includes("pipeline.tekton.dev"));
      if (name === undefined) continue;
      const patch = JSON.stringify([{ op: "add", path: "/webhooks/0/clientConfig/caBundle", value: caBundle }]);
      await kubectl("patch", name, "--type=json", "-p", patch);
      patched.add(kind);
    }
  }
  return patched.size;
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
  dataStorage = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    request.on("end", () => {
      if (request.method === "POST" && request.url === "/api/v1/workflows") registered.push(body);
      response.writeHead(request.method === "POST" ? 201 : 404).end("{}");
    });
  });
  await new Promise<void>((resolve) => dataStorage.listen(8081, "127.0.0.1", resolve));
});

afterAll(() => new Promise<void>((resolve) => dataStorage.close(() => resolve())));

describe("workflowexecution-e2e on the real engine", () => {
  it("GIVEN the fixture Tekton release WHEN `pulumi up` THEN Tekton, the pipelines, the controller and the registered workflows are there", async () => {
    const operation = pulumiStack(user, { operation: "up", dir, stack, config: config() });
    const [result, patched] = await Promise.all([operation, playTektonWebhook(operation)]);
    expect(patched).toBe(2);
    expect(result.changes["create"]).toBeGreaterThan(30);
    expect(result.outputs["dataStorageUrl"]).toBe("http://localhost:8081");
    expect(registered.map((body) => (JSON.parse(body) as { workflow_name: string }).workflow_name).sort()).toStrictEqual([
      "test-hello-world",
      "test-intentional-failure",
    ]);
    const loads = readFileSync(join(user.home, "kind-standin", "clusters", stack, "images"), "utf8");
    expect(loads).toMatch(/localhost\/kubernaut-workflowexecution:[0-9a-f]{16}/);
  });

  it("GIVEN it is up WHEN previewed with --expect-no-changes THEN nothing would change", async () => {
    const result = await pulumiStack(user, { operation: "preview", dir, stack, config: config(), expectNoChanges: true });
    expect(stepNames(result)).toStrictEqual({});
  });

  it("GIVEN the cluster deleted behind Pulumi's back WHEN refresh then up THEN the new DataStorage gets the workflows registered again", async () => {
    expect(spawnSync("kind", ["delete", "cluster", "--name", stack], { encoding: "utf8", env: user.env }).status).toBe(0);
    await pulumiStack(user, { operation: "refresh", dir, stack, config: config() });
    registered.length = 0;
    const operation = pulumiStack(user, { operation: "up", dir, stack, config: config() });
    const [result, patched] = await Promise.all([operation, playTektonWebhook(operation)]);
    expect(patched).toBe(2);
    expect(stepNames(result)["replace"]).toContain("register-workflows");
    expect(registered).toHaveLength(2);
  });

  it("GIVEN it is up WHEN destroyed THEN the cluster is gone", async () => {
    await pulumiStack(user, { operation: "destroy", dir, stack, config: config() });
    expect(kindClusters(user)).not.toContain(stack);
  });
});
