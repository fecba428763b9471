import type { ResourceGraph } from "@e2e-infra/graph";
import { readFileSync } from "node:fs";
import { phasedSchedule, schedule, sequentialSeconds, type Schedule, type Task } from "./schedule";

/** Durations by resource: the first rule whose type and name pattern match. */
export interface DurationProfile {
  description?: string;
  defaultSeconds: number;
  defaultSource?: string;
  rules: Array<{ type?: string; name?: string; seconds: number; source: string }>;
}

/** The barrier phases hand-written setup code runs a stack's steps in (stacks/<service>/phases.json). */
export interface PhaseDescription {
  description?: string;
  /** In order; a resource is in the first phase with a matching name pattern, or in the last phase. */
  phases: Array<{ name: string; names: string[] }>;
}

export function readJson<T>(file: string, what: string): T {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new Error(`${what} ${file} does not exist`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new Error(`${what} ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/** The graph's resources the engine creates (custom, or implemented by a provider) as tasks, timed by `profile`. */
export function tasksOf(graph: ResourceGraph, profile: DurationProfile): Task[] {
  const nodes = graph.resources.filter((resource) => resource.custom || resource.options.remote);
  const ids = new Set(nodes.map((resource) => resource.urn));
  const rules = profile.rules.map((rule) => ({ ...rule, pattern: rule.name === undefined ? undefined : new RegExp(rule.name) }));
  return nodes.map((resource) => {
    const rule = rules.find(
      (r) => (r.type === undefined || r.type === resource.type) && (r.pattern === undefined || r.pattern.test(resource.name)),
    );
    return {
      id: resource.name,
      seconds: rule?.seconds ?? profile.defaultSeconds,
      dependsOn: [...graph.directDependencies(resource)].filter((urn) => ids.has(urn)).map((urn) => graph.get(urn).name),
    };
  });
}

export interface Plan {
  stack: string;
  parallel: number;
  graph: Schedule;
  sequentialSeconds: number;
  phased?: { seconds: number; phases: Array<{ name: string; resources: string[] }> };
}

export function plan(graph: ResourceGraph, profile: DurationProfile, parallel: number, phases?: PhaseDescription): Plan {
  const tasks = tasksOf(graph, profile);
  const result: Plan = { stack: graph.stack, parallel, graph: schedule(tasks, parallel), sequentialSeconds: sequentialSeconds(tasks) };
  if (phases !== undefined) {
    const patterns = phases.phases.map((phase) => phase.names.map((name) => new RegExp(name)));
    const phaseOf = (task: Task) => {
      const found = patterns.findIndex((list) => list.some((pattern) => pattern.test(task.id)));
      return found === -1 ? phases.phases.length - 1 : found;
    };
    result.phased = {
      seconds: phasedSchedule(tasks, parallel, phaseOf).seconds,
      phases: phases.phases.map((phase, index) => ({
        name: phase.name,
        resources: tasks.filter((task) => phaseOf(task) === index).map((task) => task.id),
      })),
    };
  }
  return result;
}

export function formatPlan(result: Plan): string {
  const lines = [
    `stack ${result.stack}, parallel ${result.parallel}`,
    `predicted wall time: ${result.graph.seconds.toFixed(1)} s (this graph)`,
    `  run sequentially:  ${result.sequentialSeconds.toFixed(1)} s`,
    ...(result.phased === undefined
      ? []
      : [`  in barrier phases: ${result.phased.seconds.toFixed(1)} s (${result.phased.phases.map((p) => p.name).join(" | ")})`]),
    `critical path: ${result.graph.criticalPath.join(" -> ")}`,
    "",
    `${"resource".padEnd(48)} ${"start".padStart(8)} ${"finish".padStart(8)} ${"slack".padStart(8)}`,
  ];
  for (const task of [...result.graph.tasks].sort((a, b) => a.start - b.start || a.finish - b.finish)) {
    lines.push(
      `${task.id.padEnd(48)} ${task.start.toFixed(1).padStart(8)} ${task.finish.toFixed(1).padStart(8)} ${task.slack.toFixed(1).padStart(8)}`,
    );
  }
  return lines.join("\n") + "\n";
}
