import { execFile, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import type { EngineUser } from "./engine";

const run = promisify(execFile);

/** What playWebhooks did. */
export interface Played {
  /** Tekton's webhook configurations given a CA bundle. */
  tektonWebhooks: number;
  /** The AuthWebhook's webhook configurations set to failurePolicy Ignore. */
  authWebhooks: number;
  /** The ids written into RemediationWorkflows' status, by name. */
  workflowIds: Record<string, string>;
}

/** A self-signed certificate, base64 as `caBundle` wants it: what Tekton's webhook would put there. */
export function webhookCaBundle(user: EngineUser): string {
  const ca = spawnSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-subj",
      "/CN=tekton-pipelines-webhook",
      "-days",
      "1",
      "-keyout",
      join(user.home, "ca.key"),
    ],
    { encoding: "utf8" },
  );
  if (ca.status !== 0) throw new Error(`openssl could not make the webhook CA: ${ca.stderr}`);
  return Buffer.from(ca.stdout).toString("base64");
}

/**
 * Plays, while `until` runs, what pods would do for the stack on a cluster whose pods run nothing
 * (kwok): Tekton's webhook fills `caBundle` into its webhook configurations once it serves; the
 * AuthWebhook answers admission calls (here: its webhooks' failurePolicy becomes Ignore once they
 * exist, as nothing answers) and registers each RemediationWorkflow in DataStorage, writing its
 * status.workflowId (here: a random id).
 */
export async function playWebhooks(user: EngineUser, cluster: string, caBundle: string, until: Promise<unknown>): Promise<Played> {
  let done = false;
  void until.finally(() => (done = true));
  const kubeconfig = join(user.home, ".kube", `${cluster}-config`);
  const kubectl = (...args: string[]) => run(join(user.bin, "kubectl"), ["--kubeconfig", kubeconfig, ...args], { env: user.env });
  const none = { stdout: '{"items":[]}' };
  const tekton = new Set<string>();
  const auth = new Set<string>();
  const workflowIds: Record<string, string> = {};
  while (!done) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    if (!existsSync(kubeconfig)) continue;
    for (const kind of ["validatingwebhookconfiguration", "mutatingwebhookconfiguration"]) {
      const listed = await kubectl("get", kind, "-o", "json").catch(() => none);
      const items = (JSON.parse(listed.stdout) as { items: { metadata: { name: string }; webhooks?: unknown[] }[] }).items;
      for (const item of items) {
        const name = `${kind}/${item.metadata.name}`;
        if (item.metadata.name.includes("pipeline.tekton.dev") && !tekton.has(name)) {
          await kubectl(
            "patch",
            name,
            "--type=json",
            "-p",
            JSON.stringify([{ op: "add", path: "/webhooks/0/clientConfig/caBundle", value: caBundle }]),
          );
          tekton.add(name);
        }
        if (item.metadata.name.startsWith("authwebhook-") && !auth.has(name)) {
          const patch = (item.webhooks ?? []).map((_, index) => ({
            op: "replace",
            path: `/webhooks/${index}/failurePolicy`,
            value: "Ignore",
          }));
          await kubectl("patch", name, "--type=json", "-p", JSON.stringify(patch));
          auth.add(name);
        }
      }
    }
    // In the release's namespace, whichever the stack's is.
    const workflows = await kubectl("get", "remediationworkflows", "--all-namespaces", "-o", "json").catch(() => none);
    for (const item of (
      JSON.parse(workflows.stdout) as { items: { metadata: { name: string; namespace: string }; status?: { workflowId?: string } }[] }
    ).items) {
      if (item.status?.workflowId !== undefined) continue;
      const id = randomUUID();
      const patch = JSON.stringify({ status: { workflowId: id } });
      await kubectl(
        "patch",
        "remediationworkflow",
        item.metadata.name,
        "-n",
        item.metadata.namespace,
        "--subresource=status",
        "--type=merge",
        "-p",
        patch,
      );
      workflowIds[item.metadata.name] = id;
    }
  }
  return { tektonWebhooks: tekton.size, authWebhooks: auth.size, workflowIds };
}
