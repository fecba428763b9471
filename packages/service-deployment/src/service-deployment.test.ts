import { inClusterOptions } from "@e2e-infra/core";
import { CustomResourceDefinitions } from "@e2e-infra/crds";
import { DataStorage } from "@e2e-infra/data-storage";
import { ImageBuildLoad, RegistryImage, type RegistryImageArgs } from "@e2e-infra/image-build-load";
import { KindCluster } from "@e2e-infra/kind-cluster";
import { Migrations } from "@e2e-infra/migrations";
import { Postgres } from "@e2e-infra/postgres";
import { Redis } from "@e2e-infra/redis";
import { capture, validateKubernetesResources } from "@e2e-infra/testing";
import * as k8s from "@pulumi/kubernetes";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ServiceDeployment, type ServiceDeploymentArgs } from "./index";

const fixtures = join(__dirname, "..", "test", "fixtures");

type Options = Partial<Omit<ServiceDeploymentArgs, "cluster" | "namespace" | "image">> & { waitForDataStorage?: boolean };

/** A SignalProcessing-like stack: CRDs, the data tier, and the controller under test. */
function stack(options: Options = {}) {
  const { waitForDataStorage, ...overrides } = options;
  return capture(() => {
    const cluster = new KindCluster("kind", {
      name: "signalprocessing-e2e",
      nodes: [
        {
          role: "control-plane",
          extraPortMappings: [
            { containerPort: 30182, hostPort: 9182 },
            { containerPort: 30081, hostPort: 30081 },
          ],
        },
        { role: "worker" },
      ],
    });
    const namespace = new k8s.core.v1.Namespace("ns", { metadata: { name: "kubernaut-system" } }, inClusterOptions(cluster, cluster))
      .metadata.name;
    const crds = new CustomResourceDefinitions("crds", { cluster, paths: [join(fixtures, "crds")] });
    const spImage = new ImageBuildLoad("sp-image", {
      cluster,
      imageName: "localhost/signalprocessing-controller",
      context: join(fixtures, "image"),
    });
    const dsImage = new ImageBuildLoad("ds-image", { cluster, imageName: "localhost/datastorage", context: join(fixtures, "image") });
    const database = new Postgres("pg", { cluster, namespace });
    const redis = new Redis("redis", { cluster, namespace });
    const migrations = new Migrations("migrations", { cluster, namespace, database, directory: join(fixtures, "migrations") });
    const dataStorage = new DataStorage("ds", { cluster, namespace, image: dsImage, database, redis, migrations });
    const controller = new ServiceDeployment("sp", {
      cluster,
      namespace,
      image: spImage,
      workloadName: "signalprocessing-controller",
      crds,
      env: { NAMESPACE: { fieldRef: "metadata.namespace" }, DATA_STORAGE_URL: dataStorage.endpoint },
      ports: [
        { name: "metrics", containerPort: 9090, nodePort: 30182 },
        { name: "health", containerPort: 8081 },
      ],
      readinessProbe: { path: "/readyz", port: "health", initialDelaySeconds: 5, periodSeconds: 10 },
      livenessProbe: { path: "/healthz", port: "health" },
      clusterRules: [
        {
          apiGroups: ["kubernaut.ai"],
          resources: ["signalprocessings", "remediationrequests"],
          verbs: ["get", "list", "watch", "create", "update", "patch", "delete"],
        },
        {
          apiGroups: ["coordination.k8s.io"],
          resources: ["leases"],
          verbs: ["get", "list", "watch", "create", "update", "patch", "delete"],
        },
      ],
      projectedConfig: {
        mountPath: "/etc/signalprocessing/policies",
        configMaps: [
          { name: "signalprocessing-environment-policy", files: { "environment.rego": "package signalprocessing.environment\n" } },
          { name: "signalprocessing-priority-policy", files: { "priority.rego": "package signalprocessing.priority\n" } },
        ],
      },
      serviceName: "signalprocessing-controller-metrics",
      ...(waitForDataStorage === true ? { startAfter: { datastorage: dataStorage.url } } : {}),
      ...overrides,
    });
    return { hostUrls: controller.hostUrls, ready: controller.ready };
  });
}

describe("ServiceDeployment graph", () => {
  it("GIVEN a controller that watches CRDs WHEN captured THEN its Deployment waits for the CRDs, its config, permissions and image, and nothing of the data tier", async () => {
    const { graph, outputs } = await stack();
    const sp = graph.one({ type: "e2e-infra:index:ServiceDeployment" });
    const deployment = graph.one({ type: "kubernetes:apps/v1:Deployment", under: sp });
    const load = graph.one({ name: "sp-image-load" });
    for (const crd of graph.find({ type: "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition" }))
      expect(deployment.dependencies).toContain(crd.urn);
    expect(deployment.dependencies).toContain(load.urn);
    for (const config of graph.find({ type: "kubernetes:core/v1:ConfigMap", under: sp }))
      expect(deployment.dependencies).toContain(config.urn);
    expect(deployment.dependencies).toContain(graph.one({ type: "kubernetes:core/v1:ServiceAccount", under: sp }).urn);
    expect(deployment.dependencies).toContain(
      graph.one({ type: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", under: sp }).urn,
    );
    for (const component of ["Postgres", "Redis", "Migrations", "DataStorage"]) {
      for (const part of graph.descendants(graph.one({ type: `e2e-infra:index:${component}` }))) {
        expect(graph.dependsOn(deployment, part), `${deployment.name} -> ${part.name}`).toBe(false);
      }
    }
    expect(graph.dependsOn(deployment, graph.one({ name: "ds-image-load" }))).toBe(false);
    expect(outputs).toStrictEqual({ hostUrls: { metrics: "http://localhost:9182" }, ready: "signalprocessing-controller" });
  });

  it("GIVEN startAfter DataStorage WHEN captured THEN the Deployment waits for DataStorage to be ready", async () => {
    const { graph } = await stack({ waitForDataStorage: true });
    const deployment = graph.one({
      type: "kubernetes:apps/v1:Deployment",
      under: graph.one({ type: "e2e-infra:index:ServiceDeployment" }),
    });
    expect(
      graph.dependsOn(
        deployment,
        graph.one({ type: "kubernetes:apps/v1:Deployment", under: graph.one({ type: "e2e-infra:index:DataStorage" }) }),
      ),
    ).toBe(true);
  });

  it("GIVEN the controller WHEN captured THEN its objects are the reference's and validate against the schema", async () => {
    const { graph } = await stack({ coverage: true });
    const sp = graph.one({ type: "e2e-infra:index:ServiceDeployment" });
    const pod = (
      graph.one({ type: "kubernetes:apps/v1:Deployment", under: sp }).inputs["spec"] as { template: { spec: Record<string, unknown> } }
    ).template.spec;
    const container = (pod["containers"] as Array<Record<string, unknown>>)[0]!;
    expect(container["env"]).toStrictEqual([
      { name: "NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
      { name: "DATA_STORAGE_URL", value: "http://datastorage.kubernaut-system.svc.cluster.local:8080" },
      { name: "GOCOVERDIR", value: "/coverdata" },
    ]);
    expect(container["readinessProbe"]).toStrictEqual({
      httpGet: { path: "/readyz", port: "health" },
      initialDelaySeconds: 5,
      periodSeconds: 10,
    });
    expect(pod["volumes"]).toContainEqual({
      name: "projected-config",
      projected: {
        sources: [
          { configMap: { name: "signalprocessing-environment-policy" } },
          { configMap: { name: "signalprocessing-priority-policy" } },
        ],
      },
    });
    expect(pod["securityContext"]).toStrictEqual({ runAsUser: 0, runAsGroup: 0 });
    // An ImageBuildLoad's image is only in the cluster: never pulled.
    expect([container["image"], container["imagePullPolicy"]]).toStrictEqual([
      expect.stringMatching(/^localhost\/signalprocessing-controller:[0-9a-f]{16}$/),
      "Never",
    ]);
    expect(graph.one({ type: "kubernetes:core/v1:Service", under: sp }).inputs["spec"]).toMatchObject({
      type: "NodePort",
      ports: [{ name: "metrics", port: 9090, targetPort: "metrics", nodePort: 30182 }],
    });
    for (const part of graph.descendants(sp)) expect(part.deletedWith).toBe(graph.one({ name: "kind-cluster" }).urn);
    expect(await validateKubernetesResources(graph)).toMatchObject({ withoutSchema: [] });
  });
});

describe("ServiceDeployment of a registry image", () => {
  const WEBHOOK = "docker.io/mockserver/mockserver:5.15.0";

  /** A mock webhook from a registry, as a suite deploys one beside the service under test. */
  function webhook(image: Partial<Omit<RegistryImageArgs, "cluster">> = {}) {
    return capture(() => {
      const cluster = new KindCluster("kind", { name: "notification-e2e" });
      const namespace = new k8s.core.v1.Namespace("ns", { metadata: { name: "kubernaut-system" } }, inClusterOptions(cluster, cluster))
        .metadata.name;
      const mock = new RegistryImage("webhook-image", { cluster, image: WEBHOOK, ...image });
      const deployment = new ServiceDeployment("webhook", {
        cluster,
        namespace,
        image: mock,
        ports: [{ name: "http", containerPort: 1080, servicePort: 1080 }],
      });
      return { ready: deployment.ready, host: deployment.host };
    });
  }
  const container = (deployment: { inputs: Record<string, unknown> }) =>
    (deployment.inputs["spec"] as { template: { spec: { containers: Array<Record<string, unknown>> } } }).template.spec.containers[0]!;

  it("GIVEN a RegistryImage without preload WHEN captured THEN nothing runs on the host for it and the container pulls the reference IfNotPresent", async () => {
    const { graph, outputs } = await webhook();
    const deployment = graph.one({ type: "kubernetes:apps/v1:Deployment" });
    expect(graph.find({ type: "pulumi-nodejs:dynamic:HostCommand" }).map((r) => r.name)).toStrictEqual(["kind-cluster"]);
    expect(graph.descendants(graph.one({ type: "e2e-infra:index:RegistryImage" }))).toStrictEqual([]);
    expect(container(deployment)).toMatchObject({ name: "webhook", image: WEBHOOK, imagePullPolicy: "IfNotPresent" });
    expect(outputs).toStrictEqual({ ready: "webhook", host: "webhook.kubernaut-system.svc.cluster.local" });
    expect(await validateKubernetesResources(graph)).toMatchObject({ withoutSchema: [] });
  });

  it("GIVEN a preloaded RegistryImage WHEN captured THEN the Deployment waits for the load (and so the pull), IfNotPresent", async () => {
    const { graph } = await webhook({ preload: true });
    const deployment = graph.one({ type: "kubernetes:apps/v1:Deployment" });
    const load = graph.one({ name: "webhook-image-load" });
    expect(deployment.dependencies).toContain(load.urn);
    expect(graph.dependsOn(deployment, load)).toBe(true);
    expect(graph.dependsOn(deployment, graph.one({ name: "webhook-image-pull" }))).toBe(true);
    expect(container(deployment)).toMatchObject({ image: WEBHOOK, imagePullPolicy: "IfNotPresent" });
  });

  it("GIVEN a reference that is no image reference WHEN the RegistryImage is constructed THEN it fails naming image, before the Deployment exists", async () => {
    await expect(webhook({ image: "MockServer/mockserver:5.15.0" })).rejects.toThrow(
      'RegistryImage "webhook-image": image is "MockServer/mockserver:5.15.0"; expected an image reference',
    );
  });

  it.each<[string, unknown, string]>([
    [
      "an image reference instead of a component",
      WEBHOOK,
      `ServiceDeployment "webhook": image is "${WEBHOOK}"; expected an ImageBuildLoad or a RegistryImage (with image)`,
    ],
    [
      "a pull policy Kubernetes does not know",
      { image: WEBHOOK, pullPolicy: "Sometimes" },
      'ServiceDeployment "webhook": image.pullPolicy is "Sometimes"; expected one of "Never", "IfNotPresent", "Always"',
    ],
  ])("GIVEN %s as the image THEN construction fails naming it", async (_, image, message) => {
    const run = capture(() => {
      const cluster = new KindCluster("kind", { name: "notification-e2e" });
      new ServiceDeployment("webhook", { cluster, namespace: "kubernaut-system", image: image as RegistryImage });
    });
    await expect(run).rejects.toThrow(message);
  });
});

describe("ServiceDeployment bad input", () => {
  it.each<[string, Options, RegExp]>([
    [
      "an RBAC rule without verbs",
      { clusterRules: [{ apiGroups: [""], resources: ["pods"], verbs: [] }] },
      /ServiceDeployment "sp": clusterRules\[0\]\.verbs is \[\]; expected at least one verb/,
    ],
    [
      "an unknown verb",
      { rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["read"] }] },
      /rules\[0\]\.verbs is "read"; expected one of get, list/,
    ],
    [
      "a port name used twice",
      {
        ports: [
          { name: "http", containerPort: 8080 },
          { name: "http", containerPort: 8081 },
        ],
      },
      /ports\[1\]\.name is "http"; expected each port name once/,
    ],
    [
      "a probe on a port the container does not expose",
      { ports: [{ name: "metrics", containerPort: 9090 }], readinessProbe: { path: "/readyz", port: "health" } },
      /readinessProbe\.port is "health"; expected a port the container exposes: metrics \(9090\)/,
    ],
    [
      "a NodePort taken by DataStorage",
      { ports: [{ name: "http", containerPort: 8080, nodePort: 30081 }] },
      /ports\[0\]\.nodePort is 30081; NodePort 30081 is already used by DataStorage "ds" nodePort/,
    ],
    [
      "a port name too long",
      { ports: [{ name: "metrics-endpoint-x", containerPort: 9090 }] },
      /ports\[0\]\.name is "metrics-endpoint-x"; expected a port name/,
    ],
    // A Service name must start with a letter (DNS-1035); a workload name need not.
    ["a Service name starting with a digit", { serviceName: "9metrics" }, /serviceName is "9metrics"; expected a DNS-1035 label/],
    // Each startAfter name becomes the annotation key e2e-infra.dev/after-<name>, a qualified name.
    [
      "a startAfter name that makes no annotation key",
      { startAfter: { "data storage": "x" } },
      /startAfter is "data storage"; expected names that make an annotation key e2e-infra.dev\/after-<name>: .* at most 57 characters/,
    ],
    [
      "args as one string",
      { args: "--config=/etc/sp.yaml" as unknown as string[] },
      /args is "--config=\/etc\/sp.yaml"; expected a list of strings/,
    ],
    [
      "env as one string",
      { env: "FOO=bar" as unknown as Options["env"] },
      /env is "FOO=bar"; expected a map of environment variable names to values/,
    ],
    [
      "a probe period given as a string",
      {
        ports: [{ name: "health", containerPort: 8081 }],
        readinessProbe: { path: "/readyz", port: "health", periodSeconds: "2" as unknown as number },
      },
      /readinessProbe\.periodSeconds is "2"; expected a whole number, 1 or more/,
    ],
    [
      "a limit that is no quantity",
      { resources: { limits: { memory: "lots" } } },
      /resources\.limits\["memory"\] is "lots"; expected a Kubernetes quantity/,
    ],
    [
      "a ConfigMap name that is no DNS-1123 subdomain",
      { configMaps: [{ name: "SP_Config", mountPath: "/etc/sp", files: {} }] },
      /configMaps\[0\]\.name is "SP_Config"; expected a DNS-1123 subdomain/,
    ],
    ['coverage as the string "false"', { coverage: "false" as unknown as boolean }, /coverage is "false"; expected true or false/],
  ])("GIVEN %s THEN construction fails naming it", async (_, options, message) => {
    await expect(stack({ readinessProbe: undefined, livenessProbe: undefined, ...options })).rejects.toThrow(message);
  });

  it("GIVEN a CRD path that does not exist THEN the CRDs fail naming it", async () => {
    const run = capture(() => {
      const cluster = new KindCluster("kind", { name: "x" });
      new CustomResourceDefinitions("crds", { cluster, paths: [join(fixtures, "no-such-crds")] });
    });
    await expect(run).rejects.toThrow(/CustomResourceDefinitions "crds": paths\[0\] is ".*no-such-crds"; expected an existing CRD file/);
  });
});
