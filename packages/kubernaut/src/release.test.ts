import { KindCluster } from "@e2e-infra/kind-cluster";
import { capture, fixtureCheckout, notRunHere, toolMissing, type ResourceGraph } from "@e2e-infra/testing";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KubernautRelease, type KubernautReleaseArgs } from "./index";

function release(extra: Partial<KubernautReleaseArgs> = {}) {
  return capture(() => {
    const cluster = new KindCluster("cluster", {
      name: "ds-e2e",
      kubeconfigPath: "~/.kube/ds-e2e-config",
      nodes: [{ role: "control-plane", extraPortMappings: [{ containerPort: 30081, hostPort: 28090 }] }],
    });
    new KubernautRelease("kubernaut", {
      cluster,
      repository: fixtureCheckout(),
      namespace: "datastorage-e2e",
      coverage: false,
      dataStorageNodePorts: { http: 30081, health: 30281, metrics: 30181 },
      postgresNodePort: 30432,
      ...extra,
    });
  });
}

type Pod = { spec: { template: { metadata?: { annotations?: Record<string, string> }; spec: Record<string, unknown> } } };
const pod = (graph: ResourceGraph, name: RegExp) => graph.one({ name }).inputs as unknown as Pod;

// Every case renders the stand-in checkout's chart with the real helm.
describe.skipIf(notRunHere("KubernautRelease (it renders the chart with the real helm)", toolMissing("helm")))("KubernautRelease", () => {
  it("GIVEN the chart THEN every image is a loaded content-hash tag, no chart placeholder is left", async () => {
    const { graph } = await release();
    const text = JSON.stringify(graph.resources.map((resource) => resource.inputs));
    expect(text).not.toContain("chart-placeholder");
    const images = [...text.matchAll(/"image":"([^"]+)"/g)].map((match) => match[1]).sort();
    expect(new Set(images)).toStrictEqual(
      new Set([
        expect.stringMatching(/^localhost\/kubernaut-datastorage:[0-9a-f]{16}$/) as string,
        expect.stringMatching(/^localhost\/kubernaut-db-migrate:[0-9a-f]{16}$/) as string,
        "postgres:16-alpine",
        "valkey/valkey:8-alpine",
      ]),
    );
  });

  it("GIVEN the migrations THEN the Job is named after the set and the database's claim, replaced when unready, and DataStorage's pods name it", async () => {
    const { graph } = await release();
    const job = graph.one({ type: "kubernetes:batch/v1:Job" });
    const claim = graph.one({ name: "kubernaut-chart-persistentvolumeclaim-postgresql-data" });
    const metadata = job.inputs["metadata"] as { name: string; annotations: Record<string, string> };
    // The mocks' claim uid is a UUID derived from the claim's name, as a real one is the claim's own.
    expect(metadata.name).toMatch(/^kubernaut-db-migration-[0-9a-f]{8}-[0-9a-f]{8}$/);
    expect(graph.dependsOn(job, claim)).toBe(true);
    expect(metadata.annotations["pulumi.com/replaceUnready"]).toBe("true");
    expect(job.inputs["spec"]).not.toHaveProperty("ttlSecondsAfterFinished");
    const configMap = graph.one({ name: "kubernaut-migrations-configmap-kubernaut-migrations" }).inputs;
    expect(configMap["immutable"]).toBe(true);
    expect((configMap["metadata"] as { name: string }).name).toMatch(/^kubernaut-migrations-[0-9a-f]{10}$/);
    expect(pod(graph, /-deployment-datastorage$/).spec.template.metadata?.annotations?.["e2e-infra.dev/migrations"]).toBe(metadata.name);
  });

  it("GIVEN the NodePorts the suite maps THEN DataStorage's Service has them on its http, health and metrics ports, and PostgreSQL's on its own", async () => {
    const { graph } = await release();
    const ports = (name: string) => graph.one({ name }).inputs["spec"] as { type: string; ports: { name: string; nodePort?: number }[] };
    expect(ports("kubernaut-chart-service-data-storage-service")).toMatchObject({
      type: "NodePort",
      ports: [
        { name: "http", nodePort: 30081 },
        { name: "health", nodePort: 30281 },
        { name: "metrics", nodePort: 30181 },
      ],
    });
    expect(ports("kubernaut-chart-service-postgresql")).toMatchObject({
      type: "NodePort",
      ports: [{ name: "postgresql", nodePort: 30432 }],
    });
  });

  it("GIVEN ports the suite does not map, on Services it does THEN each gets a NodePort from the top of the range, none is left to chance", async () => {
    const { graph } = await release({ dataStorageNodePorts: { http: 30081 }, services: { gateway: { nodePorts: { http: 30080 } } } });
    const ports = (name: string) => (graph.one({ name }).inputs["spec"] as { ports: { name: string; nodePort?: number }[] }).ports;
    expect(ports("kubernaut-chart-service-data-storage-service")).toMatchObject([
      { name: "http", nodePort: 30081 },
      { name: "health", nodePort: 32767 },
      { name: "metrics", nodePort: 32766 },
    ]);
    expect(ports("kubernaut-chart-service-gateway-service")).toMatchObject([
      { name: "http", nodePort: 30080 },
      { name: "health", nodePort: 32765 },
      { name: "metrics", nodePort: 32764 },
    ]);
  });

  it("GIVEN coverage THEN DataStorage writes GOCOVERDIR to the node's /coverdata as root; without it, none of that", async () => {
    const withCoverage = pod((await release({ coverage: true })).graph, /-deployment-datastorage$/).spec.template.spec;
    expect(withCoverage["securityContext"]).toMatchObject({ runAsNonRoot: false, runAsUser: 0, runAsGroup: 0 });
    expect(JSON.stringify(withCoverage["containers"])).toContain('{"name":"GOCOVERDIR","value":"/coverdata"}');
    expect(withCoverage["volumes"]).toContainEqual({ name: "coverdata", hostPath: { path: "/coverdata", type: "DirectoryOrCreate" } });
    const without = pod((await release()).graph, /-deployment-datastorage$/).spec.template.spec;
    expect(JSON.stringify(without)).not.toContain("coverdata");
  });

  it("GIVEN the Gateway and the ActionTypes THEN its image and Service NodePorts; it waits for the RemediationRequest CRD alone, the seed for the ActionType CRD alone", async () => {
    const { graph } = await release({
      namespace: "kubernaut-system",
      services: { gateway: { nodePorts: { http: 30080, health: 30180, metrics: 30090 } } },
      actionTypes: true,
    });
    const gateway = graph.one({ name: /-deployment-gateway$/ });
    expect(JSON.stringify((gateway.inputs as unknown as Pod).spec.template.spec)).toMatch(/localhost\/kubernaut-gateway:[0-9a-f]{16}/);
    expect(graph.one({ name: "kubernaut-chart-service-gateway-service" }).inputs["spec"]).toMatchObject({
      ports: [
        { name: "http", nodePort: 30080 },
        { name: "health", nodePort: 30180 },
        { name: "metrics", nodePort: 30090 },
      ],
    });
    const seed = graph.one({ name: "kubernaut-action-types" });
    for (const crd of graph.find({ type: "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition" })) {
      expect(graph.dependsOn(gateway, crd), crd.name).toBe(crd.name.endsWith("-remediationrequests.kubernaut.ai"));
      expect(graph.dependsOn(seed, crd), crd.name).toBe(crd.name.endsWith("-actiontypes.kubernaut.ai"));
    }
    // The Gateway serves plain HTTP: no certificate of its own (it trusts the CA's ConfigMap).
    expect(graph.find({ name: /gateway-service-secret$/ })).toStrictEqual([]);
    const environment = seed.inputs["environment"] as Record<string, string>;
    expect(environment["ACTION_TYPE_NAMES"]!.split("\n")).toHaveLength(11);
    // kubectl names the cluster's context: the kubeconfig may be a user's, with another context current.
    expect(environment["KUBE_CONTEXT"]).toMatch(/^kind-/);
    const kubectlLines = (seed.inputs["create"] as string)
      .split("\n")
      .filter((line) => /\bkubectl (?!is)/.test(line) && !line.includes("command -v"));
    expect(kubectlLines).toHaveLength(2);
    for (const line of kubectlLines) expect(line).toContain('kubectl --context "$KUBE_CONTEXT" ');
    expect(environment["ACTION_TYPES"]).toContain("kind: ActionType\nmetadata:\n  name: delete-pod\nspec:\n  name: DeletePod");
  });

  it("GIVEN the AuthWebhook THEN its serving certificate from the CA, and its webhook configurations carry the CA's bundle and wait for it to serve", async () => {
    const { graph } = await release({ namespace: "kubernaut-system", services: { authwebhook: {} } });
    const deployment = graph.one({ name: "kubernaut-chart-deployment-authwebhook" });
    expect(graph.dependsOn(deployment, graph.one({ name: "kubernaut-tls-authwebhook-secret" }))).toBe(true);
    const configurations = [
      ...graph.find({ type: "kubernetes:admissionregistration.k8s.io/v1:MutatingWebhookConfiguration" }),
      ...graph.find({ type: "kubernetes:admissionregistration.k8s.io/v1:ValidatingWebhookConfiguration" }),
    ];
    expect(configurations).toHaveLength(2);
    for (const configuration of configurations) {
      expect(graph.dependsOn(configuration, deployment), configuration.name).toBe(true);
      expect(graph.dependsOn(configuration, graph.one({ name: "kubernaut-chart-service-authwebhook" })), configuration.name).toBe(true);
      const webhooks = configuration.inputs["webhooks"] as { clientConfig: { caBundle?: string } }[];
      expect(webhooks.length).toBeGreaterThan(0);
      // The mocks' CA certificate, base64-encoded as clientConfig.caBundle wants it.
      for (const webhook of webhooks) expect(Buffer.from(webhook.clientConfig.caBundle!, "base64").toString()).toMatch(/CERTIFICATE/);
    }
    // Nothing else waits for the AuthWebhook: it is not on DataStorage's or the data tier's path.
    const waiting = graph.resources.filter((resource) => resource !== deployment && graph.dependsOn(resource, deployment));
    expect(waiting.map((resource) => resource.name).sort()).toStrictEqual(configurations.map((resource) => resource.name).sort());
  });

  it("GIVEN a service's own patch of an object the release patches too THEN both apply, the release's first", async () => {
    const { graph } = await release({
      namespace: "kubernaut-system",
      services: {
        signalprocessing: {
          nodePorts: { metrics: 30182 },
          values: { policies: { content: "package signalprocessing\n" } },
          patches: {
            "Service/signalprocessing-controller-metrics": (service) => ({
              ...service,
              metadata: { ...service.metadata, labels: { patched: "yes" } },
            }),
          },
        },
      },
    });
    const service = graph.one({ name: "kubernaut-chart-service-signalprocessing-controller-metrics" }).inputs;
    expect(service["metadata"]).toMatchObject({ labels: { patched: "yes" } });
    expect(service["spec"]).toMatchObject({ type: "NodePort", ports: [{ name: "metrics", nodePort: 30182 }] });
  });

  it("GIVEN a chart that renders an object into another namespace THEN the preview fails naming it, before anything is registered", async () => {
    const checkout = join(mkdtempSync(join(tmpdir(), "kubernaut-release-")), "kubernaut");
    cpSync(fixtureCheckout(), checkout, { recursive: true, verbatimSymlinks: true });
    const template = join(checkout, "charts/kubernaut/templates/workflowexecution/workflowexecution.yaml");
    writeFileSync(
      template,
      readFileSync(template, "utf8") +
        "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: reader\n  namespace: kubernaut-workflows\nrules: []\n",
    );
    const captured = release({ repository: checkout, namespace: "kubernaut-system", services: { workflowexecution: {} } });
    await expect(captured).rejects.toThrow(
      `KubernautRelease "kubernaut": repository is "${checkout}"; expected the chart to render its objects into the release namespace kubernaut-system; it renders Role/reader into kubernaut-workflows`,
    );
  });
  it("GIVEN secrets the chart's objects mount and values beside the services' THEN each Secret is made in the namespace with secret data, the pods that mount it wait for it, and the values reach the render", async () => {
    const { graph } = await release({
      services: {
        notification: {
          definition: {
            templates: ["templates/notification/notification.yaml"],
            dockerfile: "docker/notification-controller.Dockerfile",
            goPackage: "cmd/notification",
            service: "notification-metrics",
            ports: ["metrics"],
            deployment: "notification-controller",
            watches: ["notificationrequests.kubernaut.ai"],
          },
          values: { credentials: [{ name: "slack-success", secretName: "delivery-credentials", secretKey: "slack" }] },
        },
      },
      secrets: { "delivery-credentials": { slack: "http://mock-webhook:8080/webhook" } },
      values: { notification: { logging: { level: "DEBUG" } } },
    });
    const secret = graph.one({ name: "kubernaut-secret-delivery-credentials" });
    expect(secret.inputs).toMatchObject({
      metadata: { name: "delivery-credentials", namespace: "datastorage-e2e" },
      stringData: { slack: "http://mock-webhook:8080/webhook" },
    });
    expect(secret.secretInputs).toContain("stringData");
    const deployment = graph.one({ name: "kubernaut-chart-deployment-notification-controller" });
    expect(graph.dependsOn(deployment, secret)).toBe(true);
    // The merged value, beside the service's own (its credentials) and the release's (its image).
    const config = graph.one({ name: "kubernaut-chart-configmap-notification-controller-config" }).inputs as {
      data: Record<string, string>;
    };
    expect(Object.values(config.data).join("\n")).toContain('level: "DEBUG"');
  });
});
