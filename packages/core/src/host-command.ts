import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";

const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

/** A command run on the host by `/bin/sh -c`. Values reach it only through `environment`. */
export interface HostCommandArgs {
  /** Constant script text (see loadScript). Values are read from "$VARS", never interpolated. */
  create: string;
  /** Run when an input other than `triggers` changes. Default: nothing runs. */
  update?: string;
  /** Run on destroy and before a replacement, with the environment the resource was created with. */
  delete?: string;
  /** The values the scripts read. Entries whose value is `undefined` are left out. */
  environment: Record<string, pulumi.Input<string> | undefined>;
  /** Any change replaces the resource (delete, then create). */
  triggers?: pulumi.Input<unknown>[];
  /**
   * The command prints a secret (a kubeconfig) on stdout: stdout is stored as a secret and never
   * streamed to the Pulumi log. Otherwise stderr is still shown, stdout is not.
   */
  secretStdout?: boolean;
}

/**
 * A `local.Command` that follows the project's rules for host commands: constant script text,
 * values through the environment, only stderr in the log (stdout may carry data), no previous
 * output injected into the next run.
 */
export function hostCommand(name: string, args: HostCommandArgs, opts: pulumi.CustomResourceOptions): command.local.Command {
  const environment: Record<string, pulumi.Input<string>> = {};
  for (const [key, value] of Object.entries(args.environment)) {
    if (!ENV_NAME.test(key)) throw new Error(`hostCommand ${name}: environment name ${JSON.stringify(key)} is not [A-Z_][A-Z0-9_]*`);
    if (value !== undefined) environment[key] = value;
  }
  return new command.local.Command(
    name,
    {
      create: args.create,
      update: args.update,
      delete: args.delete,
      environment,
      triggers: args.triggers,
      logging: args.secretStdout === true ? "none" : "stderr",
      addPreviousOutputInEnv: false,
    },
    args.secretStdout === true ? { ...opts, additionalSecretOutputs: [...(opts.additionalSecretOutputs ?? []), "stdout"] } : opts,
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
