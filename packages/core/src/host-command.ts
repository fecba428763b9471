import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";

const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

/** The type token of a host command in the engine's graph. */
export const HOST_COMMAND_TYPE = "pulumi-nodejs:dynamic:HostCommand";

/** A command run on the host by `/bin/sh -c`. Values reach it only through `environment`. */
export interface HostCommandArgs {
  /** Constant script text (see loadScript). Values are read from "$VARS", never interpolated. */
  create: string;
  /** Run when an input other than `triggers` changes. Default: `create` runs again. */
  update?: string;
  /** Run on destroy and before a replacement, with the environment the resource was created with. */
  delete?: string;
  /**
   * Run by `pulumi refresh`, with the environment the resource was created with: exit 0 when
   * what `create` made is still there, 3 when it is gone (the resource then leaves the state
   * and the next `up` creates it again). Any other failure fails the refresh: a check that
   * cannot tell must not be taken for "gone". Default: nothing runs, the state stands.
   */
  check?: string;
  /** The values the scripts read. Entries whose value is `undefined` are left out. */
  environment: Record<string, pulumi.Input<string> | undefined>;
  /** Any change replaces the resource (delete, then create). */
  triggers?: pulumi.Input<unknown>[];
  /** The command prints a secret (a kubeconfig) on stdout: stdout is stored as a secret. */
  secretStdout?: boolean;
}

/** What a host command keeps in the stack's state: its inputs and the stdout of its last run. */
export interface HostCommandState {
  create: string;
  update?: string;
  delete?: string;
  check?: string;
  environment: Record<string, string>;
  triggers?: unknown[];
  stdout: string;
}

type Props = Omit<HostCommandState, "stdout"> & { stdout?: string };

/**
 * The provider: runs in the engine's Node.js dynamic provider process (no plugin to install).
 * Pulumi serializes this object into the state, so it references nothing outside itself but
 * Node's globals and built-ins (loaded with `require` when it runs).
 * - `triggers` changed: replace (delete with the old environment, then create);
 * - another input changed: `update` (or `create` again) runs;
 * - nothing changed: nothing runs;
 * - refresh: `check` (if any) says whether the resource is still there.
 */
const provider = {
  diff(_id: string, olds: Props, news: Props) {
    const same = (key: keyof Props) => JSON.stringify(olds[key] ?? null) === JSON.stringify(news[key] ?? null);
    const changed = (["create", "update", "delete", "check", "environment", "triggers"] as const).filter((key) => !same(key));
    return Promise.resolve({ changes: changed.length > 0, replaces: same("triggers") ? [] : ["triggers"] });
  },
  async create(inputs: Props) {
    const stdout = await provider.run(inputs.create, inputs.environment ?? {});
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { randomUUID } = require("node:crypto") as typeof import("node:crypto");
    return { id: randomUUID(), outs: provider.state(inputs, stdout) };
  },
  async update(_id: string, _olds: Props, news: Props) {
    const stdout = await provider.run(news.update ?? news.create, news.environment ?? {});
    return { outs: provider.state(news, stdout) };
  },
  async delete(_id: string, props: Props) {
    if (props.delete !== undefined) await provider.run(props.delete, props.environment ?? {});
  },
  async read(id: string, props: Props) {
    if (props.check !== undefined) {
      try {
        await provider.run(props.check, props.environment ?? {});
      } catch (error) {
        // Exit code 3: gone. An empty id tells the engine the resource no longer exists.
        if ((error as { exitCode?: number }).exitCode === 3) return { id: "", props: {} };
        throw error;
      }
    }
    return { id, props };
  },
  /** Inputs kept in state, in a fixed shape (undefined fields dropped), with stdout. */
  state(props: Props, stdout: string): HostCommandState {
    const state: HostCommandState = { create: props.create, environment: props.environment ?? {}, stdout };
    if (props.update !== undefined) state.update = props.update;
    if (props.delete !== undefined) state.delete = props.delete;
    if (props.check !== undefined) state.check = props.check;
    if (props.triggers !== undefined) state.triggers = props.triggers;
    return state;
  },
  /**
   * Runs `script` with `/bin/sh -c` in the current directory, with the process environment plus
   * `environment`. Resolves to stdout; stderr passes through to this process's stderr (the
   * engine's log of the provider) and its tail (4000 characters) is in the error when the
   * command fails. Asynchronous, so the engine's concurrent steps run concurrently.
   */
  run(script: string, environment: Record<string, string>): Promise<string> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { spawn } = require("node:child_process") as typeof import("node:child_process");
    return new Promise((resolve, reject) => {
      const child = spawn("/bin/sh", ["-c", script], { env: { ...process.env, ...environment }, stdio: ["ignore", "pipe", "pipe"] });
      const out: Buffer[] = [];
      let err = "";
      child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
      child.stderr.on("data", (chunk: Buffer) => {
        process.stderr.write(chunk);
        err = (err + chunk.toString("utf8")).slice(-4000);
      });
      child.on("error", reject);
      child.on("close", (code, signal) => {
        if (code === 0) resolve(Buffer.concat(out).toString("utf8"));
        else
          reject(
            Object.assign(
              new Error(`host command failed (${signal ?? `exit code ${code}`})${err.trim() === "" ? "" : `:\n${err.trimEnd()}`}`),
              {
                exitCode: code,
              },
            ),
          );
      });
    });
  },
};

/**
 * The provider of HostCommand. (A local constant, not `exports.…`: what the provider references
 * must survive Pulumi's serialization, which an exported binding in CommonJS does not.)
 */
export const hostCommandProvider = provider;

/** A command on the host, as a Pulumi dynamic resource (see hostCommandProvider). */
export class HostCommand extends pulumi.dynamic.Resource {
  /** What the last create or update printed on stdout. */
  declare readonly stdout: pulumi.Output<string>;

  constructor(name: string, args: Omit<HostCommandArgs, "secretStdout">, opts: pulumi.CustomResourceOptions) {
    super(provider, name, { ...args, stdout: undefined }, opts, undefined, "HostCommand");
  }
}

/**
 * A host command that follows the project's rules: constant script text, values through the
 * environment, stdout never logged (it may carry data), and a secret stdout when it carries one.
 */
export function hostCommand(name: string, args: HostCommandArgs, opts: pulumi.CustomResourceOptions): HostCommand {
  const environment: Record<string, pulumi.Input<string>> = {};
  for (const [key, value] of Object.entries(args.environment)) {
    if (!ENV_NAME.test(key)) throw new Error(`hostCommand ${name}: environment name ${JSON.stringify(key)} is not [A-Z_][A-Z0-9_]*`);
    if (value !== undefined) environment[key] = value;
  }
  const { secretStdout, ...rest } = args;
  return new HostCommand(
    name,
    { ...rest, environment },
    secretStdout === true ? { ...opts, additionalSecretOutputs: [...(opts.additionalSecretOutputs ?? []), "stdout"] } : opts,
  );
}

/**
 * Reads a shell script shipped beside a component's source. Scripts are files, not template
 * strings, so they can hold no interpolated value and shellcheck can read them.
 */
export function loadScript(path: string): string {
  const text = readFileSync(path, "utf8");
  if (!text.startsWith("#!/bin/sh\n")) throw new Error(`${path}: a host script starts with #!/bin/sh`);
  return text;
}
