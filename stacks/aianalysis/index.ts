import {
  agentOnMocks,
  enrichmentFixtures,
  kubernautStack,
  MOCK_LLM_IMAGE,
  MOCK_LLM_PROFILES,
  MOCK_LLM_SECRETS,
  suiteClient,
  suiteMockLlm,
} from "@e2e-infra/kubernaut";
import { readFileSync } from "node:fs";
import { join } from "node:path";

// aianalysis-e2e at the repository's HEAD: the suite's kind cluster, and the repository's chart with
// DataStorage, the AIAnalysis controller under test and the Kubernaut Agent it sends its
// investigations to (through AgentSessions), whose LLM is the suite's mock LLM and whose alignment
// check is the mock's shadow; the suite's six RemediationWorkflows, registered through the
// AuthWebhook, whose ids the mock LLM answers with; the enrichment fixtures the investigations
// look at, and the ServiceAccount the suite reads DataStorage with (reference:
// CreateAIAnalysisClusterHybrid).

// The suite's workflows (test/fixtures/workflows/<name>/workflow-schema.yaml).
const WORKFLOWS = [
  "oomkill-increase-memory",
  "crashloop-config-fix",
  "node-drain-reboot",
  "memory-optimize",
  "generic-restart",
  "test-signal-handler",
];

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
      // The agent under its LLM profiles: the mock LLM, and its shadow for the alignment check.
      kubernautAgent: agentOnMocks(),
      // Registers the workflows (their ids are what the mock LLM answers with).
      authwebhook: {},
    },
    values: { global: { llmProfiles: MOCK_LLM_PROFILES } },
    secrets: MOCK_LLM_SECRETS,
    actionTypes: true,
    workflows: WORKFLOWS.map((name) => `test/fixtures/workflows/${name}/workflow-schema.yaml`),
    images: MOCK_LLM_IMAGE,
  });
  const { cluster } = stack;
  const release = stack.release();
  const namespace = release.namespace;

  // The mock LLM answers each workflow's scenario, in each environment, with its registered id.
  suiteMockLlm({
    cluster,
    namespace,
    image: stack.image("mock-llm"),
    workflowIds: release.workflowIds!,
    environments: ["staging", "production", "test"],
    scenarioNamespace: "kubernaut-system",
  });
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
