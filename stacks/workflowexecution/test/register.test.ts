import { fixtureCheckout } from "@e2e-infra/testing";
import { captureStack, notRunHere, runHostScriptAsync, shellcheck, shimDirectory, toolMissing } from "@e2e-infra/testing";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// The workflow registration exactly as the stack hands it to its host command, run with /bin/sh
// against a stand-in kubectl that plays the API server and the AuthWebhook: it refuses the apply
// a given number of times (the AuthWebhook's ActionType index lagging), then answers each
// workflow's status.workflowId (the first one's from its second read on). The real kubectl against a real API
// server runs it in the engine suite (tools/engine, workflowexecution-head).

const dir = join(__dirname, "..");
// The script and its environment come from the stack's graph, and the stack renders the chart with helm.
const withHelm = it.skipIf(
  notRunHere("workflow registration against its stand-in kubectl (the stack renders the chart with helm)", toolMissing("helm")),
);
const KUBECTL = `#!/bin/sh
if [ "$1" = --context ]; then echo "$2" >> "$SHIM_STATE/contexts"; shift 2; else echo "(none)" >> "$SHIM_STATE/contexts"; fi
echo "$*" >> "$SHIM_STATE/calls"
case "$1" in
  apply)
    cat > "$SHIM_STATE/applied.yaml"
    left=$(cat "$SHIM_STATE/refusals")
    if [ "$left" -gt 0 ]; then
      echo $((left - 1)) > "$SHIM_STATE/refusals"
      echo 'admission webhook "remediationworkflow.validate.kubernaut.ai" denied the request: unknown action type RestartPod' >&2
      exit 1
    fi
    echo "remediationworkflow.kubernaut.ai configured" ;;
  get)
    reads=$(cat "$SHIM_STATE/reads-$3" 2>/dev/null || echo 0)
    echo $((reads + 1)) > "$SHIM_STATE/reads-$3"
    # The first workflow's id is written after one read (the AuthWebhook still registering it).
    if [ ! -f "$SHIM_STATE/no-ids" ] && { [ "$3" != test-hello-world ] || [ "$reads" -ge 1 ]; }; then printf 'uuid-of-%s' "$3"; fi ;;
esac
`;

async function registration() {
  const { graph } = await captureStack(dir, "workflowexecution-e2e", {
    config: {
      "workflowexecution:serviceRepository": fixtureCheckout(),
      "workflowexecution:tektonManifest": join(__dirname, "fixtures", "tekton-release.yaml"),
    },
  });
  const command = graph.one({ name: "kubernaut-workflows" });
  // It runs once the AuthWebhook serves (its webhook configurations exist) and the ActionTypes the
  // workflows name are seeded; again whenever DataStorage's database is on a new volume (a new
  // cluster, or the claim re-created): the trigger is the claim's uid.
  for (const name of ["kubernaut-webhooks-validatingwebhookconfiguration-authwebhook-validating", "kubernaut-action-types"]) {
    expect(graph.dependsOn(command, graph.one({ name })), name).toBe(true);
  }
  expect(command.inputs["triggers"]).toHaveLength(1);
  expect(graph.dependsOn(command, graph.one({ name: "kubernaut-chart-persistentvolumeclaim-postgresql-data" }))).toBe(true);
  return { script: command.inputs["create"] as string, environment: command.inputs["environment"] as Record<string, string> };
}

function kubectl(refusals: number, ids = true) {
  const shims = shimDirectory([]);
  writeFileSync(join(shims.bin, "kubectl"), KUBECTL);
  chmodSync(join(shims.bin, "kubectl"), 0o755);
  const root = mkdtempSync(join(tmpdir(), "register-workflows-"));
  writeFileSync(join(root, "refusals"), `${refusals}\n`);
  if (!ids) writeFileSync(join(root, "no-ids"), "");
  return { shims, root };
}

async function run(refusals: number, options: { ids?: boolean; timeout?: string } = {}) {
  const { script, environment } = await registration();
  const { shims, root } = kubectl(refusals, options.ids);
  const result = await runHostScriptAsync(
    script,
    {
      ...environment,
      KUBECONFIG: "/dev/null",
      ACTION_TYPES: "seeded",
      WEBHOOKS: "serving",
      TIMEOUT_SECONDS: options.timeout ?? "30",
      SHIM_STATE: root,
    },
    { shims },
  );
  return { result, root, environment };
}

describe("workflow registration", () => {
  withHelm(
    "GIVEN the AuthWebhook WHEN registered THEN the suite's 13 workflows are applied in kubernaut-system and their ids printed as JSON",
    async () => {
      const { result, root, environment } = await run(0);
      expect(result.status, result.stderr).toBe(0);
      const ids = JSON.parse(result.stdout) as Record<string, string>;
      expect(Object.keys(ids)).toHaveLength(13);
      expect(ids["test-hello-world"]).toBe("uuid-of-test-hello-world");
      expect(ids["test-job-oomkill"]).toBe("uuid-of-test-job-oomkill");
      expect(environment["NAMESPACE"]).toBe("kubernaut-system");
      // Every kubectl call names the cluster's context: the kubeconfig may be a user's, another context current.
      expect(environment["KUBE_CONTEXT"]).toBe("kind-workflowexecution-e2e");
      expect(new Set(readFileSync(join(root, "contexts"), "utf8").trim().split("\n"))).toStrictEqual(
        new Set([environment["KUBE_CONTEXT"]]),
      );
      const applied = readFileSync(join(root, "applied.yaml"), "utf8");
      expect(applied.match(/^kind: RemediationWorkflow$/gm)).toHaveLength(13);
      expect(readFileSync(join(root, "calls"), "utf8").split("\n")[0]).toBe("apply --namespace kubernaut-system -f -");
    },
  );

  withHelm(
    "GIVEN the AuthWebhook refusing twice (its ActionType index behind) THEN the apply is retried and succeeds",
    async () => {
      const { result, root } = await run(2);
      expect(result.status, result.stderr).toBe(0);
      expect(readFileSync(join(root, "calls"), "utf8").match(/^apply /gm)).toHaveLength(3);
    },
    30_000,
  );

  withHelm("GIVEN no workflow id ever written THEN it fails after the timeout naming the workflow and what to check", async () => {
    const { result } = await run(0, { ids: false, timeout: "2" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("RemediationWorkflow test-hello-world has no status.workflowId after 2 s");
    expect(result.stdout).toBe("");
  });

  it("GIVEN the script THEN shellcheck finds nothing", () => {
    expect(shellcheck([join(dir, "..", "..", "packages", "kubernaut", "scripts", "register-workflows.sh")])).toBe("");
  });
});
