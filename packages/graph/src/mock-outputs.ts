import type { MockResourceArgs } from "@pulumi/pulumi/runtime/mocks";
import { createHash } from "node:crypto";

/**
 * Realistic outputs for a mocked resource: its inputs echoed (as the real providers do) plus
 * the outputs the real provider computes and that consumers read. An output a consumer reads
 * must not be undefined under mocks: the SDK drops an input that resolves to undefined, and its
 * dependency with it, so the captured graph would lose an edge the real run has.
 */
export function defaultOutputs(args: MockResourceArgs): Record<string, unknown> {
  const inputs = args.inputs as Record<string, unknown>;
  const state: Record<string, unknown> = { ...inputs };
  if (args.type === "pulumi-nodejs:dynamic:HostCommand") {
    delete state["__provider"];
    const environment = (inputs["environment"] ?? {}) as Record<string, unknown>;
    // @e2e-infra/kubernaut's RemediationWorkflow registration prints each workflow's id by name
    // (JSON), which a stack reads; any other command's stdout is opaque text.
    const workflows = text(environment["WORKFLOW_NAMES"]);
    state["stdout"] =
      workflows === ""
        ? `stdout of ${args.name}`
        : JSON.stringify(Object.fromEntries(workflows.split("\n").map((name) => [name, uid(`workflow/${name}`)])));
  } else if (args.type === "pulumi-nodejs:dynamic:KubeconfigFile") {
    // @e2e-infra/kind-cluster: the file's absolute path ("~/" in a home directory), the entries it put in.
    delete state["__provider"];
    const path = text(inputs["path"]);
    state["absolutePath"] = path.startsWith("~/") ? `/home/user/${path.slice(2)}` : path;
    state["entries"] = { clusters: [], contexts: [], users: [], currentContext: "" };
    state["created"] = true;
  } else if (args.type === "command:local:Command" || args.type === "command:remote:Command") {
    state["stdout"] = `stdout of ${args.name}`;
    state["stderr"] = "";
  } else if (args.type === "pulumi-nodejs:dynamic:TlsCertificate") {
    // @e2e-infra/tls: what its provider computes (a PEM certificate and key, a serial, an expiry).
    delete state["__provider"];
    state["certificate"] = `-----BEGIN CERTIFICATE-----\ncertificate of ${args.name}\n-----END CERTIFICATE-----\n`;
    state["privateKey"] = `-----BEGIN PRIVATE KEY-----\nkey of ${args.name}\n-----END PRIVATE KEY-----\n`;
    state["serialNumber"] = "01";
    state["notAfter"] = "2030-01-01T00:00:00.000Z";
  } else if (args.type === "pulumi-nodejs:dynamic:RandomKey") {
    delete state["__provider"];
    state["base64"] = Buffer.from(digest(args.name))
      .toString("base64")
      .slice(0, Math.ceil((Number(inputs["bytes"]) * 4) / 3));
  } else if (args.type === "random:index/randomPassword:RandomPassword") {
    state["result"] = `random-${digest(args.name).slice(0, 24)}`;
  } else if (args.type === "kubernetes:yaml/v2:ConfigGroup" || args.type === "kubernetes:yaml/v2:ConfigFile") {
    // A remote component: the provider creates its objects; `resources` lists them once ready.
    state["resources"] = [];
  } else if (args.type === "docker:index/image:Image") {
    const imageName = text(inputs["imageName"]) || args.name;
    state["repoDigest"] = `sha256:${digest(imageName)}`;
    state["baseImageName"] = imageName;
  } else if (args.type.startsWith("kubernetes:") && !args.type.startsWith("kubernetes:helm")) {
    const metadata = (inputs["metadata"] ?? {}) as Record<string, unknown>;
    state["metadata"] = {
      ...metadata,
      name: metadata["name"] ?? args.name,
      uid: uid(`${args.type}/${text(metadata["namespace"])}/${text(metadata["name"]) || args.name}`),
      resourceVersion: "1",
      generation: 1,
    };
    state["status"] ??= {};
  }
  return state;
}

function digest(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** A UUID-shaped value derived from `seed`: stable across runs, like everything under mocks. */
function uid(seed: string): string {
  const hex = digest(seed);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
