import { ArgumentError, hostCommand, inClusterOptions, loadScript, parseManifests } from "@e2e-infra/core";
import { CustomResourceDefinitions } from "@e2e-infra/crds";
import { ServiceDeployment } from "@e2e-infra/service-deployment";
import {
  DATA_TIER_PATHS,
  DataTier,
  readStackSettings,
  referenceCluster,
  KUBERNAUT_SNAPSHOT_A,
  requireServiceRepository,
  serviceImage,
} from "@e2e-infra/stack-kit";
import { DEFAULT_TEKTON_VERSION, fetchTektonRelease, Tekton } from "@e2e-infra/tekton";
import * as k8s from "@pulumi/kubernetes";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const CRD = "config/crd/bases/kubernaut.ai_workflowexecutions.yaml";
const DOCKERFILE = "docker/workflowexecution-controller.Dockerfile";
// The main package its Dockerfile builds: the image's tag covers what its go build reads.
const GO_PACKAGE = "cmd/workflowexecution";
const WORKFLOWS = ["test-hello-world", "test-intentional-failure"];
const TASKS = ["test-echo-task", "test-fail-task"];

// workflowexecution-e2e: the data tier, Tekton, the WorkflowExecution CRD and controller under
// test, the test pipelines, and the test workflows registered with DataStorage (reference:
// SetupWorkflowExecutionInfrastructureHybridWithCoverage, without its second controller build).
export = async () => {
  const settings = readStackSettings(
    join(__dirname, ".."),
    ["workflowExecutionHealthHostPort", "workflowExecutionMetricsHostPort", "dataStorageHostPort"],
    ["serviceRepository", "tektonManifest", "tektonVersion", "dockerConfigFile"],
  );
  const repository = requireServiceRepository(
    settings,
    [DOCKERFILE, GO_PACKAGE, CRD, ...Object.values(DATA_TIER_PATHS)],
    KUBERNAUT_SNAPSHOT_A,
  );
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

  const cluster = referenceCluster(
    settings,
    { workflowExecutionHealthHostPort: 30085, workflowExecutionMetricsHostPort: 30185, dataStorageHostPort: 30081 },
    join(repository, "coverdata"),
  );
  const options = inClusterOptions(cluster, cluster);
  const namespace = new k8s.core.v1.Namespace("namespace", { metadata: { name: "kubernaut-system" } }, options).metadata.name;
  const workflows = new k8s.core.v1.Namespace("workflows-namespace", { metadata: { name: "kubernaut-workflows" } }, options).metadata.name;
  const crds = new CustomResourceDefinitions("crds", { cluster, paths: [join(repository, CRD)] });
  const data = new DataTier("data", { cluster, namespace, repository, coverage: settings.coverage });
  const tekton = new Tekton("tekton", {
    cluster,
    manifestFile,
    dockerConfigFile: settings.config.get("dockerConfigFile"),
    workloadNamespace: workflows,
  });

  // The ServiceAccount PipelineRuns run as.
  new k8s.core.v1.ServiceAccount(
    "workflow-runner",
    {
      metadata: { name: "kubernaut-workflow-runner", namespace: workflows },
      ...(tekton.pullSecretName === undefined ? {} : { imagePullSecrets: [{ name: tekton.pullSecretName }] }),
    },
    options,
  );

  const image = serviceImage("workflowexecution-image", {
    cluster,
    repository,
    imageName: "localhost/kubernaut-workflowexecution",
    dockerfile: DOCKERFILE,
    goPackage: GO_PACKAGE,
    coverage: settings.coverage,
  });
  const controller = new ServiceDeployment("workflowexecution", {
    cluster,
    namespace,
    image,
    crds,
    // It watches Tekton's PipelineRuns: it starts once Tekton's CRDs are there and its webhook serves.
    startAfter: { tekton: tekton.ready },
    workloadName: "workflowexecution-controller",
    args: [
      "--metrics-bind-address=:9090",
      "--health-probe-bind-address=:8081",
      "--execution-namespace=kubernaut-workflows",
      "--cooldown-period=1",
      "--service-account=kubernaut-workflow-runner",
      "--datastorage-url=http://datastorage.kubernaut-system:8080",
    ],
    ports: [
      { name: "metrics", containerPort: 9090, nodePort: 30185 },
      { name: "health", containerPort: 8081 },
    ],
    livenessProbe: { path: "/healthz", port: "health", initialDelaySeconds: 15, periodSeconds: 20 },
    readinessProbe: { path: "/readyz", port: "health", initialDelaySeconds: 1, periodSeconds: 2 },
    clusterRules: [
      {
        apiGroups: ["kubernaut.ai"],
        resources: ["workflowexecutions"],
        verbs: ["get", "list", "watch", "create", "update", "patch", "delete"],
      },
      {
        apiGroups: ["kubernaut.ai"],
        resources: ["workflowexecutions/status", "workflowexecutions/finalizers"],
        verbs: ["get", "update", "patch"],
      },
      { apiGroups: ["tekton.dev"], resources: ["pipelineruns"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] },
      { apiGroups: ["tekton.dev"], resources: ["taskruns"], verbs: ["get", "list", "watch"] },
      { apiGroups: [""], resources: ["events"], verbs: ["create", "patch"] },
      { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] },
    ],
    serviceName: "workflowexecution-controller-metrics",
    coverage: settings.coverage,
  });

  // The test Tasks and Pipelines, created once Tekton's webhook serves.
  const definitions = [...TASKS, ...WORKFLOWS].map((name) => {
    const file = join(__dirname, "workflows", `${name}.yaml`);
    const text = readFileSync(file, "utf8");
    return { name, text, object: parseManifests(text, file)[0]! };
  });
  for (const { name, object } of definitions) {
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

  // The test workflows, registered with DataStorage once it is ready (its schema applied).
  const bodies = WORKFLOWS.map((name) => {
    const content = definitions.find((definition) => definition.name === name)!.text;
    return JSON.stringify({
      workflow_name: name,
      version: "v1.0.0",
      name,
      description: `e2e test workflow ${name}`,
      content,
      content_hash: createHash("sha256").update(content).digest("hex"),
      execution_engine: "tekton",
      container_image: `quay.io/jordigilh/test-workflows/${name === "test-hello-world" ? "hello-world" : "failing"}:v1.0.0`,
      labels: { signal_type: "test-signal", severity: "low", component: "deployment", environment: "test", priority: "P3" },
      status: "active",
    });
  });
  const script = loadScript(join(__dirname, "scripts", "register-workflows.sh"));
  hostCommand(
    "register-workflows",
    {
      create: script,
      update: script,
      environment: { DATA_STORAGE_URL: data.dataStorage.hostUrl, WORKFLOWS: bodies.join("\n") },
      // The catalogue lives on Postgres's data volume: a new volume (a new cluster, or the
      // claim re-created) is an empty catalogue, so the workflows are registered again.
      triggers: [data.database.dataId],
    },
    {},
  );

  return {
    kubeconfigPath: cluster.kubeconfigPath,
    metricsUrl: controller.hostUrls["metrics"],
    dataStorageUrl: data.dataStorage.hostUrl,
    tektonReady: tekton.ready,
  };
};
