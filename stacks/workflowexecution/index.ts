import { ArgumentError, hostCommand, inClusterOptions, loadScript, objectUid, parseManifests } from "@e2e-infra/core";
import { headStack, KubernautRelease } from "@e2e-infra/stack-kit";
import { DEFAULT_TEKTON_VERSION, fetchTektonRelease, Tekton } from "@e2e-infra/tekton";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const KIND_CONFIG = "test/infrastructure/kind-workflowexecution-config.yaml";
// The stack's host port keys by the node port the suite's kind config maps to them.
const NODE_PORTS = {
  // Mapped by the suite's kind config; the controller serves no health endpoint there.
  workflowExecutionHealthHostPort: 30085,
  workflowExecutionMetricsHostPort: 30185,
  dataStorageHostPort: 30081,
  dataStorageHealthHostPort: 30281,
  // AWX's API: mapped by the suite's kind config, left out here (see the README).
  awxHostPort: 30095,
};
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
const workflowFile = (dir: string) => `test/fixtures/workflows/${dir}/workflow-schema.yaml`;
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

// workflowexecution-e2e at the repository's HEAD: the suite's kind cluster, Tekton, and the
// repository's own chart with DataStorage, the WorkflowExecution controller under test and the
// AuthWebhook; the CRDs, the seeded ActionTypes, the suite's workflows registered through the
// AuthWebhook, its test pipelines and dependency fixtures (reference:
// SetupWorkflowExecutionInfrastructureHybridWithCoverage, without AWX).
export = async () => {
  const { settings, repository, cluster, hostUrl } = headStack(join(__dirname, ".."), {
    kindConfig: KIND_CONFIG,
    nodePorts: NODE_PORTS,
    workingDir: "test/e2e/workflowexecution",
    services: ["workflowexecution", "authwebhook"],
    paths: WORKFLOW_DIRS.map(workflowFile),
    otherKeys: ["tektonManifest", "tektonVersion", "dockerConfigFile"],
  });
  const version = settings.config.get("tektonVersion") ?? DEFAULT_TEKTON_VERSION;
  const manifestFile =
    settings.config.get("tektonManifest") ??
    (await fetchTektonRelease(version).catch((error: Error) => {
      throw new ArgumentError(
        `Stack "${settings.stack}"`,
        `config ${settings.project}:tektonVersion`,
        version,
        `expected a release that can be downloaded (${error.message}); offline, give a release file: pulumi config set tektonManifest /path/to/release.yaml`,
      );
    }));

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
  const release = new KubernautRelease("kubernaut", {
    cluster,
    repository,
    namespace: "kubernaut-system",
    coverage: settings.coverage,
    dataStorageNodePorts: { http: NODE_PORTS.dataStorageHostPort, health: NODE_PORTS.dataStorageHealthHostPort },
    services: {
      workflowexecution: {
        nodePorts: { metrics: NODE_PORTS.workflowExecutionMetricsHostPort },
        // It looks for Tekton's PipelineRuns once, at start: it starts once Tekton serves.
        waitsFor: { tekton: tekton.ready },
      },
      authwebhook: {},
    },
    actionTypes: true,
  });

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

  // The suite's workflows, registered through the AuthWebhook (it writes each one's id), once it
  // serves and the ActionTypes they name are seeded.
  const documents = WORKFLOW_DIRS.map((dir) => readFileSync(join(repository, workflowFile(dir)), "utf8"));
  const names = WORKFLOW_DIRS.map((dir, index) => {
    const object = parseManifests(documents[index]!, join(repository, workflowFile(dir)))[0];
    if (object?.kind !== "RemediationWorkflow") {
      throw new ArgumentError(
        `Stack "${settings.stack}"`,
        `config ${settings.project}:serviceRepository`,
        repository,
        `expected ${workflowFile(dir)} to hold a RemediationWorkflow`,
      );
    }
    return object.metadata.name;
  });
  const script = loadScript(join(__dirname, "scripts", "register-workflows.sh"));
  const registration = hostCommand(
    "register-workflows",
    {
      create: script,
      update: script,
      environment: {
        KUBECONFIG: cluster.kubeconfigPath!,
        KUBE_CONTEXT: cluster.kubeContext,
        NAMESPACE: release.namespace,
        WORKFLOWS: documents.map((document) => `---\n${document}`).join("\n"),
        WORKFLOW_NAMES: names.join("\n"),
        TIMEOUT_SECONDS: "90",
        ACTION_TYPES: release.actionTypes!.id,
        WEBHOOKS: release.resources["ValidatingWebhookConfiguration/authwebhook-validating"]!.id,
      },
      // The catalogue lives on PostgreSQL's data volume: a new volume (a new cluster, or the
      // claim re-created) is an empty catalogue, so the workflows are registered again.
      triggers: [objectUid(release.resources["PersistentVolumeClaim/postgresql-data"] as k8s.core.v1.PersistentVolumeClaim)],
    },
    {},
  );

  return {
    kubeconfigPath: cluster.kubeconfigPath,
    caFile: release.caFile,
    metricsUrl: release.readyUrl("workflowexecution-controller", hostUrl("http", "workflowExecutionMetricsHostPort")),
    dataStorageUrl: release.readyUrl("datastorage", hostUrl("https", "dataStorageHostPort")),
    dataStorageHealthUrl: release.readyUrl("datastorage", hostUrl("http", "dataStorageHealthHostPort")),
    // The workflows' ids by name, as the suite's tests use them (JSON).
    workflowIds: registration.stdout,
    tektonReady: tekton.ready,
  };
};
