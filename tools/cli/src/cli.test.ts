import { fixtureCheckout } from "@e2e-infra/stack-kit";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Plan } from "./index";

// The e2e-infra command as users run it: bin/e2e-infra.cjs in a separate process.

const root = join(__dirname, "..", "..", "..");
const bin = join(__dirname, "..", "bin", "e2e-infra.cjs");
const checkout = `serviceRepository=${fixtureCheckout()}`;
const tekton = `tektonManifest=${join(root, "stacks", "workflowexecution", "test", "fixtures", "tekton-release.yaml")}`;

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: root, timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("e2e-infra graph", () => {
  it("GIVEN stacks/gateway --stack gateway-e2e --json THEN exactly the contract's shape", () => {
    const result = cli("graph", "stacks/gateway", "--stack", "gateway-e2e", "--json", "--config", checkout);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const json = JSON.parse(result.stdout) as { project: string; stack: string; resources: Array<Record<string, unknown>> };
    expect(Object.keys(json)).toStrictEqual(["project", "stack", "resources"]);
    expect([json.project, json.stack]).toStrictEqual(["gateway", "gateway-e2e"]);
    for (const resource of json.resources) {
      expect(Object.keys(resource)).toStrictEqual([
        "urn",
        "type",
        "name",
        "custom",
        "parent",
        "provider",
        "dependencies",
        "propertyDependencies",
        "deletedWith",
      ]);
    }
    const load = json.resources.find((r) => r["name"] === "gateway-image-load")!;
    expect(load["dependencies"]).toHaveLength(2);
    expect(json.resources.find((r) => r["name"] === "gateway-image-build")!["dependencies"]).toStrictEqual([]);
  });

  it("GIVEN --dot or --mermaid THEN the edges in that language", () => {
    expect(cli("graph", "stacks/demo", "--dot").stdout).toContain('"app-image-build" -> "app-image-load";');
    expect(cli("graph", "stacks/demo", "--mermaid").stdout).toMatch(/^flowchart LR\n/);
  });

  it.each<[string, string[], RegExp]>([
    [
      "a directory without Pulumi.yaml",
      ["graph", "packages/core"],
      /e2e-infra: .*packages\/core is not a Pulumi project: it has no Pulumi.yaml/,
    ],
    ["an unknown stack", ["graph", "stacks/demo", "--stack", "prod"], /has no stack "prod"; its stacks: demo-e2e/],
    ["a malformed events file", ["timeline", "tools/cli/test/fixtures/truncated-line.jsonl"], /line 6, is not a JSON engine event/],
    ["an unknown command", ["graf", "stacks/demo"], /unknown command graf/],
  ])("GIVEN %s THEN a clear error and a non-zero exit", (_, args, message) => {
    const result = cli(...args);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(message);
  });
});

const stacks: Array<[string, string[]]> = [
  ["demo", []],
  ["datastorage", ["--config", checkout]],
  ["gateway", ["--config", checkout]],
  ["signalprocessing", ["--config", checkout]],
  ["workflowexecution", ["--config", checkout, "--config", tekton]],
  ["remediationorchestrator", ["--config", checkout]],
];

describe("e2e-infra plan", () => {
  it.each(stacks)(
    "GIVEN %s under the reference profile THEN the graph beats its barrier phases and nothing waits without a reason",
    (stack, config) => {
      const result = cli("plan", `stacks/${stack}`, "--json", "--parallel", "8", ...config);
      expect(result.stderr).toBe("");
      const plan = JSON.parse(result.stdout) as Plan;
      expect(plan.graph.seconds).toBeLessThan(plan.phased!.seconds);
      expect(plan.graph.seconds).toBeLessThan(plan.sequentialSeconds);
      const onPath = plan.graph.criticalPath.map((id) => plan.graph.tasks.find((task) => task.id === id)!);
      expect(onPath.reduce((total, task) => total + task.seconds, 0)).toBeCloseTo(plan.graph.seconds, 3);
      for (const task of onPath) expect(task.slack).toBe(0);
    },
  );

  it("GIVEN signalprocessing-e2e THEN at most 80 % of the 201 s the Go hybrid setup measured: builds overlap the cluster, the data tier is ready before the images", () => {
    const plan = JSON.parse(cli("plan", "stacks/signalprocessing", "--json", "--config", checkout).stdout) as Plan;
    expect(plan.graph.seconds).toBeLessThanOrEqual(0.8 * 201);
    const at = (id: string) => plan.graph.tasks.find((task) => task.id === id)!;
    expect(at("signalprocessing-image-build").start).toBe(0);
    expect(at("cluster-cluster").start).toBe(0);
    expect(at("data-datastorage-deployment").start).toBeGreaterThanOrEqual(at("data-migrations-job").finish);
    expect(at("data-migrations-job").finish).toBeLessThan(at("signalprocessing-image-build").finish);
  });

  it("GIVEN --parallel 1 THEN the graph takes as long as running it sequentially", () => {
    const plan = JSON.parse(cli("plan", "stacks/demo", "--json", "--parallel", "1").stdout) as Plan;
    expect(plan.graph.seconds).toBeCloseTo(plan.sequentialSeconds, 3);
  });

  it("GIVEN a bad --parallel or a missing profile THEN a clear error", () => {
    expect(cli("plan", "stacks/demo", "--parallel", "0").stderr).toContain("--parallel 0: expected a positive integer");
    expect(cli("plan", "stacks/demo", "--profile", "nope.json").stderr).toContain("profile nope.json does not exist");
  });
});

describe("e2e-infra timeline", () => {
  it("GIVEN an events file and --html THEN the report and a Gantt chart file", () => {
    const html = join(mkdtempSync(join(tmpdir(), "gantt-")), "gantt.html");
    const result = cli("timeline", "tools/cli/test/fixtures/whole-seconds.jsonl", "--html", html);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("measured wall time: 149.0 s");
    expect(result.stdout).toContain(
      "critical path: gateway-image-build (create) -> gateway-image-load (create) -> gateway-deployment (create)",
    );
    expect(existsSync(html)).toBe(true);
    expect(readFileSync(html, "utf8")).toContain("critical path in red");
  });
});
