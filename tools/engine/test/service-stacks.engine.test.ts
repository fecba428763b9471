import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureDockerDaemon } from "../src/docker";
import { REPO_ROOT, engineUser, fixtureCheckout, kindClusters, pulumiStack, stepNames, type EngineUser } from "../src/engine";
import { playWebhooks, webhookCaBundle } from "../src/webhooks";

// The service stacks against the checkout fixture (its Dockerfiles build FROM scratch), on the
// real engine: cold up, a warm preview that changes nothing, and a destroy that leaves nothing.
let user: EngineUser;
let caBundle: string;

beforeAll(async () => {
  user = engineUser("services");
  await ensureDockerDaemon(user.home);
  caBundle = webhookCaBundle(user);
});

const cases = [
  {
    project: "datastorage",
    stack: "datastorage-e2e",
    outputs: ["caFile", "dataStorageHealthUrl", "dataStorageMetricsUrl", "dataStorageUrl", "kubeconfigPath", "postgresUrl"],
  },
  {
    project: "gateway",
    stack: "gateway-e2e",
    outputs: ["caFile", "dataStorageHealthUrl", "dataStorageUrl", "gatewayHealthUrl", "gatewayMetricsUrl", "gatewayUrl", "kubeconfigPath"],
  },
  {
    project: "signalprocessing",
    stack: "signalprocessing-e2e",
    outputs: ["caFile", "dataStorageHealthUrl", "dataStorageUrl", "kubeconfigPath", "metricsUrl", "postgresUrl"],
  },
  {
    project: "remediationorchestrator",
    stack: "remediationorchestrator-e2e",
    // The suite's own names: cluster ro-e2e, kubeconfig ~/.kube/ro-e2e-config.
    cluster: "ro-e2e",
    outputs: ["caFile", "dataStorageHealthUrl", "dataStorageUrl", "kubeconfigPath", "metricsUrl"],
  },
  {
    project: "authwebhook",
    stack: "authwebhook-e2e",
    outputs: ["authWebhookUrl", "caFile", "dataStorageUrl", "kubeconfigPath", "postgresUrl"],
  },
  {
    project: "notification",
    stack: "notification-e2e",
    outputs: ["caFile", "dataStorageHealthUrl", "dataStorageUrl", "kubeconfigPath", "metricsUrl"],
  },
  {
    project: "effectivenessmonitor",
    stack: "effectivenessmonitor-e2e",
    cluster: "em-e2e",
    outputs: ["alertManagerUrl", "caFile", "dataStorageHealthUrl", "dataStorageUrl", "kubeconfigPath", "metricsUrl", "prometheusUrl"],
  },
  {
    project: "aianalysis",
    stack: "aianalysis-e2e",
    outputs: [
      "caFile",
      "dataStorageHealthUrl",
      "dataStorageUrl",
      "healthUrl",
      "kubeconfigPath",
      "kubernautAgentHealthUrl",
      "kubernautAgentUrl",
      "metricsUrl",
      "workflowIds",
    ],
  },
  {
    project: "kubernautagent",
    stack: "kubernautagent-e2e",
    cluster: "kubernaut-agent-e2e",
    outputs: [
      "alertManagerUrl",
      "caFile",
      "dataStorageHealthUrl",
      "dataStorageUrl",
      "dexUrl",
      "kubeconfigPath",
      "kubernautAgentHealthUrl",
      "kubernautAgentUrl",
      "metricsUrl",
      "prometheusUrl",
      "workflowIds",
    ],
  },
  {
    project: "apifrontend",
    stack: "apifrontend-e2e",
    outputs: [
      "apiFrontendHealthUrl",
      "apiFrontendUrl",
      "caFile",
      "dataStorageHealthUrl",
      "dataStorageUrl",
      "dexUrl",
      "kubeconfigPath",
      "kubernautAgentHealthUrl",
      "kubernautAgentMetricsUrl",
      "kubernautAgentUrl",
      "prometheusUrl",
      "workflowIds",
    ],
  },
];

describe.each(cases)("$stack on the real engine", ({ project, stack, outputs, ...names }) => {
  const dir = join(REPO_ROOT, "stacks", project);
  // The cluster's name, and its kubeconfig's: the stack's, unless the suite's differ.
  const cluster = ("cluster" in names ? names.cluster : undefined) ?? stack;
  const checkout = fixtureCheckout(project);
  const config = { serviceRepository: checkout };

  it("GIVEN a checkout WHEN `pulumi up` THEN the environment is created and its outputs are the suite's", async () => {
    // kwok runs no container: the AuthWebhook's part (admission, workflow ids) is played.
    const operation = pulumiStack(user, { operation: "up", dir, stack, config, events: join(user.home, `${stack}.up.jsonl`) });
    const [result] = await Promise.all([operation, playWebhooks(user, cluster, caBundle, operation)]);
    expect(result.changes["create"]).toBeGreaterThan(20);
    expect(Object.keys(result.outputs).sort()).toStrictEqual(outputs);
    expect(result.outputs["kubeconfigPath"]).toBe(join(user.home, ".kube", `${cluster}-config`));
    expect(existsSync(join(user.home, ".kube", `${cluster}-config`))).toBe(true);
    // Its control plane runs, found the way the destroy test looks for it.
    expect(spawnSync("pgrep", ["-f", `${user.home}/kind-standin/kwok/clusters/${cluster}/`]).status).toBe(0);
    const images = readFileSync(join(user.home, "kind-standin", "clusters", cluster, "images"), "utf8");
    expect(images).toMatch(/localhost\/[a-z-]+:[0-9a-f]{16}/);
  });

  it("GIVEN it is up WHEN previewed with --expect-no-changes THEN nothing would change", async () => {
    const result = await pulumiStack(user, { operation: "preview", dir, stack, config, expectNoChanges: true });
    expect(stepNames(result)).toStrictEqual({});
  });

  it("GIVEN it is up WHEN `pulumi destroy` THEN the cluster and everything in it is gone", async () => {
    const result = await pulumiStack(user, { operation: "destroy", dir, stack, config });
    expect(result.changes["delete"]).toBeGreaterThan(20);
    expect(kindClusters(user)).not.toContain(cluster);
    // This user's control plane: another suite's cluster of the same name on this machine is not ours.
    expect(spawnSync("pgrep", ["-f", `${user.home}/kind-standin/kwok/clusters/${cluster}/`]).status).toBe(1);
  });
});
