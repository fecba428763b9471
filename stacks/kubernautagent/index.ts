import { CustomResourceDefinitions } from "@e2e-infra/crds";
import {
  agentOnMocks,
  AGENT_SUITE_WORKFLOWS,
  enrichmentFixtures,
  kubernautStack,
  MOCK_LLM_IMAGE,
  MOCK_LLM_PROFILES,
  MOCK_LLM_SECRETS,
  MONITORING_URLS,
  suiteAlertManager,
  suiteClient,
  suiteDex,
  suiteMockLlm,
  suitePrometheus,
} from "@e2e-infra/kubernaut";
import { ServiceDeployment } from "@e2e-infra/service-deployment";
import * as k8s from "@pulumi/kubernetes";
import { readFileSync } from "node:fs";
import { join } from "node:path";

// kubernautagent-e2e at the repository's HEAD: the suite's kind cluster, and the repository's chart
// with DataStorage, the Kubernaut Agent under test (its LLM the suite's mock LLM, its alignment check
// the mock's shadow, its interactive endpoint taking Dex's tokens, its tools Prometheus and
// AlertManager) and the AuthWebhook, which registers the suite's nine RemediationWorkflows; beside
// them the mocks, Prometheus, AlertManager and Dex as the Go setup deploys them, the TestWidget kind
// in two groups, the enrichment fixtures, and the suite's ServiceAccount (reference:
// SetupKubernautAgentInfrastructure).

const NAMESPACE = "kubernaut-agent-e2e";
// Node ports the suite's kind config maps to what the stack runs beside the release.
const PROMETHEUS = 30190;
const ALERTMANAGER = 30191;
const DEX = 30556;

export = () => {
  const stack = kubernautStack(join(__dirname, ".."), {
    kindConfig: "test/infrastructure/kind-kubernautagent-config.yaml",
    // Its setup runs kind from the checkout's root: the kind config's ./coverdata is there.
    workingDir: ".",
    ports: {
      kubernautAgentHostPort: { nodePort: 30088, service: "kubernautAgent", port: "https" },
      kubernautAgentHealthHostPort: { nodePort: 30188, service: "kubernautAgent", port: "health" },
      kubernautAgentMetricsHostPort: { nodePort: 30988, service: "kubernautAgent", port: "metrics" },
      dataStorageHostPort: { nodePort: 30089, service: "datastorage" },
      dataStorageHealthHostPort: { nodePort: 30281, service: "datastorage", port: "health" },
      prometheusHostPort: PROMETHEUS,
      alertManagerHostPort: ALERTMANAGER,
      dexHostPort: DEX,
      // Mapped by the kind config, which the apifrontend suite shares; nothing of this suite serves them.
      postgresHostPort: 30439,
      redisHostPort: 30387,
      apiFrontendHostPort: 30443,
      apiFrontendHealthHostPort: 30081,
    },
    namespace: NAMESPACE,
    namespaceLabels: { test: "datastorage-e2e" },
    services: {
      // Its interactive sessions short-lived, as the suite's; Dex's tokens for it.
      kubernautAgent: agentOnMocks({
        settings: { sessionTTL: "5m", inactivityTimeout: "2m", maxConcurrentSessions: 10, rateLimitPerUser: 40 },
        dexAudience: "kubernaut-agent",
      }),
      // Registers the workflows (their ids are what the mock LLM answers with).
      authwebhook: {},
    },
    values: {
      global: { llmProfiles: MOCK_LLM_PROFILES },
      monitoring: {
        prometheus: { enabled: true, url: MONITORING_URLS.prometheus },
        alertManager: { enabled: true, url: MONITORING_URLS.alertManager },
      },
    },
    secrets: MOCK_LLM_SECRETS,
    certificates: [{ serviceName: "dex", secretName: "dex-tls" }],
    actionTypes: true,
    workflows: AGENT_SUITE_WORKFLOWS,
    images: MOCK_LLM_IMAGE,
  });
  const { cluster } = stack;
  const widgets = new CustomResourceDefinitions("testwidgets", { cluster, paths: [join(__dirname, "testwidgets.yaml")] });
  let dex: ServiceDeployment | undefined;
  const release = stack.release(
    // Its REST mapper learns the kinds once, at start: both TestWidget groups are there first.
    { kubernautAgent: { testwidgets: widgets.ready.apply((names) => names.join(",")) } },
    // It fetches Dex's keys when it starts.
    ({ namespace, tls }) => {
      dex = suiteDex({
        cluster,
        namespace,
        config: readFileSync(join(__dirname, "dex.yaml"), "utf8"),
        tlsSecretName: tls.secretNames["dex"]!,
        nodePort: DEX,
      });
      return { kubernautAgent: { dex: dex.ready } };
    },
  );
  const namespace = release.namespace;
  const options = { provider: cluster.provider, deletedWith: cluster.deletedWith };
  // Dex's user may open sessions with the agent (its interactive endpoint checks this access).
  const userRole = new k8s.rbac.v1.Role(
    "dex-e2e-user-ka-access",
    {
      metadata: { name: "dex-e2e-user-ka-access", namespace },
      rules: [{ apiGroups: [""], resources: ["services"], resourceNames: ["kubernaut-agent"], verbs: ["create", "get"] }],
    },
    options,
  );
  new k8s.rbac.v1.RoleBinding(
    "dex-e2e-user-ka-access-binding",
    {
      metadata: { name: "dex-e2e-user-ka-access", namespace },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: userRole.metadata.name },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "e2e-user@kubernaut.test" }],
    },
    options,
  );
  new k8s.apiextensions.CustomResource(
    "test-widget-instance",
    {
      apiVersion: "alpha.kubernaut-test.ai/v1",
      kind: "TestWidget",
      // In default, once its kind's group is served.
      metadata: {
        name: "test-widget-instance",
        namespace: widgets.established["testwidgets.alpha.kubernaut-test.ai"]!.apply(() => "default"),
      },
      spec: {},
    },
    options,
  );
  suiteMockLlm({
    cluster,
    namespace,
    image: stack.image("mock-llm"),
    workflowIds: release.workflowIds!,
    environments: ["staging", "production"],
    scenarioNamespace: NAMESPACE,
  });
  const prometheus = suitePrometheus("prometheus", { cluster, namespace, nodePort: PROMETHEUS });
  const alertManager = suiteAlertManager("alertmanager", { cluster, namespace, nodePort: ALERTMANAGER });
  enrichmentFixtures(cluster);
  suiteClient(cluster, namespace, "kubernaut-agent-e2e-sa", {
    name: "kubernaut-agent-e2e-client-access",
    rules: [{ apiGroups: [""], resources: ["services"], resourceNames: ["kubernaut-agent"], verbs: ["create", "get"] }],
  });
  return {
    kubeconfigPath: cluster.kubeconfigPath,
    caFile: release.caFile,
    kubernautAgentUrl: stack.url("kubernautAgentHostPort"),
    kubernautAgentHealthUrl: stack.url("kubernautAgentHealthHostPort"),
    metricsUrl: stack.url("kubernautAgentMetricsHostPort"),
    dataStorageUrl: stack.url("dataStorageHostPort"),
    dataStorageHealthUrl: stack.url("dataStorageHealthHostPort"),
    prometheusUrl: prometheus.hostUrls["http"]!,
    alertManagerUrl: alertManager.hostUrls["http"]!,
    // Dex serves HTTPS only.
    dexUrl: dex!.ready.apply(() => `https://localhost:${stack.settings.hostPorts["dexHostPort"]}`),
    workflowIds: release.workflowIds!,
  };
};
