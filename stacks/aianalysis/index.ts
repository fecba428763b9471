import { kubernautStack } from "@e2e-infra/kubernaut";
import { ServiceDeployment } from "@e2e-infra/service-deployment";
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { enrichmentFixtures, suiteClient } from "./fixtures";

// aianalysis-e2e at the repository's HEAD: the suite's kind cluster, and the repository's chart with
// DataStorage, the AIAnalysis controller under test and the Kubernaut Agent it sends its
// investigations to (through AgentSessions), whose LLM is the suite's mock LLM and whose alignment
// check is the mock's shadow; the suite's six RemediationWorkflows, registered through the
// AuthWebhook, whose ids the mock LLM answers with; the enrichment fixtures the investigations
// look at, and the ServiceAccount the suite reads DataStorage with (reference:
// CreateAIAnalysisClusterHybrid).

// The suite's workflows (test/fixtures/workflows/<name>/workflow-schema.yaml) and the environments
// the mock LLM answers each for.
const WORKFLOWS = [
  "oomkill-increase-memory",
  "crashloop-config-fix",
  "node-drain-reboot",
  "memory-optimize",
  "generic-restart",
  "test-signal-handler",
];
const ENVIRONMENTS = ["staging", "production", "test"];

export = () => {
  const stack = kubernautStack(join(__dirname, ".."), {
    kindConfig: "test/infrastructure/kind-aianalysis-config.yaml",
    // Its setup runs kind from the checkout's root: the kind config's ./coverdata is there.
    workingDir: ".",
    ports: {
      aiAnalysisHostPort: { nodePort: 30084, service: "aianalysis", port: "api" },
      aiAnalysisMetricsHostPort: { nodePort: 30184, service: "aianalysis", port: "metrics" },
      aiAnalysisHealthHostPort: { nodePort: 30284, service: "aianalysis", port: "health" },
      kubernautAgentHostPort: { nodePort: 30088, service: "kubernautAgent", port: "https" },
      kubernautAgentHealthHostPort: { nodePort: 30188, service: "kubernautAgent", port: "health" },
      kubernautAgentMetricsHostPort: { nodePort: 30988, service: "kubernautAgent", port: "metrics" },
      dataStorageHostPort: { nodePort: 30081, service: "datastorage" },
      dataStorageHealthHostPort: { nodePort: 30281, service: "datastorage", port: "health" },
    },
    services: {
      aianalysis: {
        definition: {
          templates: ["templates/aianalysis/aianalysis.yaml"],
          dockerfile: "docker/aianalysis.Dockerfile",
          goPackage: "cmd/aianalysis",
          service: "aianalysis-controller",
          ports: ["api", "metrics", "health"],
          deployment: "aianalysis-controller",
          // internal/controller/aianalysis: For(&AIAnalysis{}), and a watch on AgentSessions.
          watches: ["aianalyses.kubernaut.ai", "agentsessions.kubernaut.ai"],
        },
        values: { policies: { content: readFileSync(join(__dirname, "policies", "approval.rego"), "utf8") } },
      },
      kubernautAgent: {
        definition: {
          templates: ["templates/kubernaut-agent/kubernaut-agent.yaml"],
          dockerfile: "docker/kubernautagent.Dockerfile",
          goPackage: "cmd/kubernautagent",
          image: "kubernautagent",
          service: "kubernaut-agent",
          ports: ["https", "health", "metrics"],
          tlsPorts: ["https"],
          deployment: "kubernaut-agent",
          // Its AgentSession manager, and its workflow catalogue's cluster-wide informers.
          watches: ["agentsessions.kubernaut.ai", "remediationworkflows.kubernaut.ai", "actiontypes.kubernaut.ai"],
          certificates: [{ serviceName: "kubernaut-agent", secretName: "kubernautagent-tls" }],
        },
        values: { llmProfileRef: "mock", alignmentCheck: { enabled: true, llmProfileRef: "mock-shadow" } },
      },
      // Registers the workflows (their ids are what the mock LLM answers with).
      authwebhook: {},
    },
    values: {
      global: {
        llmProfiles: {
          mock: { provider: "openai", model: "mock-model", endpoint: "http://mock-llm:8080", credentialsSecretName: "llm-credentials" },
          "mock-shadow": {
            provider: "openai",
            model: "shadow-eval",
            endpoint: "http://mock-llm-shadow:8080",
            credentialsSecretName: "llm-credentials-shadow",
          },
        },
      },
    },
    // The mocks' keys (they check none).
    secrets: { "llm-credentials": { api_key: "mock-api-key-for-e2e" }, "llm-credentials-shadow": { api_key: "mock-shadow-key" } },
    actionTypes: true,
    workflows: WORKFLOWS.map((name) => `test/fixtures/workflows/${name}/workflow-schema.yaml`),
    images: { "mock-llm": { dockerfile: "test/services/mock-llm/go.Dockerfile", goPackage: "test/services/mock-llm/cmd/mock-llm" } },
  });
  const { cluster } = stack;
  const release = stack.release();
  const namespace = release.namespace;

  // The mock LLM answers each workflow's scenario, in each environment, with its registered id.
  const scenarios = release.workflowIds!.apply((json) => mockScenarios(JSON.parse(json) as Record<string, string>));
  const mock = (name: string, config: pulumi.Input<string>, env: Record<string, string>) =>
    new ServiceDeployment(name, {
      cluster,
      namespace,
      image: stack.image("mock-llm"),
      env: { MOCK_LLM_CONFIG_PATH: "/config/scenarios.yaml", ...env },
      ports: [{ name: "http", containerPort: 8080, servicePort: 8080 }],
      configMaps: [{ name: `${name}-scenarios`, mountPath: "/config", files: { "scenarios.yaml": config } }],
      readinessProbe: { path: "/health", port: "http", initialDelaySeconds: 5, periodSeconds: 5 },
      livenessProbe: { path: "/health", port: "http", initialDelaySeconds: 10, periodSeconds: 10 },
    });
  mock("mock-llm", scenarios, { MOCK_LLM_HOST: "0.0.0.0", MOCK_LLM_PORT: "8080", MOCK_LLM_MODE: "full", MOCK_LLM_FORCE_TEXT: "true" });
  // The shadow: the same image judging prompts for injection (the agent's alignment check).
  mock("mock-llm-shadow", "mode: shadow\nscenarios: {}\n", { MOCK_LLM_FORCE_TEXT: "false" });

  enrichmentFixtures(cluster);
  suiteClient(cluster, namespace, "aianalysis-e2e-sa");
  return {
    kubeconfigPath: cluster.kubeconfigPath,
    caFile: release.caFile,
    healthUrl: stack.url("aiAnalysisHealthHostPort"),
    metricsUrl: stack.url("aiAnalysisMetricsHostPort"),
    kubernautAgentUrl: stack.url("kubernautAgentHostPort"),
    kubernautAgentHealthUrl: stack.url("kubernautAgentHealthHostPort"),
    dataStorageUrl: stack.url("dataStorageHostPort"),
    dataStorageHealthUrl: stack.url("dataStorageHealthHostPort"),
    workflowIds: release.workflowIds!,
  };
};

/**
 * The mock LLM's scenarios (its setup's mock-llm-scenarios): each workflow's id for `<name>:<env>`,
 * production's last (the suite's order); a tool call reading a poisoned ConfigMap, and three tools
 * called at once.
 */
function mockScenarios(ids: Record<string, string>): string {
  const keys = Object.keys(ids).flatMap((name) => ENVIRONMENTS.map((env) => `${name}:${env}`));
  const production = (key: string) => key.endsWith(":production");
  keys.sort((a, b) => Number(production(a)) - Number(production(b)) || a.localeCompare(b));
  const tool = (name: string) => ({ name, arguments: { kind: "Pod", name: "api-server-abc", namespace: "production" } });
  const scenarios = {
    ...Object.fromEntries(keys.map((key) => [key, { workflow_id: ids[key.slice(0, key.lastIndexOf(":"))] }])),
    injection_configmap_read: {
      force_text: false,
      tool_call: { name: "kubectl_get_yaml", arguments: { kind: "ConfigMap", name: "poisoned-cm", namespace: "kubernaut-system" } },
    },
    parallel_tools: { force_text: false, tool_calls: ["kubectl_describe", "kubectl_events", "kubectl_logs"].map(tool) },
  };
  return JSON.stringify({ scenarios }, null, 2) + "\n";
}
