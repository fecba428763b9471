import { readFileSync } from "node:fs";

/** One engine step of a real run: a resource's operation from its start to its end. */
export interface Step {
  urn: string;
  name: string;
  type: string;
  op: string;
  /** Milliseconds since the first step started. */
  start: number;
  end: number;
  failed: boolean;
}

export interface Timeline {
  /** Milliseconds from the first start to the last end. */
  totalMs: number;
  steps: Step[];
  /** The chain of steps that decided the end, first to last (by time: each started when the one before ended). */
  criticalPath: string[];
}

interface EngineEvent {
  sequence?: number;
  timestamp?: number;
  /** Milliseconds since the epoch when `e2e-infra record` received the line: sub-second precision. */
  receivedAt?: number;
  resourcePreEvent?: { metadata: StepMetadata; planning?: boolean };
  resOutputsEvent?: { metadata: StepMetadata; planning?: boolean };
  resOpFailedEvent?: { metadata: StepMetadata; status?: number };
  summaryEvent?: unknown;
  cancelEvent?: unknown;
}

interface StepMetadata {
  op: string;
  urn: string;
  type: string;
}

/** Reads engine events: JSON lines (`pulumi up --json`, `--event-log`, `e2e-infra record`) or one JSON array. */
export function readEvents(file: string): EngineEvent[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new Error(`events file ${file} does not exist`);
  }
  const trimmed = text.trim();
  if (trimmed === "") throw new Error(`events file ${file} is empty`);
  if (trimmed.startsWith("[")) {
    try {
      return JSON.parse(trimmed) as EngineEvent[];
    } catch (error) {
      throw new Error(`events file ${file} is not a valid JSON array: ${(error as Error).message}`);
    }
  }
  return trimmed.split("\n").map((line, index) => {
    try {
      return JSON.parse(line) as EngineEvent;
    } catch {
      throw new Error(`events file ${file}, line ${index + 1}, is not a JSON engine event (malformed or truncated): ${line.slice(0, 80)}`);
    }
  });
}

/**
 * Pairs each step's start (resourcePreEvent) with its end (resOutputsEvent, or resOpFailedEvent)
 * per URN and operation (a replace has several steps for one URN), and times them with the
 * events' sub-second `receivedAt` when recorded, else their whole-second `timestamp`.
 * Throws for a run that is truncated (a step started, never ended, and the run neither failed
 * nor was cancelled) or has no real (non-preview) steps.
 */
export function timeline(events: readonly EngineEvent[], source = "events"): Timeline {
  const time = (event: EngineEvent) => event.receivedAt ?? (event.timestamp === undefined ? undefined : event.timestamp * 1000);
  const open = new Map<string, { metadata: StepMetadata; at: number }>();
  const steps: Array<Omit<Step, "start" | "end"> & { startAt: number; endAt: number }> = [];
  let ended = false;
  events.forEach((event, index) => {
    const at = time(event);
    const record = event.resourcePreEvent ?? event.resOutputsEvent ?? event.resOpFailedEvent;
    if (record === undefined) {
      if (event.summaryEvent !== undefined || event.cancelEvent !== undefined) ended = true;
      return;
    }
    if ("planning" in record && record.planning === true) return;
    // The stack itself spans the whole run, and "same" steps do nothing: neither is work to time.
    if (record.metadata.type === "pulumi:pulumi:Stack" || record.metadata.op === "same") return;
    if (at === undefined) throw new Error(`${source}: event ${index + 1} has neither receivedAt nor timestamp`);
    const key = `${record.metadata.urn}\u0000${record.metadata.op}`;
    if (event.resourcePreEvent !== undefined) {
      open.set(key, { metadata: record.metadata, at });
      return;
    }
    const started = open.get(key);
    if (started === undefined) return;
    open.delete(key);
    const urn = record.metadata.urn;
    steps.push({
      urn,
      name: urn.slice(urn.lastIndexOf("::") + 2),
      type: record.metadata.type,
      op: record.metadata.op,
      failed: event.resOpFailedEvent !== undefined,
      startAt: started.at,
      endAt: at,
    });
    if (event.resOpFailedEvent !== undefined) ended = true;
  });
  if (open.size > 0 && !ended) {
    const [first] = open.values();
    throw new Error(
      `${source} is truncated: ${open.size} step(s) started and never ended, e.g. ${first!.metadata.op} ${first!.metadata.urn}`,
    );
  }
  if (steps.length === 0) throw new Error(`${source} holds no steps of a real run (a preview, or no changes)`);
  const origin = Math.min(...steps.map((step) => step.startAt));
  const timed: Step[] = steps
    .map(({ startAt, endAt, ...step }) => ({ ...step, start: startAt - origin, end: endAt - origin }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  return { totalMs: Math.max(...timed.map((step) => step.end)), steps: timed, criticalPath: measuredCriticalPath(timed) };
}

/** From the step that ended last, back through the step that ended latest at or before each start. */
function measuredCriticalPath(steps: readonly Step[]): string[] {
  const label = (step: Step) => `${step.name} (${step.op})`;
  let current = [...steps].sort((a, b) => b.end - a.end)[0];
  const path: string[] = [];
  // Each step at most once: steps that take no time at the same instant end "before" each other.
  const visited = new Set<Step>();
  while (current !== undefined) {
    visited.add(current);
    path.unshift(label(current));
    const start = current.start;
    current = steps.filter((step) => step.end <= start && !visited.has(step)).sort((a, b) => b.end - a.end)[0];
  }
  return path;
}

export function formatTimeline(result: Timeline): string {
  const lines = [`measured wall time: ${(result.totalMs / 1000).toFixed(1)} s`, `critical path: ${result.criticalPath.join(" -> ")}`, ""];
  lines.push(`${"resource".padEnd(48)} ${"op".padEnd(10)} ${"start".padStart(8)} ${"end".padStart(8)} ${"took".padStart(8)}`);
  for (const step of result.steps) {
    lines.push(
      `${step.name.padEnd(48)} ${step.op.padEnd(10)} ${(step.start / 1000).toFixed(1).padStart(8)} ${(step.end / 1000).toFixed(1).padStart(8)} ${((step.end - step.start) / 1000).toFixed(1).padStart(8)}${step.failed ? "  FAILED" : ""}`,
    );
  }
  return lines.join("\n") + "\n";
}

/** A self-contained HTML Gantt chart of the steps: one bar per step, critical path in red. */
export function ganttHtml(result: Timeline, title: string): string {
  const total = Math.max(result.totalMs, 1);
  const critical = new Set(result.criticalPath);
  const escape = (text: string) => text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
  const rows = result.steps
    .map((step) => {
      const left = ((step.start / total) * 100).toFixed(3);
      const width = Math.max(((step.end - step.start) / total) * 100, 0.3).toFixed(3);
      const kind = step.failed ? "failed" : critical.has(`${step.name} (${step.op})`) ? "critical" : "step";
      const seconds = ((step.end - step.start) / 1000).toFixed(1);
      return `<div class="row"><div class="label" title="${escape(step.urn)}">${escape(step.name)} <small>${escape(step.op)}</small></div><div class="lane"><div class="bar ${kind}" style="left:${left}%;width:${width}%" title="${seconds} s"></div></div></div>`;
    })
    .join("\n");
  const ticks = Array.from(
    { length: 11 },
    (_, i) => `<span style="left:${i * 10}%">${((total / 1000) * (i / 10)).toFixed(0)} s</span>`,
  ).join("");
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>
body{font:13px system-ui,sans-serif;margin:16px;color:#222}
h1{font-size:16px}
.row{display:flex;align-items:center;height:22px}
.label{width:320px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;padding-right:8px}
.lane{position:relative;flex:1;height:16px;background:#f2f2f2}
.bar{position:absolute;top:2px;height:12px;border-radius:2px}
.step{background:#3b7dd8}.critical{background:#d83b3b}.failed{background:#222}
.axis{position:relative;margin-left:320px;height:18px;border-top:1px solid #999}
.axis span{position:absolute;transform:translateX(-50%);font-size:11px;color:#555;white-space:nowrap}
</style></head><body>
<h1>${escape(title)}: ${(total / 1000).toFixed(1)} s, critical path in red</h1>
${rows}
<div class="axis">${ticks}</div>
</body></html>
`;
}
