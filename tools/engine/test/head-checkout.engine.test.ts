import { spawnSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureDockerDaemon } from "../src/docker";
import { REPO_ROOT, engineUser, kindClusters, pulumiStack, stepNames, type EngineUser } from "../src/engine";
import { playWebhooks, webhookCaBundle } from "../src/webhooks";

// The HEAD stacks against a real checkout of the service repository at HEAD (its
// kind configs, chart, CRDs, goose migrations and Go sources as they are), given by
// E2E_KUBERNAUT_CHECKOUT. Only its Dockerfiles are replaced, in a copy, by the stand-in
// checkout's FROM scratch ones: theirs start from base images pinned by digest in registries
// this machine cannot reach. What pods would do for the stacks (Tekton's webhook, the
// AuthWebhook) is played by playWebhooks: kwok runs no container. The HEAD stacks are never up together (their suites share the CA
// file beside their kubeconfigs, and some host ports), so one comes up and goes, then the next.
const real = process.env["E2E_KUBERNAUT_CHECKOUT"];
const cannotRun =
  real === undefined || !existsSync(join(real, "charts", "kubernaut", "Chart.yaml"))
    ? "E2E_KUBERNAUT_CHECKOUT is not a checkout of jordigilh/kubernaut at HEAD (none can be fetched here: no GitHub access)"
    : undefined;
if (cannotRun !== undefined) console.log(`head-checkout: not run: ${cannotRun}`);

let user: EngineUser;
let checkout: string;
let caBundle: string;

beforeAll(async () => {
  if (cannotRun !== undefined) return;
  user = engineUser("head");
  await ensureDockerDaemon(user.home);
  caBundle = webhookCaBundle(user);
  checkout = join(mkdtempSync(join(tmpdir(), "kubernaut-head-")), "kubernaut");
  cpSync(real!, checkout, { recursive: true, verbatimSymlinks: true });
  const standIn = join(REPO_ROOT, "packages", "testing", "examples", "kubernaut-checkout", "docker");
  for (const dockerfile of [
    "data-storage.Dockerfile",
    "db-migrate.Dockerfile",
    "gateway.Dockerfile",
    "signalprocessing-controller.Dockerfile",
    "remediationorchestrator-controller.Dockerfile",
    "workflowexecution-controller.Dockerfile",
    "authwebhook.Dockerfile",
    "notification-controller.Dockerfile",
    "effectivenessmonitor-controller.Dockerfile",
    "aianalysis.Dockerfile",
    "kubernautagent.Dockerfile",
    "apifrontend.Dockerfile",
  ])
    copyFileSync(join(standIn, dockerfile), join(checkout, "docker", dockerfile));
  // The mock LLM's, beside its sources.
  const mockLlm = join("test", "services", "mock-llm", "go.Dockerfile");
  copyFileSync(join(standIn, "..", mockLlm), join(checkout, mockLlm));
});

const cases = [
  {
    project: "datastorage",
    stack: "datastorage-e2e",
    namespace: "datastorage-e2e",
    url: ["dataStorageUrl", "https://localhost:28090"],
    workloads: ["datastorage"],
  },
  {
    project: "gateway",
    stack: "gateway-e2e",
    namespace: "kubernaut-system",
    url: ["gatewayUrl", "http://localhost:8080"],
    workloads: ["datastorage", "gateway"],
  },
  {
    project: "signalprocessing",
    stack: "signalprocessing-e2e",
    namespace: "kubernaut-system",
    url: ["metricsUrl", "http://localhost:9182"],
    workloads: ["datastorage", "signalprocessing-controller"],
  },
  {
    project: "workflowexecution",
    stack: "workflowexecution-e2e",
    namespace: "kubernaut-system",
    url: ["dataStorageUrl", "https://localhost:8092"],
    workloads: ["datastorage", "workflowexecution-controller", "authwebhook"],
  },
  {
    project: "remediationorchestrator",
    stack: "remediationorchestrator-e2e",
    // The suite's own names: cluster ro-e2e, kubeconfig ~/.kube/ro-e2e-config.
    cluster: "ro-e2e",
    namespace: "kubernaut-system",
    url: ["metricsUrl", "http://localhost:9183"],
    workloads: ["datastorage", "remediationorchestrator-controller", "authwebhook"],
  },
  {
    project: "authwebhook",
    stack: "authwebhook-e2e",
    namespace: "authwebhook-e2e",
    url: ["authWebhookUrl", "https://localhost:30099"],
    workloads: ["datastorage", "authwebhook"],
    // Its suite seeds them itself, through the AuthWebhook.
    seedsActionTypes: false,
  },
  {
    project: "notification",
    stack: "notification-e2e",
    namespace: "notification-e2e",
    url: ["metricsUrl", "http://localhost:9186"],
    workloads: ["datastorage", "notification-controller", "authwebhook", "mock-webhook"],
    seedsActionTypes: false,
  },
  {
    project: "effectivenessmonitor",
    stack: "effectivenessmonitor-e2e",
    // The suite's own names: cluster em-e2e, kubeconfig ~/.kube/em-e2e-config.
    cluster: "em-e2e",
    namespace: "kubernaut-system",
    url: ["prometheusUrl", "http://localhost:9190"],
    workloads: ["datastorage", "effectivenessmonitor-controller", "authwebhook", "prometheus", "alertmanager"],
    seedsActionTypes: false,
  },
  {
    project: "aianalysis",
    stack: "aianalysis-e2e",
    namespace: "kubernaut-system",
    url: ["kubernautAgentUrl", "https://localhost:8088"],
    workloads: ["datastorage", "aianalysis-controller", "kubernaut-agent", "authwebhook", "mock-llm", "mock-llm-shadow"],
  },
  {
    project: "kubernautagent",
    stack: "kubernautagent-e2e",
    cluster: "kubernaut-agent-e2e",
    namespace: "kubernaut-agent-e2e",
    url: ["dexUrl", "https://localhost:5556"],
    workloads: ["datastorage", "kubernaut-agent", "authwebhook", "mock-llm", "mock-llm-shadow", "prometheus", "alertmanager", "dex"],
  },
  {
    project: "apifrontend",
    stack: "apifrontend-e2e",
    namespace: "kubernaut-system",
    url: ["apiFrontendUrl", "https://localhost:18443"],
    workloads: ["datastorage", "apifrontend", "kubernaut-agent", "authwebhook", "mock-llm", "mock-llm-shadow", "prometheus", "dex"],
    // Where its suite reads it.
    caFile: join(tmpdir(), "apifrontend-e2e-certs", "ca.crt"),
  },
];

describe.skipIf(cannotRun !== undefined).each(cases)(
  "$stack against a real HEAD checkout, on the real engine",
  ({ project, stack, namespace, url, workloads, ...names }) => {
    const seedsActionTypes = project !== "datastorage" && !("seedsActionTypes" in names && names.seedsActionTypes === false);
    const dir = join(REPO_ROOT, "stacks", project);
    // The cluster's name, and its kubeconfig's: the stack's, unless the suite's differ.
    const cluster = ("cluster" in names ? names.cluster : undefined) ?? stack;
    // The CA file: beside the kubeconfig (the user's home is made before the tests run), unless the suite reads it elsewhere.
    const caFile = () => ("caFile" in names ? names.caFile : undefined) ?? join(user.home, ".kube", "inter-service-ca.pem");
    // WorkflowExecution's Tekton: the fixture release (the real one cannot be downloaded here).
    const config = () => ({
      serviceRepository: checkout,
      ...(project === "workflowexecution" ? { tektonManifest: join(dir, "test", "fixtures", "tekton-release.yaml") } : {}),
    });
    const kubectl = (...args: string[]) =>
      spawnSync("kubectl", ["--kubeconfig", join(user.home, ".kube", `${cluster}-config`), ...args], { encoding: "utf8", env: user.env });

    it("GIVEN the checkout WHEN `pulumi up` THEN the chart's objects, the CRDs and the TLS material are created and the outputs are the suite's", async () => {
      const operation = pulumiStack(user, {
        operation: "up",
        dir,
        stack,
        config: config(),
        events: join(user.home, `${stack}.head.up.jsonl`),
      });
      const [result, played] = await Promise.all([operation, playWebhooks(user, cluster, caBundle, operation)]);
      // The mock LLM's config file (the agent's suites).
      const mockLlmScenarios = () =>
        kubectl("get", "configmap", "mock-llm-scenarios", "-n", namespace, "-o", "jsonpath={.data.scenarios\\.yaml}").stdout;
      if (project === "apifrontend") {
        // The agent suites' workflows; the mock LLM with the suite's keyword scenarios, as the checkout has them.
        expect(Object.keys(played.workflowIds)).toHaveLength(9);
        const scenarios = mockLlmScenarios();
        expect(scenarios).toContain("keyword_scenarios:");
        expect(scenarios).toContain("af_investigate");
      }
      if (project === "aianalysis" || project === "kubernautagent") {
        // The suite's workflows, and the mock LLM answering each with its registered id.
        expect(Object.keys(played.workflowIds)).toHaveLength(project === "aianalysis" ? 6 : 9);
        const scenarios = mockLlmScenarios();
        for (const [name, id] of Object.entries(played.workflowIds))
          expect(scenarios).toContain(`"${name}:production": {\n      "workflow_id": "${id}"`);
      }
      if (project === "workflowexecution") {
        // The suite's 13 workflows, registered with the ids the (played) AuthWebhook wrote.
        expect(Object.keys(played.workflowIds)).toHaveLength(13);
        expect(JSON.parse(result.outputs["workflowIds"] as string)).toStrictEqual(played.workflowIds);
      }
      expect(result.outputs[url[0]!]).toBe(url[1]);
      expect(result.outputs["caFile"]).toBe(caFile());
      expect(readFileSync(caFile(), "utf8")).toMatch(/^# inter-service CA of e2e-infra stack [^\n]*\n-----BEGIN CERTIFICATE-----/);
      // Every migration file of the checkout is in the Job's ConfigMap.
      const configMaps = JSON.parse(kubectl("get", "configmaps", "-n", namespace, "-o", "json").stdout) as {
        items: { metadata: { name: string }; data?: Record<string, string> }[];
      };
      const configMap = configMaps.items.find((item) => item.metadata.name.startsWith("kubernaut-migrations-"))!;
      const files = readdirSync(join(checkout, "migrations")).filter((file) => file.endsWith(".sql"));
      expect(Object.keys(configMap.data ?? {}).sort()).toStrictEqual(files.sort());
      expect(
        kubectl("get", "crd", "-o", "name")
          .stdout.split("\n")
          .filter((line) => line.endsWith(".kubernaut.ai")),
      ).toHaveLength(11);
      for (const workload of workloads) {
        const rollout = kubectl("rollout", "status", `deployment/${workload}`, "-n", namespace, "--timeout=5s");
        expect(rollout.status, rollout.stderr).toBe(0);
      }
      if (seedsActionTypes) {
        // The seeded ActionTypes, Active in their status (the real CRD's status subresource).
        const active = kubectl("get", "actiontypes", "-n", namespace, "-o", "jsonpath={.items[*].status.catalogStatus}").stdout.split(" ");
        expect(active).toStrictEqual(Array(11).fill("Active"));
      }
      if (project === "effectivenessmonitor") {
        // The real chart's config, with Prometheus and AlertManager beside it and the suite's lookback.
        const config = kubectl(
          "get",
          "configmap",
          "effectivenessmonitor-config",
          "-n",
          namespace,
          "-o",
          "jsonpath={.data.effectivenessmonitor\\.yaml}",
        ).stdout;
        expect(config).toContain("prometheusUrl: http://prometheus-svc:9090");
        expect(config).toContain("alertManagerUrl: http://alertmanager-svc:9093");
        expect(config).toContain("prometheusLookback: 2m");
      }
      console.log(`head-checkout: ${stack} up created ${result.changes["create"]} resources`);
    });

    it("GIVEN it is up WHEN previewed with --expect-no-changes THEN nothing would change", async () => {
      const result = await pulumiStack(user, {
        operation: "preview",
        dir,
        stack,
        config: config(),
        expectNoChanges: true,
      });
      expect(stepNames(result)).toStrictEqual({});
    });

    it("GIVEN it is up WHEN `pulumi destroy` THEN the cluster is gone and the CA file with it", async () => {
      await pulumiStack(user, { operation: "destroy", dir, stack, config: config() });
      expect(kindClusters(user)).not.toContain(cluster);
      expect(existsSync(caFile())).toBe(false);
    });
  },
);
