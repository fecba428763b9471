import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { ganttHtml, readEvents, record, timeline } from "./index";

const fixture = (name: string) => join(__dirname, "..", "test", "fixtures", name);
const summary = (file: string) =>
  timeline(readEvents(fixture(file)), file).steps.map((s) => `${s.name} ${s.op} ${s.start}-${s.end}${s.failed ? " failed" : ""}`);

describe("timeline", () => {
  it("GIVEN whole-second engine events THEN each step's start and end, the total and the measured critical path", () => {
    const result = timeline(readEvents(fixture("whole-seconds.jsonl")));
    expect(result.totalMs).toBe(149_000);
    expect(summary("whole-seconds.jsonl")).toStrictEqual([
      "cluster-cluster create 0-26000",
      "gateway-image-build create 0-125000",
      "gateway-image-load create 126000-137000",
      "gateway-deployment create 137000-149000",
    ]);
    expect(result.criticalPath).toStrictEqual([
      "gateway-image-build (create)",
      "gateway-image-load (create)",
      "gateway-deployment (create)",
    ]);
  });

  it("GIVEN a real run's events THEN the stack resource (it spans the run) and unchanged resources are not steps", () => {
    const events = readEvents(fixture("whole-seconds.jsonl"));
    const stack = { urn: "urn:pulumi:gateway-e2e::gateway::pulumi:pulumi:Stack::gateway-gateway-e2e", type: "pulumi:pulumi:Stack" };
    const same = { urn: "urn:pulumi:gateway-e2e::gateway::kubernetes:core/v1:Namespace::namespace", type: "kubernetes:core/v1:Namespace" };
    const withStack = [
      { timestamp: 1763849999, resourcePreEvent: { metadata: { op: "same", ...stack } } },
      { timestamp: 1763850000, resourcePreEvent: { metadata: { op: "same", ...same } } },
      { timestamp: 1763850030, resOutputsEvent: { metadata: { op: "same", ...same } } },
      ...events.filter((event) => event.summaryEvent === undefined),
      { timestamp: 1763850150, resOutputsEvent: { metadata: { op: "same", ...stack } } },
      ...events.filter((event) => event.summaryEvent !== undefined),
    ] as typeof events;
    const result = timeline(withStack);
    expect(result.steps.map((step) => step.name)).toStrictEqual([
      "cluster-cluster",
      "gateway-image-build",
      "gateway-image-load",
      "gateway-deployment",
    ]);
    expect(result.criticalPath).toStrictEqual(timeline(events).criticalPath);
  });

  it("GIVEN two steps that take no time at the same instant THEN a critical path through each once (it looped forever)", () => {
    const step = (op: string, name: string, at: number, end: boolean) => ({
      receivedAt: at,
      [end ? "resOutputsEvent" : "resourcePreEvent"]: { metadata: { op, urn: `urn:pulumi:s::p::t::${name}`, type: "t" } },
    });
    const events = [
      step("create", "a", 0, false),
      step("create", "b", 0, false),
      step("create", "a", 0, true),
      step("create", "b", 0, true),
    ];
    expect([...timeline(events as Parameters<typeof timeline>[0]).criticalPath].sort()).toStrictEqual(["a (create)", "b (create)"]);
  });

  it("GIVEN recorded sub-second events with a replace THEN its three steps are paired by URN and operation, in milliseconds", () => {
    expect(summary("sub-second-replace.jsonl")).toStrictEqual([
      "gateway-config create-replacement 0-250",
      "gateway-config replace 260-280",
      "gateway-deployment update 300-2550",
      "gateway-config delete-replaced 2560-2800",
    ]);
    expect(timeline(readEvents(fixture("sub-second-replace.jsonl"))).totalMs).toBe(2800);
  });

  it("GIVEN a failed run THEN the failed step is marked and steps that never ended are left out", () => {
    expect(summary("failed.jsonl")).toStrictEqual([
      "data-postgres-deployment create 0-15000",
      "data-migrations-job create 15000-21000 failed",
    ]);
  });

  it("GIVEN a malformed, truncated, preview-only or missing file THEN a clear error", () => {
    expect(() => readEvents(fixture("truncated-line.jsonl"))).toThrow(/line 6, is not a JSON engine event \(malformed or truncated\)/);
    expect(() => timeline(readEvents(fixture("truncated-run.jsonl")), "truncated-run.jsonl")).toThrow(
      "truncated-run.jsonl is truncated: 1 step(s) started and never ended, e.g. create urn:pulumi:gateway-e2e::gateway::command:local:Command::gateway-image-load",
    );
    expect(() => timeline(readEvents(fixture("preview.jsonl")), "preview.jsonl")).toThrow("preview.jsonl holds no steps of a real run");
    expect(() => readEvents(fixture("nope.jsonl"))).toThrow(/events file .*nope.jsonl does not exist/);
  });

  it("GIVEN steps THEN the Gantt chart has one bar per step, the critical ones marked", () => {
    const html = ganttHtml(timeline(readEvents(fixture("whole-seconds.jsonl"))), "gateway-e2e");
    expect(html.match(/class="bar /g)).toHaveLength(4);
    expect(html.match(/class="bar critical"/g)).toHaveLength(3);
  });
});

describe("record", () => {
  it("GIVEN the CLI's JSON lines THEN each event is copied with receivedAt; other lines are dropped", async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let now = 1_000;
    const done = record(input, output, () => (now += 250));
    input.end('{"sequence":1,"timestamp":5,"resourcePreEvent":{}}\nUpdating (gateway-e2e)\n{"sequence":2,"timestamp":5}\n');
    expect(await done).toBe(2);
    const lines = (output.read() as Buffer)
      .toString()
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toStrictEqual([
      { sequence: 1, timestamp: 5, resourcePreEvent: {}, receivedAt: 1250 },
      { sequence: 2, timestamp: 5, receivedAt: 1500 },
    ]);
  });
});
