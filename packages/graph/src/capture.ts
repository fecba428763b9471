import * as pulumi from "@pulumi/pulumi";
import type { MockCallArgs, MockResourceArgs } from "@pulumi/pulumi/runtime/mocks";
import { specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultOutputs } from "./mock-outputs";
import { ResourceGraph, type CapturedResource } from "./graph";

/** Where a captured input held a value the engine was told is unknown (a preview's computed value). */
export const UNKNOWN = unknownValue;

export interface CaptureOptions {
  /** Project name (URNs, `pulumi.getProject()`, config namespace). Default "test". */
  project?: string;
  /** Stack name. Default "test". */
  stack?: string;
  /** Run as `pulumi preview` rather than `pulumi up`. Default false. */
  preview?: boolean;
  /** Stack config: keys "ns:key", or bare keys taken in the project's namespace. Non-strings are JSON-encoded, as the CLI does. */
  config?: Record<string, unknown>;
  /** Config keys (as given in `config`) that the stack file holds as secrets. */
  secretConfig?: string[];
  /**
   * Outputs a mocked resource returns, merged over the harness's realistic defaults (a
   * Command's stdout, a Kubernetes object's metadata). Return undefined to keep the defaults.
   */
  outputs?: (args: MockResourceArgs) => Record<string, unknown> | undefined;
  /** Answers provider function calls (invokes). Default: an empty result. */
  call?: (args: MockCallArgs) => Record<string, unknown>;
  /**
   * The home directory (HOME) while the program runs: components read what is at "~/" paths at
   * preview (a kubeconfig to merge into, a CA file another stack wrote). Default: a new empty
   * directory, so nothing in the home of the user running the tests changes what is captured.
   * The CLI passes the real one, as a preview would see it.
   */
  home?: string;
}

export interface Capture {
  graph: ResourceGraph;
  /** The program's return value as stack outputs (secrets unwrapped). */
  outputs: Record<string, unknown>;
}

interface RegisterResourceRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProvider(): string;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(cb: (value: { getUrnsList(): string[] }, key: string) => void): void };
  getDeletedwith(): string;
  getDeletebeforereplace(): boolean;
  getRemote(): boolean;
  getIgnorechangesList(): string[];
  getReplaceonchangesList(): string[];
  getAdditionalsecretoutputsList(): string[];
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}
type Callback = (err: unknown, response?: { getUrn(): string }) => void;
interface Monitor {
  registerResource(req: RegisterResourceRequest, callback: Callback): unknown;
  newUrn(parent: string, type: string, name: string): string;
}

/**
 * The URN the engine gives a resource: its type is qualified by its parent's qualified type,
 * except under the root stack. (Pulumi's MockMonitor always prefixes the parent's last type,
 * stack included, which no real run does.)
 */
function engineUrn(parent: string, type: string, name: string): string {
  let qualified = type;
  if (parent) {
    const parentType = parent.split("::")[2] ?? "";
    if (parentType !== "pulumi:pulumi:Stack") qualified = `${parentType}$${type}`;
  }
  return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${qualified}::${name}`;
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `program` under Pulumi's mock runtime, as the root of a stack, and records every
 * RegisterResource request exactly as the SDK sends it to the engine: type, name, parent,
 * provider, dependencies, property dependencies, deletedWith and inputs. That is what the
 * engine schedules from, so edges asserted on the result are the edges a real `pulumi up`
 * honours.
 *
 * Pulumi's runtime state is global to the process, so captures run one at a time.
 */
export function capture(program: () => unknown, options: CaptureOptions = {}): Promise<Capture> {
  const run = queue.then(() => captureNow(program, options));
  queue = run.catch(() => undefined);
  return run;
}

async function captureNow(program: () => unknown, options: CaptureOptions): Promise<Capture> {
  const home = options.home ?? mkdtempSync(join(tmpdir(), "e2e-infra-capture-home-"));
  const realHome = process.env["HOME"];
  process.env["HOME"] = home;
  try {
    return await captureIn(program, options);
  } finally {
    if (realHome === undefined) delete process.env["HOME"];
    else process.env["HOME"] = realHome;
    if (options.home === undefined) rmSync(home, { recursive: true, force: true });
  }
}

async function captureIn(program: () => unknown, options: CaptureOptions): Promise<Capture> {
  const project = options.project ?? "test";
  const stack = options.stack ?? "test";
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(options.config ?? {})) {
    const full = key.includes(":") ? key : `${project}:${key}`;
    config[full] = typeof value === "string" ? value : JSON.stringify(value);
    if (options.secretConfig?.includes(key)) secretKeys.push(full);
  }
  pulumi.runtime.setAllConfig(config, secretKeys);

  await pulumi.runtime.setMocks(
    {
      newResource: (args: MockResourceArgs) => {
        const state = { ...defaultOutputs(args), ...(options.outputs?.(args) ?? {}) };
        const id = args.type.startsWith("pulumi:providers:") ? `${args.name}-provider-id` : `${args.name}-id`;
        return { id, state };
      },
      call: (args: MockCallArgs) => options.call?.(args) ?? {},
    },
    project,
    stack,
    options.preview ?? false,
  );

  const records: CapturedResource[] = [];
  const monitor = settings.getMonitor() as unknown as Monitor;
  monitor.newUrn = engineUrn;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    const record = toRecord(req);
    records.push(record);
    return register(req, (err, response) => {
      if (response !== undefined) record.urn = response.getUrn();
      callback(err, response);
    });
  };

  // A program that throws (a component rejecting its arguments) fails the capture with that
  // error, after the runtime has settled; the stack itself stays well-formed meanwhile.
  let failed: { error: unknown } | undefined;
  let outputs: Record<string, unknown>;
  try {
    outputs = (await pulumi.runtime.runInPulumiStack(async () => {
      try {
        const result = await program();
        // A program that returns a resource (`() => new KindCluster(...)`) exports nothing.
        return pulumi.Resource.isInstance(result) ? undefined : ((result ?? undefined) as Record<string, unknown> | undefined);
      } catch (error) {
        failed = { error };
        return undefined;
      }
    })) as Record<string, unknown>;
  } finally {
    await (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
  }
  if (failed !== undefined) throw failed.error;
  return { graph: new ResourceGraph(project, stack, records), outputs: unwrap(outputs ?? {}, "", []) as Record<string, unknown> };
}

function toRecord(req: RegisterResourceRequest): CapturedResource {
  const propertyDependencies: Record<string, string[]> = {};
  req.getPropertydependenciesMap().forEach((value, key) => {
    propertyDependencies[key] = [...value.getUrnsList()];
  });
  const secretInputs: string[] = [];
  const inputs = unwrap(req.getObject()?.toJavaScript() ?? {}, "", secretInputs) as Record<string, unknown>;
  // A dynamic resource's serialized provider: generated code, not an input anyone sets.
  delete inputs["__provider"];
  return {
    urn: "",
    type: req.getType(),
    name: req.getName(),
    custom: req.getCustom(),
    parent: req.getParent() || null,
    provider: providerUrn(req.getProvider()),
    dependencies: [...req.getDependenciesList()],
    propertyDependencies,
    deletedWith: req.getDeletedwith() || null,
    inputs,
    secretInputs,
    options: {
      remote: req.getRemote(),
      deleteBeforeReplace: req.getDeletebeforereplace(),
      ignoreChanges: [...req.getIgnorechangesList()],
      replaceOnChanges: [...req.getReplaceonchangesList()],
      additionalSecretOutputs: [...req.getAdditionalsecretoutputsList()],
    },
  };
}

/** A provider reference is "<urn>::<id>"; the graph names providers by URN. */
function providerUrn(reference: string): string | null {
  if (reference === "") return null;
  const cut = reference.lastIndexOf("::");
  return cut > reference.indexOf("::pulumi:providers:") ? reference.slice(0, cut) : reference;
}

/** Replaces secret envelopes by their values (recording their paths) and resource references by URNs. */
function unwrap(value: unknown, path: string, secrets: string[]): unknown {
  if (Array.isArray(value)) return value.map((item, index) => unwrap(item, `${path}[${index}]`, secrets));
  if (value === null || typeof value !== "object") return value;
  const object = value as Record<string, unknown>;
  if (object[specialSigKey] === specialSecretSig) {
    secrets.push(path);
    return unwrap(object["value"], path, secrets);
  }
  if (typeof object[specialSigKey] === "string" && typeof object["urn"] === "string") return object["urn"];
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(object)) result[key] = unwrap(child, path === "" ? key : `${path}.${key}`, secrets);
  return result;
}
