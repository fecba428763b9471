import { ArgumentError, inClusterOptions, parseManifests } from "@e2e-infra/core";
import { kubernautStack } from "@e2e-infra/kubernaut";
import { checkOptionalKeys } from "@e2e-infra/stack-kit";
import { DEFAULT_TEKTON_VERSION, fetchTektonRelease, Tekton } from "@e2e-infra/tekton";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { join } from "node:path";

// The suite's test workflows (test/fixtures/workflows/<dir>/workflow-schema.yaml), registered
// through the AuthWebhook as workflowexecution_e2e_hybrid.go does.
const WORKFLOW_DIRS = [
  "hello-world",
  "failing",
  "dep-secret-job",
  "dep-secret-tekton",
  "dep-configmap-job",
  "dep-configmap-tekton",
  "job-hello-world",
  "job-failing",
  "job-oomkill",
  "ansible-success",
  "ansible-failure",
  "dep-secret-ansible",
  "dep-configmap-ansible",
];
// The Tekton Tasks and Pipelines the Go setup creates (CreateSimpleTestPipeline).
const PIPELINES = ["test-echo-task", "test-fail-task", "test-hello-world", "test-intentional-failure"];
// The Secrets and ConfigMaps its dependency tests read in the workflow namespace (04_dependency_injection_test.go).
const DEPENDENCIES = {
  secrets: {
    "e2e-dep-secret": "e2e-test-value",
    "e2e-dep-secret-tekton": "e2e-test-value-tekton",
    "e2e-dep-secret-ansible": "e2e-ansible-secret-value",
  },
  configMaps: {
    "e2e-dep-configmap": "e2e-configmap-value",
    "e2e-dep-configmap-tekton": "e2e-configmap-value-tekton",
    "e2e-dep-configmap-ansible": "e2e-ansible-configmap-value",
  },
};

/** The Tekton release file: config tektonManifest, or release tektonVersion downloaded (checked before anything is registered). */
async function tektonManifest(): Promise<string> {
  const config = new pulumi.Config();
  checkOptionalKeys(`Stack "${pulumi.getStack()}"`, pulumi.getProject(), ["tektonVersion", "tektonManifest"], (key) => config.get(key));
  const version = config.get("tektonVersion") ?? DEFAULT_TEKTON_VERSION;
  return (
    config.get("tektonManifest") ??
    fetchTektonRelease(version).catch((error: Error) => {
      throw new ArgumentError(
        `Stack "${pulumi.getStack()}"`,
        `config ${pulumi.getProject()}:tektonVersion`,
        version,
        `expected a release that can be downloaded (${error.message}); offline, give a release file: pulumi config set tektonManifest /path/to/release.yaml`,
      );
    })
  );
}

// workflowexecution-e2e at the repository's HEAD: the suite's kind cluster, Tekton, and the
// repository's own chart with DataStorage, the WorkflowExecution controller under test and the
// AuthWebhook; the CRDs, the seeded ActionTypes, the suite's workflows registered through the
// AuthWebhook, its test pipelines and dependency fixtures (reference:
// SetupWorkflowExecutionInfrastructureHybridWithCoverage, without AWX).
export = async () => {
  const manifestFile = await tektonManifest();
  const stack = kubernautStack(join(__dirname, ".."), {
    kindConfig: "test/infrastructure/kind-workflowexecution-config.yaml",
    workingDir: "test/e2e/workflowexecution",
    // The stack's host port keys, each with the node port the suite's kind config maps to it.
    ports: {
      // Mapped by the suite's kind config; the controller serves no health endpoint there.
      workflowExecutionHealthHostPort: 30085,
      workflowExecutionMetricsHostPort: { nodePort: 30185, service: "workflowexecution", port: "metrics" },
      dataStorageHostPort: { nodePort: 30081, service: "datastorage" },
      dataStorageHealthHostPort: { nodePort: 30281, service: "datastorage", port: "health" },
      // AWX's API: mapped by the suite's kind config, left out here (see the README).
      awxHostPort: 30095,
    },
    services: { workflowexecution: {}, authwebhook: {} },
    actionTypes: true,
    workflows: WORKFLOW_DIRS.map((dir) => `test/fixtures/workflows/${dir}/workflow-schema.yaml`),
    otherKeys: ["tektonManifest", "tektonVersion", "dockerConfigFile"],
  });
  const { cluster, settings } = stack;
  const options = inClusterOptions(cluster, cluster);
  // The suite's workflow namespace, where PipelineRuns and Jobs run (the chart's own enforces Pod
  // Security "restricted", which Tekton's step containers do not meet).
  const workflows = new k8s.core.v1.Namespace(
    "workflows-namespace",
    { metadata: { name: "kubernaut-workflows", labels: { "kubernaut.ai/managed": "true" } } },
    options,
  ).metadata.name;
  const tekton = new Tekton("tekton", {
    cluster,
    manifestFile,
    dockerConfigFile: settings.config.get("dockerConfigFile"),
    workloadNamespace: workflows,
  });
  // The controller looks for Tekton's PipelineRuns once, at start: it starts once Tekton serves.
  const release = stack.release({ workflowexecution: { tekton: tekton.ready } });

  // The test Tasks and Pipelines, created once Tekton's webhook serves.
  for (const name of PIPELINES) {
    const file = join(__dirname, "workflows", `${name}.yaml`);
    const object = parseManifests(readFileSync(file, "utf8"), file)[0]!;
    new k8s.apiextensions.CustomResource(
      name,
      {
        apiVersion: object.apiVersion,
        kind: object.kind,
        metadata: { name, namespace: workflows, annotations: { "e2e-infra.dev/tekton": tekton.ready } },
        spec: object["spec"],
      },
      options,
    );
  }
  for (const [name, token] of Object.entries(DEPENDENCIES.secrets)) {
    new k8s.core.v1.Secret(name, { metadata: { name, namespace: workflows }, stringData: { token: pulumi.secret(token) } }, options);
  }
  for (const [name, setting] of Object.entries(DEPENDENCIES.configMaps)) {
    new k8s.core.v1.ConfigMap(name, { metadata: { name, namespace: workflows }, data: { setting } }, options);
  }

  return {
    kubeconfigPath: cluster.kubeconfigPath,
    caFile: release.caFile,
    metricsUrl: stack.url("workflowExecutionMetricsHostPort"),
    dataStorageUrl: stack.url("dataStorageHostPort"),
    dataStorageHealthUrl: stack.url("dataStorageHealthHostPort"),
    // The workflows' ids by name, as the suite's tests use them (JSON).
    workflowIds: release.workflowIds,
    tektonReady: tekton.ready,
  };
};
