import { ChartObjects, type ChartObjectsArgs } from "@e2e-infra/chart";
import type { ManifestObject } from "@e2e-infra/core";
import { KubernautRelease, type KubernautReleaseArgs } from "@e2e-infra/kubernaut";
import { casesFor, type ComponentCatalogue } from "../catalogue";
import { CHECKOUT, fakeCluster, fakeKindTarget, files } from "../fakes";

// What renderChart returns, written out: a Deployment that mounts a ConfigMap and reads a Secret.
const OBJECTS: ManifestObject[] = [
  { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "app-config", namespace: "apps" }, data: { a: "b" } },
  {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "app", namespace: "apps" },
    spec: {
      selector: { matchLabels: { app: "app" } },
      template: {
        metadata: { labels: { app: "app" } },
        spec: {
          containers: [
            {
              name: "app",
              image: "localhost/app:placeholder",
              env: [{ name: "P", valueFrom: { secretKeyRef: { name: "app-secret", key: "p" } } }],
            },
          ],
          volumes: [{ name: "config", configMap: { name: "app-config" } }],
        },
      },
    },
  },
];

const chartGood = (): ChartObjectsArgs => ({
  cluster: fakeCluster(),
  namespace: "apps",
  objects: OBJECTS,
  images: { "localhost/app:placeholder": "localhost/app:0123456789abcdef" },
  references: { "Secret/app-secret": "app-secret" },
});
const chart = casesFor<ChartObjectsArgs>("ChartObjects", (name, args) => new ChartObjects(name, args), chartGood, "app");
const rendered = "expected a rendered Kind/name: ConfigMap/app-config, Deployment/app";

/** ChartObjects: every argument (cluster, namespace, objects, images, patches, references, omit, dependsOn). */
export const chartObjects: ComponentCatalogue = {
  component: "ChartObjects",
  args: { file: "packages/chart/src/chart-objects.ts", type: "ChartObjectsArgs" },
  baseline: chart.baseline,
  cases: [
    chart.bad("no cluster", { cluster: undefined }, "cluster", undefined, "expected a cluster"),
    chart.bad("a namespace with capitals", { namespace: "Apps" }, "namespace", "Apps", "expected a namespace"),
    chart.bad("no objects", { objects: [] }, "objects", [], "expected the objects renderChart returned"),
    chart.bad(
      "objects as a YAML string",
      { objects: "kind: ConfigMap" },
      "objects",
      "kind: ConfigMap",
      "expected the objects renderChart returned",
    ),
    chart.bad("one object twice", { objects: [OBJECTS[0], OBJECTS[0]] }, "objects", "ConfigMap/app-config", "expected each Kind/name once"),
    chart.bad(
      "a kind it does not register",
      { objects: [...OBJECTS, { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "app" } }] },
      "objects",
      "policy/v1 PodDisruptionBudget/app",
      "expected one of the kinds ChartObjects registers",
    ),
    chart.bad(
      "images as a list",
      { images: ["localhost/app:placeholder"] },
      "images",
      ["localhost/app:placeholder"],
      "expected rendered image -> image",
    ),
    chart.bad(
      "an image no pod runs",
      { images: { "localhost/other:placeholder": "x" } },
      'images["localhost/other:placeholder"]',
      "localhost/other:placeholder",
      "expected an image a rendered pod template runs",
    ),
    chart.bad(
      "an image replaced by a number",
      { images: { "localhost/app:placeholder": 7 } },
      'images["localhost/app:placeholder"]',
      7,
      "expected an image reference (a string or an Output)",
    ),
    chart.bad(
      "a patch that is no function",
      { patches: { "Deployment/app": { spec: {} } } },
      'patches["Deployment/app"]',
      { spec: {} },
      "expected a function of the object",
    ),
    chart.bad(
      "a patch of an object not rendered",
      { patches: { "Deployment/ap": (o: unknown) => o } },
      'patches["Deployment/ap"]',
      "Deployment/ap",
      rendered,
    ),
    chart.bad(
      "a reference nothing provides",
      { references: {} },
      "references",
      {},
      "expected Secret/app-secret (Deployment/app refers to it at spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name)",
    ),
    chart.bad(
      "references as a list",
      { references: ["Secret/app-secret"] },
      "references",
      ["Secret/app-secret"],
      'expected a map by "Kind/name"',
    ),
    chart.bad("omit as one string", { omit: "ConfigMap/app-config" }, "omit", "ConfigMap/app-config", "expected a list of strings"),
    chart.bad("omit of an object not rendered", { omit: ["Service/app"] }, 'omit["Service/app"]', "Service/app", rendered),
    chart.bad("dependsOn of an object not rendered", { dependsOn: { "Job/app": [] } }, 'dependsOn["Job/app"]', "Job/app", rendered),
  ],
};

// A cluster both in-cluster components and image loads take (a KindCluster is both).
const releaseGood = (): KubernautReleaseArgs =>
  ({
    cluster: { ...fakeCluster(), ...fakeKindTarget() },
    repository: CHECKOUT,
    namespace: "datastorage-e2e",
    coverage: false,
    dataStorageNodePorts: { http: 30081 },
  }) as unknown as KubernautReleaseArgs;
const release = casesFor<KubernautReleaseArgs>(
  "KubernautRelease",
  (name, args) => new KubernautRelease(name, args),
  releaseGood,
  "kubernaut",
);
const NODE_PORT = "expected a NodePort from 30000 to 32767";
// A service the package does not know, defined by the case (the stand-in checkout has its files).
const NOTIFICATION = {
  templates: ["templates/gateway/gateway.yaml"],
  dockerfile: "docker/gateway.Dockerfile",
  goPackage: "cmd/gateway",
  service: "gateway-service",
  ports: ["http"],
  deployment: "gateway",
  watches: ["notificationrequests.kubernaut.ai"],
};

/** KubernautRelease (kubernaut): every argument. */
export const kubernautRelease: ComponentCatalogue = {
  component: "KubernautRelease",
  args: { file: "packages/kubernaut/src/release-args.ts", type: "KubernautReleaseArgs" },
  baseline: release.baseline,
  baselineNeeds: "helm",
  cases: [
    release.bad("no cluster", { cluster: undefined }, "cluster", undefined, "expected a cluster"),
    release.bad("a namespace with an underscore", { namespace: "ds_e2e" }, "namespace", "ds_e2e", "expected a DNS-1123 label"),
    release.bad("a label that is a number", { namespaceLabels: { test: 1 } }, "namespaceLabels.test", 1, "expected a string"),
    release.bad(
      "a repository that does not exist",
      { repository: `${files.dir}/kubernaut` },
      "repository",
      `${files.dir}/kubernaut`,
      "expected a checkout of the service repository (an existing directory)",
    ),
    release.bad(
      "a checkout without the chart",
      { repository: files.dir },
      "repository",
      files.dir,
      "it has no charts/kubernaut/Chart.yaml",
    ),
    release.bad('coverage as the string "true"', { coverage: "true" }, "coverage", "true", "expected true or false"),
    release.bad(
      "no DataStorage NodePorts",
      { dataStorageNodePorts: undefined },
      "dataStorageNodePorts",
      undefined,
      "expected NodePorts by port name",
    ),
    release.bad(
      "a DataStorage NodePort outside the range",
      { dataStorageNodePorts: { http: 8080 } },
      "dataStorageNodePorts.http",
      8080,
      NODE_PORT,
    ),
    release.bad(
      "a port name the chart does not have",
      { dataStorageNodePorts: { http: 30081, grpc: 30082 } },
      "dataStorageNodePorts.grpc",
      30082,
      "expected a NodePort for http, health or metrics",
    ),
    release.bad(
      "no API NodePort",
      { dataStorageNodePorts: { health: 30281 } },
      "dataStorageNodePorts.http",
      undefined,
      "expected the API's NodePort",
    ),
    release.bad(
      "the PostgreSQL NodePort DataStorage has",
      { postgresNodePort: 30081 },
      "postgresNodePort",
      30081,
      "NodePort 30081 is already used by",
    ),
    release.bad(
      "a CA file path relative to the working directory",
      { caFile: "certs/ca.crt" },
      "caFile",
      "certs/ca.crt",
      'expected an absolute file path or one starting with "~/", on one line',
    ),
    release.bad(
      "a build argument name with a dash",
      { buildArgs: { "BUILDER-IMAGE": "mirror.example.com/go-toolset:1.26" } },
      "buildArgs",
      "BUILDER-IMAGE",
      "expected build arg names of letters, digits and _",
    ),
    release.bad(
      "a build argument on two lines",
      { buildArgs: { BASE_IMAGE: "ubi\nminimal" } },
      "buildArgs.BASE_IMAGE",
      "ubi\nminimal",
      "expected a string on one line",
    ),
    release.bad('actionTypes as the string "yes"', { actionTypes: "yes" }, "actionTypes", "yes", "expected true or false"),
    release.bad(
      "ActionTypes on a cluster without a kubeconfig file",
      { actionTypes: true },
      "actionTypes",
      true,
      "expected a cluster with a kubeconfig file (KindCluster kubeconfigPath)",
    ),
    release.bad("services as a list", { services: ["gateway"] }, "services", ["gateway"], "expected the services under test by name"),
    release.bad(
      "a service the chart has but the release cannot run",
      { services: { notification: {} } },
      "services.notification",
      {},
      "expected a service the package knows (gateway, signalprocessing, workflowexecution, remediationorchestrator, kubernautAgent, authwebhook), or its definition",
    ),
    release.bad(
      "a service's settings as a number",
      { services: { gateway: 30080 } },
      "services.gateway",
      30080,
      "expected { definition?, nodePorts?, values?, patches?, waitsFor? }",
    ),
    release.bad(
      "a misspelled service setting",
      { services: { gateway: { nodeports: { http: 30080 } } } },
      "services.gateway.nodeports",
      { http: 30080 },
      "expected definition, nodePorts, values, patches, waitsFor",
    ),
    release.bad(
      "a gateway NodePort as a string",
      { services: { gateway: { nodePorts: { http: "30080" } } } },
      "services.gateway.nodePorts.http",
      "30080",
      NODE_PORT,
    ),
    release.bad(
      "a NodePort on a port the service's chart Service lacks",
      { services: { signalprocessing: { nodePorts: { http: 30082 } } } },
      "services.signalprocessing.nodePorts.http",
      30082,
      "expected a NodePort for metrics (the chart's port names)",
    ),
    release.bad(
      "a patch that is not a function",
      { services: { gateway: { patches: { "Deployment/gateway": { replicas: 2 } } } } },
      "services.gateway.patches.Deployment/gateway",
      { replicas: 2 },
      "expected a function",
    ),
    release.bad(
      "a waitsFor name that is no annotation name",
      { services: { gateway: { waitsFor: { "Tekton Ready": "yes" } } } },
      "services.gateway.waitsFor",
      "Tekton Ready",
      "expected a DNS-1123 label",
    ),
    release.bad(
      "a waitsFor value that is a number",
      { services: { gateway: { waitsFor: { tekton: 1 } } } },
      "services.gateway.waitsFor.tekton",
      1,
      "expected a string or an Output",
    ),
    release.bad(
      "a service definition without its Dockerfile",
      { services: { notification: { definition: { ...NOTIFICATION, dockerfile: undefined } } } },
      "services.notification.definition.dockerfile",
      undefined,
      "expected a non-empty string",
    ),
    release.bad(
      "a service definition whose CRDs are a string",
      { services: { notification: { definition: { ...NOTIFICATION, watches: "notificationrequests.kubernaut.ai" } } } },
      "services.notification.definition.watches",
      "notificationrequests.kubernaut.ai",
      "expected a list of strings",
    ),
    release.bad(
      "a certificate whose Secret name has an underscore",
      { certificates: [{ serviceName: "dex", secretName: "dex_tls" }] },
      "certificates[0].secretName",
      "dex_tls",
      "expected a DNS-1123 label",
    ),
    release.bad(
      "a Secret whose name has an underscore",
      { secrets: { delivery_credentials: { "slack-success": "http://mock-webhook:8080/webhook" } } },
      "secrets.delivery_credentials",
      "delivery_credentials",
      "expected a DNS-1123 subdomain",
    ),
    release.bad(
      "a Secret without keys",
      { secrets: { "delivery-credentials": {} } },
      "secrets.delivery-credentials",
      {},
      "expected at least one key",
    ),
    release.bad(
      "a Secret key with a slash",
      { secrets: { "delivery-credentials": { "slack/success": "http://mock-webhook:8080/webhook" } } },
      "secrets.delivery-credentials",
      "slack/success",
      "expected keys of letters, digits",
    ),
    release.bad(
      "a Secret value that is a number",
      { secrets: { "delivery-credentials": { port: 8080 as unknown as string } } },
      "secrets.delivery-credentials.port",
      8080,
      "expected a string",
    ),
    release.bad(
      "prebuilt images with a tag that has a slash",
      { prebuiltImages: { tag: "ci/1234" } },
      "prebuiltImages.tag",
      "ci/1234",
      "expected an image tag",
    ),
    release.bad(
      "prebuilt images from a registry in upper case",
      { prebuiltImages: { tag: "ci-1234", registry: "Quay.io/CI" } },
      "prebuiltImages.registry",
      "Quay.io/CI",
      "expected a registry and path to put the image names under",
    ),
    release.bad(
      "beside given as a list of workloads",
      { beside: ["dex"] },
      "beside",
      ["dex"],
      "expected a function ({ namespace, tls }) => what each service waits for",
    ),
    release.bad(
      "chart values given as a list",
      { values: ["monitoring.prometheus.enabled=true"] },
      "values",
      ["monitoring.prometheus.enabled=true"],
      "expected chart values",
    ),
    release.bad(
      "workflows without the AuthWebhook to register them",
      { workflows: ["test/fixtures/workflows/hello-world/workflow-schema.yaml"] },
      "workflows",
      ["test/fixtures/workflows/hello-world/workflow-schema.yaml"],
      "expected them with services.authwebhook and actionTypes: true",
    ),
    release.bad(
      "a workflow file that holds no RemediationWorkflow",
      { workflows: ["charts/kubernaut/Chart.yaml"] },
      "workflows",
      "charts/kubernaut/Chart.yaml",
      "that holds a RemediationWorkflow",
    ),
    release.bad(
      "a service's values as a string",
      { services: { gateway: { values: "cors: *" } } },
      "services.gateway.values",
      "cors: *",
      "expected chart values for the service",
    ),
  ],
};
