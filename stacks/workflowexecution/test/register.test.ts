import { fixtureCheckout } from "@e2e-infra/stack-kit";
import { captureStack, runHostScriptAsync, shellcheck, shimDirectory } from "@e2e-infra/testing";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The workflow registration exactly as the stack hands it to local.Command, run with /bin/sh and
// the real curl against a stand-in DataStorage on loopback.

const dir = join(__dirname, "..");
const received: Array<Record<string, unknown>> = [];
let failNext = false;
let server: Server;
let url = "";

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      if (failNext) return response.writeHead(500).end('{"error":"boom"}');
      const workflow = JSON.parse(body) as Record<string, unknown>;
      const known = received.some((r) => r["workflow_name"] === workflow["workflow_name"] && r["version"] === workflow["version"]);
      if (request.url !== "/api/v1/workflows" || request.headers["content-type"] !== "application/json")
        return response.writeHead(400).end();
      if (!known) received.push(workflow);
      response.writeHead(known ? 409 : 201).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  url = typeof address === "object" && address !== null ? `http://127.0.0.1:${address.port}` : "";
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function registration() {
  const { graph } = await captureStack(dir, "workflowexecution-e2e", {
    config: {
      "workflowexecution:serviceRepository": fixtureCheckout(),
      "workflowexecution:tektonManifest": join(__dirname, "fixtures", "tekton-release.yaml"),
    },
  });
  const command = graph.one({ name: "register-workflows" });
  expect((command.inputs["environment"] as Record<string, string>)["DATA_STORAGE_URL"]).toBe("http://localhost:8081");
  // Registered again whenever DataStorage's database is on a new volume (a new cluster, or the
  // claim re-created): the trigger is the claim's uid, so the command waits for the claim.
  expect(command.inputs["triggers"]).toHaveLength(1);
  expect(graph.dependsOn(command, graph.one({ name: "data-postgres-data" }))).toBe(true);
  return { script: command.inputs["create"] as string, workflows: (command.inputs["environment"] as Record<string, string>)["WORKFLOWS"]! };
}

describe("workflow registration, for real", () => {
  it("GIVEN DataStorage THEN both test workflows are registered; a second run changes nothing (409 is fine)", async () => {
    const { script, workflows } = await registration();
    const shims = shimDirectory([]);
    const path = process.env["PATH"]!;
    const first = await runHostScriptAsync(script, { DATA_STORAGE_URL: url, WORKFLOWS: workflows, PATH: path }, { shims });
    expect(first.status).toBe(0);
    expect(received.map((w) => w["workflow_name"])).toStrictEqual(["test-hello-world", "test-intentional-failure"]);
    expect(received[0]).toMatchObject({
      version: "v1.0.0",
      execution_engine: "tekton",
      status: "active",
      container_image: "quay.io/jordigilh/test-workflows/hello-world:v1.0.0",
    });
    expect(received[0]!["content_hash"]).toMatch(/^[0-9a-f]{64}$/);
    const second = await runHostScriptAsync(script, { DATA_STORAGE_URL: url, WORKFLOWS: workflows, PATH: path }, { shims });
    expect(second.status).toBe(0);
    expect(received).toHaveLength(2);
  });

  it("GIVEN DataStorage failing THEN the command fails with the status", async () => {
    const { script, workflows } = await registration();
    failNext = true;
    const result = await runHostScriptAsync(
      script,
      { DATA_STORAGE_URL: url, WORKFLOWS: workflows, PATH: process.env["PATH"]! },
      { shims: shimDirectory([]) },
    );
    failNext = false;
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`registering a workflow with ${url} failed: HTTP 500`);
  });

  it("GIVEN the script THEN shellcheck finds nothing", () => {
    expect(shellcheck([join(dir, "scripts", "register-workflows.sh")])).toBe("");
  });
});
