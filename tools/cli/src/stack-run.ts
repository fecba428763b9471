import { LocalWorkspace, PulumiCommand, Stack, type EngineEvent, type OpMap } from "@pulumi/pulumi/automation";
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

export type Operation = "up" | "preview" | "refresh" | "destroy";

/** One engine operation on one stack, as `pulumi <operation> -s <stack>` in the stack's directory. */
export interface StackRun {
  operation: Operation;
  /** The stack's project directory (Pulumi.yaml, Pulumi.<stack>.yaml, index.ts). */
  dir: string;
  stack: string;
  /**
   * The Pulumi project directory the CLI works in. Default `dir`, as `pulumi` run there (the CLI
   * writes the stack's encryption salt and `--config` values into its stack file). Elsewhere, it
   * works on a copy of Pulumi.yaml (less `main`) and of the stack file, and the checkout stays as it is.
   */
  workDir?: string;
  /** The directory holding bin/pulumi. Default: `pulumi` on PATH. */
  pulumiRoot?: string;
  /** Stack config to set first, KEY (project namespace implied) or project:KEY to value. */
  config?: Record<string, string>;
  /** Append the engine's events, each with `receivedAt` (ms), as JSON lines (e2e-infra timeline reads them). */
  events?: string;
  /** `--expect-no-changes`: the operation fails if anything would change. */
  expectNoChanges?: boolean;
  /** `up` only: `--exclude` these resource URNs and `--exclude-dependents`: everything else. */
  exclude?: string[];
  /** Pulumi's progress text. Default: to stderr. */
  onOutput?: (text: string) => void;
}

/** A step the engine took or planned (anything but "same"). */
export interface Step {
  op: string;
  urn: string;
  type: string;
}

export interface StackRunResult {
  operation: Operation;
  /** Count per operation ("create", "update", "same", ...), as the engine summarises it. */
  changes: OpMap;
  steps: Step[];
  /** Stack outputs after `up` (secret values replaced by "[secret]"). */
  outputs: Record<string, unknown>;
}

/**
 * Runs the operation through Pulumi's Automation API with the program inline: the CLI drives the
 * real engine and the real providers, and connects to this process for the program (the CLI's
 * `--client`), in place of the Node.js language host, which cannot be built here (its Go module
 * is not served by the module proxy). The program is the stack's index.ts, run in its directory
 * as Pulumi's runtime runs it.
 */
export async function runStack(run: StackRun): Promise<StackRunResult> {
  const workDir = resolve(run.workDir ?? run.dir);
  if (workDir !== resolve(run.dir)) {
    mkdirSync(workDir, { recursive: true });
    const stackFile = `Pulumi.${run.stack}.yaml`;
    // The project file as it is now, less `main` (the CLI would look for it beside the copy; the
    // program runs here instead); the stack file once (the CLI adds its encryption salt to it).
    writeFileSync(join(workDir, "Pulumi.yaml"), readFileSync(join(run.dir, "Pulumi.yaml"), "utf8").replace(/^main: .*$/m, ""));
    if (!existsSync(join(workDir, stackFile))) copyFileSync(join(run.dir, stackFile), join(workDir, stackFile));
  }
  const program = async () => {
    process.chdir(run.dir);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- through the process's TypeScript require hook (bin/typescript-hook.cjs, or ts-node), as Pulumi's runtime loads a program
    const loaded = require(join(run.dir, "index.ts")) as unknown;
    return (typeof loaded === "function" ? await (loaded as () => unknown)() : loaded) as Record<string, unknown>;
  };
  const pulumiCommand =
    run.pulumiRoot === undefined ? await PulumiCommand.get() : await PulumiCommand.get({ root: run.pulumiRoot, skipVersionCheck: true });
  const workspace = await LocalWorkspace.create({ workDir, program, pulumiCommand });
  const stack = await Stack.createOrSelect(run.stack, workspace);
  for (const [key, value] of Object.entries(run.config ?? {})) await stack.setConfig(key, { value });

  const steps: Step[] = [];
  if (run.events !== undefined) writeFileSync(run.events, "", { flag: "a" });
  const onEvent = (event: EngineEvent) => {
    if (run.events !== undefined) appendFileSync(run.events, JSON.stringify({ ...event, receivedAt: Date.now() }) + "\n");
    const pre = event.resourcePreEvent;
    if (pre !== undefined && pre.metadata.op !== "same")
      steps.push({ op: pre.metadata.op, urn: pre.metadata.urn, type: pre.metadata.type });
  };
  const common = { onEvent, color: "never" as const, onOutput: run.onOutput ?? ((text: string) => process.stderr.write(text)) };
  let changes: OpMap = {};
  let outputs: Record<string, unknown> = {};
  switch (run.operation) {
    case "up": {
      const result = await stack.up({
        ...common,
        ...(run.expectNoChanges === true ? { expectNoChanges: true } : {}),
        ...(run.exclude === undefined ? {} : { exclude: run.exclude, excludeDependents: true }),
      });
      changes = result.summary.resourceChanges ?? {};
      outputs = Object.fromEntries(Object.entries(result.outputs).map(([key, value]) => [key, value.secret ? "[secret]" : value.value]));
      break;
    }
    case "preview":
      changes = (await stack.preview({ ...common, ...(run.expectNoChanges === true ? { expectNoChanges: true } : {}) })).changeSummary;
      break;
    case "refresh":
      changes = (await stack.refresh(common)).summary.resourceChanges ?? {};
      break;
    case "destroy":
      changes = (await stack.destroy(common)).summary.resourceChanges ?? {};
      break;
  }
  return { operation: run.operation, changes, steps, outputs };
}
