import type { WorkloadImage } from "@e2e-infra/core";
import type { KindCluster } from "@e2e-infra/kind-cluster";
import { ServiceDeployment } from "@e2e-infra/service-deployment";
import * as pulumi from "@pulumi/pulumi";
import { withConfigFile } from "./patches";
import type { ServiceArgs } from "./release-args";

// The suites' mock LLM (test/services/mock-llm, an OpenAI-compatible server with built-in
// scenarios) as their setups deploy it for the Kubernaut Agent: itself, answering each seeded
// workflow's scenario with the workflow's registered id, and its shadow, the same image judging
// prompts for injection (the agent's alignment check).

/** The image (kubernautStack `images`): built from the checkout, or prebuilt as `mock-llm`. */
export const MOCK_LLM_IMAGE = {
  "mock-llm": { dockerfile: "test/services/mock-llm/go.Dockerfile", goPackage: "test/services/mock-llm/cmd/mock-llm" },
};

/**
 * The Kubernaut Agent's LLM profiles pointing at the mocks (chart values global.llmProfiles; the
 * agent's values: llmProfileRef "mock", alignmentCheck { enabled: true, llmProfileRef: "mock-shadow" }).
 */
export const MOCK_LLM_PROFILES = {
  mock: { provider: "openai", model: "mock-model", endpoint: "http://mock-llm:8080", credentialsSecretName: "llm-credentials" },
  "mock-shadow": {
    provider: "openai",
    model: "shadow-eval",
    endpoint: "http://mock-llm-shadow:8080",
    credentialsSecretName: "llm-credentials-shadow",
  },
};

/** The profiles' credentials (KubernautRelease `secrets`): the mocks check none. */
export const MOCK_LLM_SECRETS = {
  "llm-credentials": { api_key: "mock-api-key-for-e2e" },
  "llm-credentials-shadow": { api_key: "mock-shadow-key" },
};

/**
 * The Kubernaut Agent on the mocks, as kubernautStack's `services.kubernautAgent`: its LLM the mock
 * (profile "mock"), its alignment check the shadow ("mock-shadow"). With `interactive`, its
 * interactive endpoint with those settings, taking the tokens Dex (suiteDex) issues for
 * `dexAudience`: the issuer https://dex:5556/dex, whose keys it fetches trusting the release's CA,
 * as the suites' setups configure it (the chart renders no tlsCaFile for a provider: patched in).
 * The stack gives the rest: values global.llmProfiles MOCK_LLM_PROFILES, secrets MOCK_LLM_SECRETS,
 * images MOCK_LLM_IMAGE, and Dex's certificate.
 */
export function agentOnMocks(interactive?: { settings: Record<string, unknown>; dexAudience: string }): Omit<ServiceArgs, "nodePorts"> {
  const values = { llmProfileRef: "mock", alignmentCheck: { enabled: true, llmProfileRef: "mock-shadow" } };
  if (interactive === undefined) return { values };
  const provider = {
    name: "dex-e2e",
    issuer: "https://dex:5556/dex",
    jwksURL: "https://dex:5556/dex/keys",
    audience: interactive.dexAudience,
    claimMappings: { username: "email", groups: "groups" },
  };
  return {
    values: { ...values, interactive: { enabled: true, ...interactive.settings, jwtProviders: [provider] } },
    patches: {
      "ConfigMap/kubernaut-agent-config": (configMap) =>
        withConfigFile(configMap, "config.yaml", (config) => {
          const settings = config["interactive"] as { jwtProviders: Record<string, unknown>[] };
          const jwtProviders = settings.jwtProviders.map((each) => ({ ...each, tlsCaFile: "/etc/tls-ca/ca.crt" }));
          return { ...config, interactive: { ...settings, jwtProviders } };
        }),
    },
  };
}

interface MockLlmCommon {
  cluster: KindCluster;
  /** The release namespace (release.namespace). */
  namespace: pulumi.Input<string>;
  /** Its image (stack.image("mock-llm")). */
  image: WorkloadImage;
}

/** The Kubernaut Agent's suites: each seeded workflow's scenario answered with its registered id. */
export interface WorkflowScenarios {
  /** The registered workflows' ids by name (release.workflowIds, JSON). */
  workflowIds: pulumi.Output<string>;
  /** The environments each workflow's scenario is answered for, e.g. ["staging", "production"]. */
  environments: readonly string[];
  /** The namespace of the ConfigMap the injection scenario reads (the suite's namespace). */
  scenarioNamespace: string;
}

/** The API frontend's suite: the mock's config file as the suite's manifest gives it (its keyword scenarios). */
export interface ConfigScenarios {
  config: pulumi.Input<string>;
}

export type SuiteMockLlmArgs = MockLlmCommon & (WorkflowScenarios | ConfigScenarios);

/** The mock LLM and its shadow, Services mock-llm:8080 and mock-llm-shadow:8080. */
export function suiteMockLlm(args: SuiteMockLlmArgs): void {
  const { cluster, namespace, image } = args;
  const mock = (name: string, config: pulumi.Input<string>, env: Record<string, string>) =>
    new ServiceDeployment(name, {
      cluster,
      namespace,
      image,
      env: { MOCK_LLM_CONFIG_PATH: "/config/scenarios.yaml", ...env },
      ports: [{ name: "http", containerPort: 8080, servicePort: 8080 }],
      configMaps: [{ name: `${name}-scenarios`, mountPath: "/config", files: { "scenarios.yaml": config } }],
      readinessProbe: { path: "/health", port: "http", initialDelaySeconds: 5, periodSeconds: 5 },
      livenessProbe: { path: "/health", port: "http", initialDelaySeconds: 10, periodSeconds: 10 },
    });
  const listen = { MOCK_LLM_HOST: "0.0.0.0", MOCK_LLM_PORT: "8080" };
  if ("config" in args) {
    // As the suite's manifest runs it: tool calls answered as such, not as text.
    mock("mock-llm", args.config, { ...listen, MOCK_LLM_FORCE_TEXT: "false" });
  } else {
    const scenarios = args.workflowIds.apply((json) =>
      mockScenarios(JSON.parse(json) as Record<string, string>, args.environments, args.scenarioNamespace),
    );
    mock("mock-llm", scenarios, { ...listen, MOCK_LLM_MODE: "full", MOCK_LLM_FORCE_TEXT: "true" });
  }
  mock("mock-llm-shadow", "mode: shadow\nscenarios: {}\n", { MOCK_LLM_FORCE_TEXT: "false" });
}

/**
 * The mock LLM's scenarios (the setups' mock-llm-scenarios): each workflow's id for `<name>:<env>`,
 * production's last (their order); a tool call reading a poisoned ConfigMap, and three tools called
 * at once. The API frontend's keyword scenarios are left out: only the fullpipeline and apifrontend
 * suites send them.
 */
export function mockScenarios(ids: Record<string, string>, environments: readonly string[], namespace: string): string {
  const keys = Object.keys(ids).flatMap((name) => environments.map((env) => `${name}:${env}`));
  const production = (key: string) => key.endsWith(":production");
  keys.sort((a, b) => Number(production(a)) - Number(production(b)) || a.localeCompare(b));
  const tool = (name: string) => ({ name, arguments: { kind: "Pod", name: "api-server-abc", namespace: "production" } });
  const scenarios = {
    ...Object.fromEntries(keys.map((key) => [key, { workflow_id: ids[key.slice(0, key.lastIndexOf(":"))] }])),
    injection_configmap_read: {
      force_text: false,
      tool_call: { name: "kubectl_get_yaml", arguments: { kind: "ConfigMap", name: "poisoned-cm", namespace } },
    },
    parallel_tools: { force_text: false, tool_calls: ["kubectl_describe", "kubectl_events", "kubectl_logs"].map(tool) },
  };
  return JSON.stringify({ scenarios }, null, 2) + "\n";
}
