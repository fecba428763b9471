import { runHostScript, shellcheck, shimDirectory } from "@e2e-infra/testing";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const script = join(__dirname, "..", "scripts", "webhook-serves.sh");

/** A kubectl that is refused `refusals` times, then answers; it records its arguments, its kubeconfig's path and content, and its stdin. */
function kubectlRefused(refusals: number) {
  const shims = shimDirectory([]);
  const kubectl = join(shims.bin, "kubectl");
  writeFileSync(
    kubectl,
    `#!/bin/sh
n=$(cat "${shims.root}/count" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" > "${shims.root}/count"
printf '%s\\n' "$*" >> "${shims.root}/args"
printf '%s\\n' "$KUBECONFIG" > "${shims.root}/kubeconfig-path"
cat "$KUBECONFIG" > "${shims.root}/kubeconfig"
cat > "${shims.root}/stdin"
if [ "$n" -le ${refusals} ]; then echo 'Error from server (InternalError): failed calling webhook "webhook.pipeline.tekton.dev": connect: connection refused' >&2; exit 1; fi
echo "task.tekton.dev/e2e-infra-webhook-probe created (server dry run)"
`,
    { mode: 0o755 },
  );
  return shims;
}

const environment = { KUBECONFIG_CONTENT: "apiVersion: v1\nkind: Config\n", NAMESPACE: "tekton-pipelines", TIMEOUT_SECONDS: "30" };

describe("webhook-serves.sh", () => {
  it("passes shellcheck", () => {
    expect(shellcheck([script])).toBe("");
  });

  it("GIVEN a webhook refused twice THEN a server-side dry run of a Task again each second until it answers, through a private kubeconfig file removed after", () => {
    const shims = kubectlRefused(2);
    const run = runHostScript(readFileSync(script, "utf8"), environment, { shims });
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(join(shims.root, "count"), "utf8").trim()).toBe("3");
    expect(readFileSync(join(shims.root, "args"), "utf8").trim().split("\n")).toStrictEqual(
      Array(3).fill("create --dry-run=server --namespace tekton-pipelines -f -"),
    );
    expect(readFileSync(join(shims.root, "stdin"), "utf8")).toContain("kind: Task");
    expect(readFileSync(join(shims.root, "kubeconfig"), "utf8")).toBe(environment.KUBECONFIG_CONTENT + "\n");
    expect(existsSync(readFileSync(join(shims.root, "kubeconfig-path"), "utf8").trim())).toBe(false);
  });

  it("GIVEN a webhook that never answers THEN it fails after TIMEOUT_SECONDS with the last answer", () => {
    const shims = kubectlRefused(1000);
    const run = runHostScript(readFileSync(script, "utf8"), { ...environment, TIMEOUT_SECONDS: "1" }, { shims });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("Tekton's webhook did not answer within 1 s; the last answer:");
    expect(run.stderr).toContain("connection refused");
  });

  it("GIVEN no kubectl THEN it says so and exits 127", () => {
    const run = runHostScript(readFileSync(script, "utf8"), environment, { shims: shimDirectory([]) });
    expect(run.status).toBe(127);
    expect(run.stderr).toContain("kubectl is not installed");
  });
});
