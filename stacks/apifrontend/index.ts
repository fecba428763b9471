import { ChartObjects } from "@e2e-infra/chart";
import { readManifests } from "@e2e-infra/core";
import {
  AGENT_SUITE_WORKFLOWS,
  agentOnMocks,
  kubernautStack,
  MOCK_LLM_IMAGE,
  MOCK_LLM_PROFILES,
  MOCK_LLM_SECRETS,
  MONITORING_URLS,
  suiteDex,
  suiteMockLlm,
  suitePrometheus,
} from "@e2e-infra/kubernaut";
import type { ServiceDeployment } from "@e2e-infra/service-deployment";
import * as k8s from "@pulumi/kubernetes";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";

// apifrontend-e2e at the repository's HEAD: the suite's kind cluster (the Kubernaut Agent suite's
// config), and the repository's chart with DataStorage, the API frontend under test (Dex's tokens
// for it, its severity triage on Prometheus, the suite's session timeouts), the Kubernaut Agent
// (its LLM the mock, taking the API frontend's users' Dex tokens) and the AuthWebhook, which
// registers the agent suites' nine workflows; beside them the mock LLM with the suite's keyword
// scenarios, Dex with the suite's users and clients, Prometheus with its alerting rules, and the
// persona RBAC (reference: SetupAPIFrontendE2EInfrastructure, DeployPrometheusForSeverityTriage).
// The suite runs against it with AF_E2E_SKIP_INFRA=true (README: "apifrontend-e2e").

const OVERLAY = "deploy/apifrontend/overlays/e2e";
const CHART_VALUES = "charts/kubernaut/values.yaml";
// Node ports the suite's kind config maps to what the stack runs beside the release.
const PROMETHEUS = 30190;
const DEX = 30556;

export = () => {
  const stack = kubernautStack(join(__dirname, ".."), {
    kindConfig: "test/infrastructure/kind-kubernautagent-config.yaml",
    // Its setup runs kind from the checkout's root: the kind config's ./coverdata is there.
    workingDir: ".",
    ports: {
      apiFrontendHostPort: { nodePort: 30443, service: "apifrontend", port: "https" },
      apiFrontendHealthHostPort: { nodePort: 30081, service: "apifrontend", port: "health" },
      kubernautAgentHostPort: { nodePort: 30088, service: "kubernautAgent", port: "https" },
      kubernautAgentHealthHostPort: { nodePort: 30188, service: "kubernautAgent", port: "health" },
      kubernautAgentMetricsHostPort: { nodePort: 30988, service: "kubernautAgent", port: "metrics" },
      dataStorageHostPort: { nodePort: 30089, service: "datastorage" },
      dataStorageHealthHostPort: { nodePort: 30281, service: "datastorage", port: "health" },
      prometheusHostPort: PROMETHEUS,
      dexHostPort: DEX,
      // Mapped by the kind config; nothing of this suite serves them (its setup deploys no AlertManager).
      alertManagerHostPort: 30191,
      postgresHostPort: 30439,
      redisHostPort: 30387,
    },
    namespaceLabels: { test: "datastorage-e2e" },
    services: {
      apifrontend: {
        definition: {
          templates: ["templates/apifrontend/apifrontend.yaml"],
          dockerfile: "docker/apifrontend.Dockerfile",
          goPackage: "cmd/apifrontend",
          service: "apifrontend",
          ports: ["https", "metrics", "health"],
          tlsPorts: ["https"],
          deployment: "apifrontend",
          // cmd/apifrontend/session_infra.go: its manager's reconcilers, For InvestigationSessions and AgentSessions.
          watches: ["investigationsessions.kubernaut.ai", "agentsessions.kubernaut.ai"],
          // Signed by the release's CA, `localhost` among its names: the suite dials https://localhost:18443.
          certificates: [{ serviceName: "apifrontend", secretName: "apifrontend-tls" }],
        },
        values: {
          config: {
            // Dex's tokens, the issuer's certificate of the release's CA (the suite's overlay config.yaml).
            auth: {
              issuerURL: "https://dex:5556/dex",
              jwksURL: "https://dex:5556/dex/keys",
              audience: "kubernaut-apifrontend",
              oidcCaFile: "/etc/tls-ca/ca.crt",
            },
            // The suite's timeouts, far shorter than the chart's, which its session specs wait out.
            session: { disconnectTTL: "2m" },
            mcp: { sessionIdleTimeout: "5m" },
            interactive: { awaitSessionTimeout: "10s", bridgeInactivityTimeout: "15s" },
            resilience: { prometheus: { connectTimeout: "2s", requestTimeout: "5s" } },
          },
          logging: { level: "DEBUG" },
        },
      },
      // Takes the API frontend's users' Dex tokens (the suite's setup patches its config so).
      kubernautAgent: agentOnMocks({ settings: { rateLimitPerUser: 40 }, dexAudience: "kubernaut-apifrontend" }),
      // Registers the workflows the suite lists and discovers.
      authwebhook: {},
    },
    values: {
      global: { llmProfiles: MOCK_LLM_PROFILES },
      // The API frontend's severity triage, and the agent's Prometheus tool.
      monitoring: { prometheus: { enabled: true, url: MONITORING_URLS.prometheus } },
    },
    secrets: MOCK_LLM_SECRETS,
    certificates: [{ serviceName: "dex", secretName: "dex-tls" }],
    // Where the suite reads the CA that verifies the API frontend (its os.TempDir()).
    caFile: join(tmpdir(), "apifrontend-e2e-certs", "ca.crt"),
    actionTypes: true,
    workflows: AGENT_SUITE_WORKFLOWS,
    images: MOCK_LLM_IMAGE,
    paths: [`${OVERLAY}/dex.yaml`, `${OVERLAY}/mock-llm.yaml`, `${OVERLAY}/e2e-user-rbac.yaml`, CHART_VALUES],
  });
  const { cluster, repository } = stack;
  // The suite's manifests as the checkout has them: each ConfigMap's config.yaml.
  const configOf = (file: string, configMap: string): string => {
    const object = readManifests([join(repository, file)]).find((each) => each.kind === "ConfigMap" && each.metadata?.name === configMap);
    const config = (object?.["data"] as Record<string, string> | undefined)?.["config.yaml"];
    if (config === undefined)
      throw new Error(`Stack "apifrontend-e2e": ${file} of the checkout has no ConfigMap ${configMap} with a config.yaml`);
    return config;
  };
  let dex: ServiceDeployment | undefined;
  const release = stack.release({}, ({ namespace, tls }) => {
    dex = suiteDex({
      cluster,
      namespace,
      config: configOf(`${OVERLAY}/dex.yaml`, "dex-config"),
      tlsSecretName: tls.secretNames["dex"]!,
      nodePort: DEX,
    });
    // Both fetch its keys when they start.
    return { apifrontend: { dex: dex.ready }, kubernautAgent: { dex: dex.ready } };
  });
  const namespace = release.namespace;
  const options = { provider: cluster.provider, deletedWith: cluster.deletedWith };
  suiteMockLlm({ cluster, namespace, image: stack.image("mock-llm"), config: configOf(`${OVERLAY}/mock-llm.yaml`, "mock-llm-config") });
  const prometheus = suitePrometheus("prometheus", {
    cluster,
    namespace,
    nodePort: PROMETHEUS,
    rules: { "af-severity-triage.yml": readFileSync(join(__dirname, "severity-triage.yml"), "utf8") },
  });
  // The chart's per-persona tool ClusterRoles, bound to Dex's groups of the same names (the chart
  // leaves the bindings to the installer; the suite's setup binds them so).
  const values = parse(readFileSync(join(repository, CHART_VALUES), "utf8")) as {
    apifrontend?: { config?: { rbac?: { personas?: object } } };
  };
  for (const persona of Object.keys(values.apifrontend?.config?.rbac?.personas ?? {})) {
    const role = release.resources[`ClusterRole/kubernaut-tool-${persona}`] as k8s.rbac.v1.ClusterRole | undefined;
    if (role === undefined)
      throw new Error(`Stack "apifrontend-e2e": the chart renders no ClusterRole kubernaut-tool-${persona} for its persona ${persona}`);
    new k8s.rbac.v1.ClusterRoleBinding(
      `kubernaut-tool-${persona}-binding`,
      {
        metadata: { name: `kubernaut-tool-${persona}-binding` },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role.metadata.name },
        subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: persona }],
      },
      options,
    );
  }
  // The suite's users' grants: Kubernetes tools and console access by group.
  new ChartObjects("e2e-user-rbac", { cluster, namespace, objects: readManifests([join(repository, `${OVERLAY}/e2e-user-rbac.yaml`)]) });
  // The API frontend reads EffectivenessAssessments (its status and watch tools); the chart's role
  // does not grant it, the suite's setup does (deploy/apifrontend/base/02-rbac.yaml).
  const assessments = new k8s.rbac.v1.ClusterRole(
    "apifrontend-effectivenessassessments",
    {
      metadata: { name: "apifrontend-e2e-effectivenessassessments" },
      rules: [{ apiGroups: ["kubernaut.ai"], resources: ["effectivenessassessments"], verbs: ["get", "list", "watch"] }],
    },
    options,
  );
  new k8s.rbac.v1.ClusterRoleBinding(
    "apifrontend-effectivenessassessments-binding",
    {
      metadata: { name: "apifrontend-e2e-effectivenessassessments" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: assessments.metadata.name },
      subjects: [
        {
          kind: "ServiceAccount",
          name: (release.resources["ServiceAccount/apifrontend"] as k8s.core.v1.ServiceAccount).metadata.name,
          namespace,
        },
      ],
    },
    options,
  );
  return {
    kubeconfigPath: cluster.kubeconfigPath,
    caFile: release.caFile,
    apiFrontendUrl: stack.url("apiFrontendHostPort"),
    apiFrontendHealthUrl: stack.url("apiFrontendHealthHostPort"),
    kubernautAgentUrl: stack.url("kubernautAgentHostPort"),
    kubernautAgentHealthUrl: stack.url("kubernautAgentHealthHostPort"),
    kubernautAgentMetricsUrl: stack.url("kubernautAgentMetricsHostPort"),
    dataStorageUrl: stack.url("dataStorageHostPort"),
    dataStorageHealthUrl: stack.url("dataStorageHealthHostPort"),
    prometheusUrl: prometheus.hostUrls["http"]!,
    // Dex serves HTTPS only.
    dexUrl: dex!.ready.apply(() => `https://localhost:${stack.settings.hostPorts["dexHostPort"]}`),
    workflowIds: release.workflowIds!,
  };
};
