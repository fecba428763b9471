/** A unit of work: a resource the engine creates, how long it takes, what it waits for. */
export interface Task {
  id: string;
  seconds: number;
  dependsOn: string[];
}

export interface ScheduledTask extends Task {
  start: number;
  finish: number;
  /** How much later it could start without delaying the end (with unlimited parallelism). */
  slack: number;
}

export interface Schedule {
  /** Wall time from the first start to the last finish. */
  seconds: number;
  tasks: ScheduledTask[];
  /** The chain that decides the end, first to last. */
  criticalPath: string[];
}

/**
 * Schedules tasks as Pulumi's engine does: a task starts as soon as everything it depends on has
 * finished and one of `parallel` slots is free; among ready tasks, the one ready first (then the
 * one listed first) goes first. Dependencies on ids not in `tasks` are ignored.
 */
export function schedule(tasks: readonly Task[], parallel: number): Schedule {
  if (!Number.isInteger(parallel) || parallel < 1) throw new Error(`parallel must be a positive integer, got ${parallel}`);
  const byId = new Map(tasks.map((task, index) => [task.id, { task, index }]));
  const deps = new Map(tasks.map((task) => [task.id, task.dependsOn.filter((id) => byId.has(id) && id !== task.id)]));
  assertAcyclic(tasks, deps);

  const finish = new Map<string, number>();
  const start = new Map<string, number>();
  const running: Array<{ id: string; finish: number }> = [];
  let now = 0;
  while (start.size < tasks.length) {
    const ready = tasks
      .filter((task) => !start.has(task.id) && deps.get(task.id)!.every((id) => finish.has(id) && finish.get(id)! <= now))
      .map((task) => ({ task, readyAt: Math.max(0, ...deps.get(task.id)!.map((id) => finish.get(id)!)) }))
      .sort((a, b) => a.readyAt - b.readyAt || byId.get(a.task.id)!.index - byId.get(b.task.id)!.index);
    for (const { task } of ready) {
      if (running.length >= parallel) break;
      start.set(task.id, now);
      const done = now + task.seconds;
      running.push({ id: task.id, finish: done });
      finish.set(task.id, done);
    }
    if (start.size === tasks.length) break;
    // Advance to the next completion.
    running.sort((a, b) => a.finish - b.finish);
    const next = running.shift();
    if (next === undefined) throw new Error("schedule: no task can start (a dependency cycle?)");
    now = Math.max(now, next.finish);
    while (running.length > 0 && running[0]!.finish <= now) running.shift();
  }

  const total = Math.max(0, ...tasks.map((task) => finish.get(task.id)!));
  const slack = criticalPathMethod(tasks, deps);
  const scheduled = tasks.map((task) => ({
    ...task,
    dependsOn: deps.get(task.id)!,
    start: start.get(task.id)!,
    finish: finish.get(task.id)!,
    slack: slack.get(task.id)!,
  }));
  return { seconds: round(total), tasks: scheduled, criticalPath: criticalPath(scheduled) };
}

/** The tasks run one after another: the sum of their durations. */
export function sequentialSeconds(tasks: readonly Task[]): number {
  return round(tasks.reduce((total, task) => total + task.seconds, 0));
}

/**
 * The same tasks run in barrier phases, as hand-written setup code runs them: every task of a
 * phase waits for every task of the phase before. `phaseOf` names each task's phase index.
 */
export function phasedSchedule(tasks: readonly Task[], parallel: number, phaseOf: (task: Task) => number): Schedule {
  const phases = new Map<number, string[]>();
  for (const task of tasks) {
    const phase = phaseOf(task);
    phases.set(phase, [...(phases.get(phase) ?? []), task.id]);
  }
  const order = [...phases.keys()].sort((a, b) => a - b);
  const earlier = (phase: number) => order.filter((p) => p < phase).flatMap((p) => phases.get(p)!);
  return schedule(
    tasks.map((task) => ({ ...task, dependsOn: [...task.dependsOn, ...earlier(phaseOf(task))] })),
    parallel,
  );
}

function criticalPath(tasks: readonly ScheduledTask[]): string[] {
  const byId = new Map(tasks.map((task) => [task.id, task]));
  if (tasks.length === 0) return [];
  let current: ScheduledTask | undefined = [...tasks].sort((a, b) => b.finish - a.finish || b.seconds - a.seconds)[0];
  const path: string[] = [];
  while (current !== undefined) {
    path.unshift(current.id);
    const start: number = current.start;
    // What it waited for: the dependency that finished last, or, held back by the parallel
    // limit, the task whose end freed its slot.
    const waitedFor: ScheduledTask | undefined =
      current.dependsOn
        .map((id) => byId.get(id)!)
        .filter((dep) => dep.finish === start)
        .sort((a, b) => b.seconds - a.seconds)[0] ??
      (start > 0 ? tasks.filter((t) => t.finish === start && t.id !== current!.id).sort((a, b) => b.seconds - a.seconds)[0] : undefined);
    current = waitedFor;
  }
  return path;
}

/** Slack per task with unlimited parallelism: latest start minus earliest start. */
function criticalPathMethod(tasks: readonly Task[], deps: Map<string, string[]>): Map<string, number> {
  const earliest = new Map<string, number>();
  const order = topological(tasks, deps);
  for (const id of order) {
    earliest.set(id, Math.max(0, ...deps.get(id)!.map((dep) => earliest.get(dep)! + seconds(tasks, dep))));
  }
  const end = Math.max(0, ...order.map((id) => earliest.get(id)! + seconds(tasks, id)));
  const latest = new Map<string, number>();
  for (const id of [...order].reverse()) {
    const dependents = order.filter((other) => deps.get(other)!.includes(id));
    latest.set(id, Math.min(end - seconds(tasks, id), ...dependents.map((other) => latest.get(other)! - seconds(tasks, id))));
  }
  return new Map(order.map((id) => [id, round(latest.get(id)! - earliest.get(id)!)]));
}

function seconds(tasks: readonly Task[], id: string): number {
  return tasks.find((task) => task.id === id)!.seconds;
}

function topological(tasks: readonly Task[], deps: Map<string, string[]>): string[] {
  const done = new Set<string>();
  const order: string[] = [];
  const visit = (id: string) => {
    if (done.has(id)) return;
    done.add(id);
    for (const dep of deps.get(id)!) visit(dep);
    order.push(id);
  };
  for (const task of tasks) visit(task.id);
  return order;
}

function assertAcyclic(tasks: readonly Task[], deps: Map<string, string[]>): void {
  const state = new Map<string, "visiting" | "done">();
  const visit = (id: string, trail: string[]) => {
    if (state.get(id) === "done") return;
    if (state.get(id) === "visiting") throw new Error(`dependency cycle: ${[...trail, id].join(" -> ")}`);
    state.set(id, "visiting");
    for (const dep of deps.get(id)!) visit(dep, [...trail, id]);
    state.set(id, "done");
  };
  for (const task of tasks) visit(task.id, []);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
