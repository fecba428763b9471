import { fixtureCheckout } from "@e2e-infra/testing";
import { notRunHere, toolMissing } from "@e2e-infra/testing";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main, resolveStack, type Plan } from "./index";

// The e2e-infra command as users run it: bin/e2e-infra.cjs in a separate process.

const root = join(__dirname, "..", "..", "..");
const bin = join(__dirname, "..", "bin", "e2e-infra.cjs");
const checkout = `serviceRepository=${fixtureCheckout()}`;
const tekton = `tektonManifest=${join(root, "stacks", "workflowexecution", "test", "fixtures", "tekton-release.yaml")}`;
// graph and plan run a stack's program: every stack but demo renders the service repository's chart with helm.
const noHelm = notRunHere(
  "e2e-infra graph and plan of the stacks at HEAD (their programs render the chart with helm)",
  toolMissing("helm"),
);

/** stderr without the progress lines graph and plan print on work over a second. */
function problems(stderr: string): string[] {
  return stderr
    .split("\n")
    .filter((line) => line !== "" && !/^e2e-infra: (graph|plan): running \S+'s program under Pulumi's mocks/.test(line));
}

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: root, timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("e2e-infra graph", () => {
  it.skipIf(noHelm)("GIVEN stacks/gateway --stack gateway-e2e --json THEN exactly the contract's shape", () => {
    const result = cli("graph", "stacks/gateway", "--stack", "gateway-e2e", "--json", "--config", checkout);
    expect(problems(result.stderr)).toStrictEqual([]);
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
    const load = json.resources.find((r) => r["name"] === "kubernaut-gateway-image-load")!;
    expect(load["dependencies"]).toHaveLength(2);
    expect(json.resources.find((r) => r["name"] === "kubernaut-gateway-image-build")!["dependencies"]).toStrictEqual([]);
  });

  it("GIVEN --dot or --mermaid THEN the edges in that language", () => {
    expect(cli("graph", "stacks/demo", "--dot").stdout).toContain('"app-image-build" -> "app-image-load";');
    expect(cli("graph", "stacks/demo", "--mermaid").stdout).toMatch(/^flowchart LR\n/);
  });

  it.each<[string, string[], RegExp]>([
    [
      "a directory without Pulumi.yaml",
      ["graph", "packages/core"],
      /e2e-infra: .*packages\/core is not a Pulumi project: it has no Pulumi.yaml \(stacks in stacks: aianalysis, apifrontend, authwebhook, datastorage, demo,/,
    ],
    ["an unknown stack", ["graph", "stacks/demo", "--stack", "prod"], /has no stack "prod"; its stacks: demo-e2e/],
    ["a misspelled stack", ["graph", "gatway"], /no stack "gatway": not a directory from .*; did you mean gateway\?/],
    ["an unknown command", ["graf", "stacks/demo"], /unknown command "graf"; did you mean graph\?\nusage: e2e-infra <command>/],
    [
      "an unknown option",
      ["graph", "stacks/demo", "--jsn"],
      /graph: Unknown option '--jsn'; did you mean --json\?\nusage: e2e-infra graph <stack>/,
    ],
    ["two formats", ["graph", "stacks/demo", "--json", "--dot"], /graph: choose one of --json, --dot/],
    ["no stack", ["plan"], /plan: which <stack>\?/],
    ["an extra argument", ["timeline", "a.jsonl", "b.jsonl"], /timeline: unexpected argument "b.jsonl"/],
    ["--config without KEY=VALUE", ["graph", "demo", "--config", "appHostPort"], /--config "appHostPort": expected KEY=VALUE/],
    ["a bad --parallel", ["plan", "stacks/demo", "--parallel", "0"], /--parallel 0: expected a positive integer/],
    ["a missing profile", ["plan", "stacks/demo", "--profile", "nope.json"], /--profile nope.json: no such file \(from /],
    ["no command", [], /which command\?\nusage: e2e-infra <command> \[options\]; e2e-infra --help lists the commands/],
  ])("GIVEN %s THEN a usage error: what is wrong, the usage line, exit code 2, before any work", (_, args, message) => {
    const result = cli(...args);
    expect(result.stderr).toMatch(message);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
  });

  it("GIVEN a malformed events file THEN a clear error and exit code 1", () => {
    const result = cli("timeline", "tools/cli/test/fixtures/truncated-line.jsonl");
    expect(result.stderr).toMatch(/line 6, is not a JSON engine event/);
    expect(result.status).toBe(1);
  });

  it("GIVEN a misspelled --config key THEN the program refuses it, naming the closest key, before any resource", () => {
    const result = cli("graph", "demo", "--config", "appHostPrt=1");
    expect(result.stderr).toContain(
      'e2e-infra: Stack "demo-e2e": a config key is "demo:appHostPrt"; this stack reads no such key: did you mean demo:appHostPort?',
    );
    expect(result.status).toBe(1);
  });

  // Resolving a name is a lookup in stacks/ (milliseconds); one run shows the CLI uses it.
  it("GIVEN a stack name or a project name instead of a directory THEN the same stack", () => {
    const byDir = resolveStack("stacks/demo", undefined, root);
    expect(byDir).toStrictEqual({ dir: join(root, "stacks", "demo"), stack: "demo-e2e" });
    expect(resolveStack("demo-e2e", undefined, root)).toStrictEqual(byDir);
    expect(resolveStack("demo", undefined, tmpdir())).toStrictEqual(byDir);
    const fromElsewhere = spawnSync(process.execPath, [bin, "graph", "demo-e2e"], { encoding: "utf8", cwd: tmpdir(), timeout: 60_000 });
    expect(problems(fromElsewhere.stderr)).toStrictEqual([]);
    // Its edges are the golden graph's (stacks/demo/test), one line per resource.
    const golden = JSON.parse(readFileSync(join(byDir.dir, "test", "demo-e2e.graph.json"), "utf8")) as Record<string, string[]>;
    expect(fromElsewhere.stdout).toBe(
      Object.entries(golden)
        .map(([name, deps]) => `${name} <- ${deps.join(", ") || "(nothing)"}\n`)
        .join(""),
    );
  });
});

describe("e2e-infra help and version", () => {
  /** The CLI in this process (the bin's main), for what needs no stack program. */
  async function inProcess(...args: string[]) {
    let stdout = "";
    let stderr = "";
    const io = {
      stdout: { write: (text: string) => ((stdout += text), true) } as unknown as NodeJS.WritableStream,
      stderr: { write: (text: string) => ((stderr += text), true) } as unknown as NodeJS.WritableStream,
      stdin: process.stdin,
      cwd: root,
    };
    const status = await main(args, io);
    return { status, stdout, stderr };
  }

  it("GIVEN --help as users run it THEN every command with a summary, on stdout, exit code 0", () => {
    const result = cli("--help");
    expect(result.status).toBe(0);
    expect(result.stderr).toBe("");
    for (const command of ["up", "down", "doctor", "graph", "plan", "timeline", "record"])
      expect(result.stdout).toMatch(new RegExp(`^  ${command} +\\S`, "m"));
  });

  it.each([["-h"], ["help"]])("GIVEN %s THEN the same overview", async (flag) => {
    expect(await inProcess(flag)).toStrictEqual(await inProcess("--help"));
  });

  it.each(["up", "down", "doctor", "graph", "plan", "timeline", "record"])(
    "GIVEN %s --help THEN its usage and options, exit code 0",
    async (command) => {
      const result = await inProcess(command, "--help");
      expect(result.status).toBe(0);
      expect(result.stderr).toBe("");
      expect(result.stdout).toMatch(new RegExp(`^usage: e2e-infra ${command}`));
      expect(result.stdout).toContain("-h, --help");
      expect(await inProcess("help", command)).toStrictEqual(result);
      expect(await inProcess(command, "-h")).toStrictEqual(result);
    },
  );

  it("GIVEN --version THEN the package's version", async () => {
    const result = await inProcess("--version");
    expect(result.stdout).toBe(
      `e2e-infra ${(JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")) as { version: string }).version}\n`,
    );
    expect(result.status).toBe(0);
  });
});

const stacks: Array<[string, string[]]> = [
  ["demo", []],
  ["datastorage", ["--config", checkout]],
  ["gateway", ["--config", checkout]],
  ["signalprocessing", ["--config", checkout]],
  ["workflowexecution", ["--config", checkout, "--config", tekton]],
  ["remediationorchestrator", ["--config", checkout]],
  ["authwebhook", ["--config", checkout]],
  ["notification", ["--config", checkout]],
  ["effectivenessmonitor", ["--config", checkout]],
  ["aianalysis", ["--config", checkout]],
  ["kubernautagent", ["--config", checkout]],
  ["apifrontend", ["--config", checkout]],
];

describe("e2e-infra plan", () => {
  const beatsPhases = (stack: string, config: string[]) => {
    const result = cli("plan", `stacks/${stack}`, "--json", "--parallel", "8", ...config);
    expect(problems(result.stderr)).toStrictEqual([]);
    const plan = JSON.parse(result.stdout) as Plan;
    expect(plan.graph.seconds).toBeLessThan(plan.phased!.seconds);
    expect(plan.graph.seconds).toBeLessThan(plan.sequentialSeconds);
    const onPath = plan.graph.criticalPath.map((id) => plan.graph.tasks.find((task) => task.id === id)!);
    expect(onPath.reduce((total, task) => total + task.seconds, 0)).toBeCloseTo(plan.graph.seconds, 3);
    for (const task of onPath) expect(task.slack).toBe(0);
  };
  const beatsPhasesTitle =
    "GIVEN %s under the reference profile THEN the graph beats its barrier phases and nothing waits without a reason";
  it.each(stacks.filter(([stack]) => stack === "demo"))(beatsPhasesTitle, beatsPhases);
  it.skipIf(noHelm).each(stacks.filter(([stack]) => stack !== "demo"))(beatsPhasesTitle, beatsPhases);

  it.skipIf(noHelm)(
    "GIVEN signalprocessing-e2e THEN at most 80 % of the 201 s the Go hybrid setup measured: builds overlap the cluster, the controller starts before the data tier is ready",
    () => {
      const plan = JSON.parse(cli("plan", "stacks/signalprocessing", "--json", "--config", checkout).stdout) as Plan;
      expect(plan.graph.seconds).toBeLessThanOrEqual(0.8 * 201);
      const at = (id: string) => plan.graph.tasks.find((task) => task.id === id)!;
      expect(at("kubernaut-signalprocessing-image-build").start).toBe(0);
      expect(at("cluster-cluster").start).toBe(0);
      const migrations = at("kubernaut-migrations-job-kubernaut-db-migration");
      expect(at("kubernaut-datastorage-deployment-datastorage").start).toBeGreaterThanOrEqual(migrations.finish);
      // The controller does not wait for DataStorage (it retries its audit writes).
      expect(at("kubernaut-chart-deployment-signalprocessing-controller").start).toBeLessThan(migrations.finish);
    },
  );

  it("GIVEN --parallel 1 THEN the graph takes as long as running it sequentially", () => {
    const plan = JSON.parse(cli("plan", "stacks/demo", "--json", "--parallel", "1").stdout) as Plan;
    expect(plan.graph.seconds).toBeCloseTo(plan.sequentialSeconds, 3);
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
