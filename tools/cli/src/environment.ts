import { cacheDirectory, expandHome } from "@e2e-infra/core";
import { readStackFiles } from "@e2e-infra/graph";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { diagnose, kubeconfigFromEvents } from "./diagnose";
import type { Io } from "./main";
import { runStack, type Operation } from "./stack-run";
import type { StackRef } from "./stacks";
import { ganttHtml, readEvents, timeline } from "./timeline";

/**
 * What `pulumi` needs before it can run a stack of this repository unattended: the local file
 * backend's directory (PULUMI_BACKEND_URL, else the project's `backend.url`), and a passphrase
 * for its secrets (empty unless one is set). Returns notes for the user.
 */
export function prepare(ref: StackRef, env: NodeJS.ProcessEnv = process.env): string[] {
  const notes: string[] = [];
  const project = parse(readFileSync(join(ref.dir, "Pulumi.yaml"), "utf8")) as { backend?: { url?: string } };
  const url = env["PULUMI_BACKEND_URL"] ?? project.backend?.url;
  if (url?.startsWith("file://") === true) {
    const dir = expandHome(url.slice("file://".length));
    if (!existsSync(dir)) {
      mkdirSync(dir, { recursive: true });
      notes.push(`created the local state backend ${dir}`);
    }
  }
  if (env["PULUMI_CONFIG_PASSPHRASE"] === undefined && env["PULUMI_CONFIG_PASSPHRASE_FILE"] === undefined) {
    env["PULUMI_CONFIG_PASSPHRASE"] = "";
    notes.push(
      "PULUMI_CONFIG_PASSPHRASE is not set: using an empty passphrase, fine for a throwaway test stack (set it to encrypt this stack's secrets with your own)",
    );
  }
  return notes;
}

/** A directory for this run's events, chart and diagnostics: ~/.cache/e2e-infra/runs/<stack>/<time>. */
function runDir(stack: string, operation: Operation): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const dir = cacheDirectory("runs", stack, `${stamp}-${operation}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

async function operate(operation: Operation, ref: StackRef, config: Record<string, string>, io: Io) {
  for (const note of prepare(ref)) io.stderr.write(`e2e-infra: ${note}\n`);
  const dir = runDir(ref.stack, operation);
  const events = join(dir, "events.jsonl");
  io.stderr.write(`e2e-infra: pulumi ${operation} -s ${ref.stack} in ${ref.dir}; engine events: ${events}\n`);
  const started = Date.now();
  try {
    const result = await runStack({ operation, dir: ref.dir, stack: ref.stack, config, events, onOutput: (text) => io.stdout.write(text) });
    return { ok: true as const, result, dir, events, seconds: (Date.now() - started) / 1000 };
  } catch (error) {
    return { ok: false as const, error: error as Error, dir, events, seconds: (Date.now() - started) / 1000 };
  }
}

/** `e2e-infra up <stack>`: the exit code. */
export async function up(ref: StackRef, config: Record<string, string>, io: Io): Promise<number> {
  const run = await operate("up", ref, config, io);
  // The run's events, read once: for its timeline and, when it failed, its diagnostics.
  let events: ReturnType<typeof readEvents> = [];
  let measured: ReturnType<typeof timeline> | undefined;
  try {
    events = readEvents(run.events);
    measured = timeline(events, run.events);
  } catch {
    // No events, or no steps to show (nothing ran).
  }
  if (!run.ok) {
    io.stderr.write(`\ne2e-infra: pulumi up -s ${ref.stack} failed after ${run.seconds.toFixed(1)} s (Pulumi's diagnostics are above)\n`);
    const files = readStackFiles(ref.dir, ref.stack);
    const setting = (key: string) => config[`${files.project}:${key}`] ?? files.config[`${files.project}:${key}`];
    const [path, clusterName] = [setting("kubeconfigPath"), setting("clusterName")];
    // The cluster's kubeconfig as the run wrote it, else as the stack configures it.
    const kubeconfig =
      kubeconfigFromEvents(events) ??
      (typeof path === "string"
        ? { path: expandHome(path), context: typeof clusterName === "string" ? `kind-${clusterName}` : undefined }
        : undefined);
    const report = diagnose(events, kubeconfig);
    if (report !== undefined) {
      const file = join(run.dir, "diagnostics.txt");
      writeFileSync(file, report.text);
      io.stderr.write(`e2e-infra: what did not become ready (${file}):\n${report.causes.map((cause) => `  ${cause}\n`).join("")}`);
    }
    return 1;
  }
  const lines = ["", `${ref.stack} is up.`, "outputs:"];
  for (const [key, value] of Object.entries(run.result.outputs))
    lines.push(`  ${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`);
  lines.push(`wall time: ${run.seconds.toFixed(1)} s`);
  const changed = Object.entries(run.result.changes).filter(([op, count]) => op !== "same" && count > 0);
  if (changed.length === 0) {
    lines.push("nothing changed");
  } else if (measured !== undefined) {
    lines.push(`changes: ${changed.map(([op, count]) => `${op} ${count}`).join(", ")}`);
    const chart = join(run.dir, "timeline.html");
    writeFileSync(chart, ganttHtml(measured, `${ref.stack} up`));
    lines.push(`critical path (${(measured.totalMs / 1000).toFixed(1)} s): ${measured.criticalPath.join(" -> ")}`);
    lines.push(`Gantt chart: ${chart}`);
  }
  lines.push(`events: ${run.events} (e2e-infra timeline reads them)`, `remove it: e2e-infra down ${ref.stack}`, "");
  io.stdout.write(lines.join("\n"));
  return 0;
}

/** `e2e-infra down <stack>`: the exit code. */
export async function down(ref: StackRef, io: Io): Promise<number> {
  const run = await operate("destroy", ref, {}, io);
  if (!run.ok) {
    io.stderr.write(
      `\ne2e-infra: pulumi destroy -s ${ref.stack} failed after ${run.seconds.toFixed(1)} s (Pulumi's diagnostics are above)\n`,
    );
    return 1;
  }
  io.stdout.write(`\n${ref.stack} is down (${run.seconds.toFixed(1)} s).\n`);
  return 0;
}
