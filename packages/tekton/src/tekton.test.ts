import { hostCommand, inClusterOptions, type ManifestObject } from "@e2e-infra/core";
import { KindCluster } from "@e2e-infra/kind-cluster";
import { capture, validateKubernetesObject } from "@e2e-infra/testing";
import * as k8s from "@pulumi/kubernetes";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Tekton, type TektonArgs } from "./index";

const release = join(__dirname, "..", "test", "fixtures", "release.yaml");

function authFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), "auth-")), "auth.json");
  writeFileSync(file, JSON.stringify({ auths: { "quay.io": { auth: "dXNlcjpwYXNz" } } }));
  return file;
}

function environment(args: Partial<Omit<TektonArgs, "cluster">> = {}) {
  return capture(() => {
    const cluster = new KindCluster("kind", { name: "we-e2e" });
    hostCommand("image-build", { create: "podman build .", environment: {} }, {});
    const workflows = new k8s.core.v1.Namespace(
      "workflows",
      { metadata: { name: "kubernaut-workflows" } },
      inClusterOptions(cluster, cluster),
    );
    const tekton = new Tekton("tekton", { cluster, manifestFile: release, workloadNamespace: workflows.metadata.name, ...args });
    new k8s.apiextensions.CustomResource(
      "pipeline",
      {
        apiVersion: "tekton.dev/v1",
        kind: "Pipeline",
        metadata: { name: "test-hello-world", namespace: "kubernaut-workflows", annotations: { "e2e-infra.dev/tekton": tekton.ready } },
        spec: { tasks: [] },
      },
      inClusterOptions(cluster, cluster),
    );
    return { ready: tekton.ready };
  });
}

describe("Tekton", () => {
  it("GIVEN a release WHEN captured THEN Tekton depends on the cluster only, its CRDs go through the provider for CRDs, its webhook is probed after both, and a Pipeline waits for that", async () => {
    const { graph, outputs } = await environment();
    const tekton = graph.one({ type: "e2e-infra:index:Tekton" });
    const group = graph.one({ name: "tekton-release" });
    const crds = graph.one({ name: "tekton-crds" });
    const namespaces = graph.find({ type: "kubernetes:core/v1:Namespace", under: tekton });
    const clusterCommand = graph.one({ name: "kind-cluster" });
    const provider = graph.one({ name: "kind-provider" });
    const crdProvider = graph.one({ name: "kind-crd-provider" });

    expect(namespaces.map((n) => n.name).sort()).toStrictEqual(["tekton-tekton-pipelines", "tekton-tekton-pipelines-resolvers"]);
    const serves = graph.one({ name: "tekton-webhook-serves" });
    const allowed = new Set([provider.urn, crdProvider.urn, clusterCommand.urn, ...namespaces.map((n) => n.urn)]);
    for (const part of graph.descendants(tekton).filter((part) => part !== serves)) {
      for (const urn of graph.transitiveDependencies(part)) expect(allowed.has(urn), `${part.name} -> ${urn}`).toBe(true);
      expect(part.deletedWith).toBe(clusterCommand.urn);
      expect(graph.independent(part, graph.one({ name: "image-build" }))).toBe(true);
    }
    for (const namespace of namespaces)
      expect(graph.transitiveDependencies(namespace)).toStrictEqual(new Set([provider.urn, clusterCommand.urn]));
    expect([...group.dependencies].sort()).toStrictEqual(namespaces.map((n) => n.urn).sort());
    expect(group.provider).toBe(provider.urn);
    // The CRDs wait for nothing of the release, and the release for nothing of them.
    expect(crds.dependencies).toStrictEqual([]);
    expect(crds.provider).toBe(crdProvider.urn);
    expect((crds.inputs["objs"] as ManifestObject[]).map((o) => o.kind)).toStrictEqual([
      "CustomResourceDefinition",
      "CustomResourceDefinition",
    ]);
    expect(graph.independent(crds, group)).toBe(true);
    // The probe waits for the release and its CRDs, and for the cluster (its kubeconfig, a
    // secret): nothing else; a Pipeline waits for the probe.
    expect([...serves.dependencies].sort()).toStrictEqual([clusterCommand.urn, group.urn, crds.urn].sort());
    expect(serves.deletedWith).toBe(clusterCommand.urn);
    expect(serves.inputs["environment"]).toMatchObject({ NAMESPACE: "tekton-pipelines", TIMEOUT_SECONDS: "120" });
    expect(serves.secretInputs.some((path) => path === "environment" || path === "environment.KUBECONFIG_CONTENT")).toBe(true);
    expect([...graph.one({ name: "pipeline" }).dependencies]).toStrictEqual([serves.urn]);
    expect(outputs["ready"]).toBe("tekton-pipelines");
  });

  it("GIVEN the fixture release THEN ready means: CRDs Established, controller and webhook Available, webhook CA injected; nothing else is awaited", async () => {
    const { graph } = await environment();
    const objs = graph.find({ type: "kubernetes:yaml/v2:ConfigGroup" }).flatMap((group) => group.inputs["objs"] as ManifestObject[]);
    const awaited = Object.fromEntries(
      objs.map((o) => [`${o.kind} ${o.metadata.name}`, (o.metadata["annotations"] as Record<string, string> | undefined) ?? {}]),
    );
    expect(awaited).toStrictEqual({
      "ServiceAccount tekton-pipelines-controller": {},
      "ServiceAccount tekton-pipelines-webhook": {},
      "ClusterRole tekton-pipelines-controller-cluster-access": {},
      "ClusterRoleBinding tekton-pipelines-controller-cluster-access": {},
      "CustomResourceDefinition tasks.tekton.dev": { "pulumi.com/waitFor": "condition=Established" },
      "CustomResourceDefinition pipelines.tekton.dev": { "pulumi.com/waitFor": "condition=Established" },
      "Secret webhook-certs": {},
      "ValidatingWebhookConfiguration validation.webhook.pipeline.tekton.dev": {
        "pulumi.com/waitFor": "jsonpath={.webhooks[0].clientConfig.caBundle}",
      },
      "MutatingWebhookConfiguration webhook.pipeline.tekton.dev": { "pulumi.com/waitFor": "jsonpath={.webhooks[0].clientConfig.caBundle}" },
      "ConfigMap feature-flags": {},
      "Deployment tekton-pipelines-controller": {},
      "Deployment tekton-pipelines-webhook": {},
      "Service tekton-pipelines-webhook": { "pulumi.com/skipAwait": "true" },
      "ServiceAccount tekton-pipelines-resolvers": {},
      "Deployment tekton-pipelines-remote-resolvers": { "pulumi.com/skipAwait": "true" },
    });
    for (const object of objs)
      expect(await validateKubernetesObject(object), `${object.kind} ${object.metadata.name}`).toBe(object.kind !== "Never");
  });

  it("GIVEN a registry credentials file THEN a pull Secret in the resolvers' and the workload namespace, used by their ServiceAccounts", async () => {
    const { graph } = await environment({ dockerConfigFile: authFile() });
    const resolversNs = graph.one({ name: "tekton-tekton-pipelines-resolvers" });
    const resolversSecret = graph.one({ name: "tekton-resolvers-pull-secret" });
    const workloadSecret = graph.one({ name: "tekton-workload-pull-secret" });
    expect(resolversSecret.dependencies).toStrictEqual([resolversNs.urn]);
    expect(workloadSecret.dependencies).toStrictEqual([graph.one({ name: "workflows" }).urn]);
    expect(resolversSecret.inputs["type"]).toBe("kubernetes.io/dockerconfigjson");
    expect(resolversSecret.secretInputs).toStrictEqual(["stringData"]);
    expect(graph.one({ name: "tekton-workload-default-sa" }).inputs).toMatchObject({
      metadata: { name: "default", namespace: "kubernaut-workflows" },
      imagePullSecrets: [{ name: "quay-pull-secret" }],
    });
    const objs = graph.one({ name: "tekton-release" }).inputs["objs"] as ManifestObject[];
    expect(objs.find((o) => o.kind === "ServiceAccount" && o.metadata.name === "tekton-pipelines-resolvers")).toMatchObject({
      imagePullSecrets: [{ name: "quay-pull-secret" }],
    });
    // The file's content is a secret only in the Secrets, not in the manifest's objects.
    for (const group of graph.find({ type: "kubernetes:yaml/v2:ConfigGroup" })) expect(group.secretInputs).toStrictEqual([]);
  });

  it.each<[string, Partial<TektonArgs>, RegExp]>([
    [
      "a missing manifest",
      { manifestFile: "/nonexistent/release.yaml" },
      /Tekton "tekton": manifestFile is "\/nonexistent\/release.yaml"; expected an existing Tekton release manifest/,
    ],
    [
      "a manifest that is not a Tekton release",
      { manifestFile: join(__dirname, "..", "package.json") },
      /manifestFile is ".*package.json"; expected a Tekton Pipelines release: .*package.json: document 1 is not a Kubernetes object/,
    ],
    [
      "a manifest without the webhook",
      { manifestFile: join(__dirname, "..", "test", "fixtures", "no-webhook.yaml") },
      /expected a Tekton Pipelines release; it has no Deployment tekton-pipelines\/tekton-pipelines-webhook/,
    ],
    [
      "a missing credentials file",
      { dockerConfigFile: "~/.config/containers/no-such-auth.json" },
      /dockerConfigFile is "~\/.config\/containers\/no-such-auth.json"; expected an existing registry credentials file \(podman login writes/,
    ],
    // Without credentials there is no pull Secret, so the name would be dropped without a word.
    [
      "a pull Secret name without credentials",
      { pullSecretName: "quay-pull-secret" },
      /pullSecretName is "quay-pull-secret"; expected dockerConfigFile with it/,
    ],
    [
      "a pull Secret name that is no DNS-1123 subdomain",
      { dockerConfigFile: authFile(), pullSecretName: "Quay_Pull" },
      /pullSecretName is "Quay_Pull"; expected a DNS-1123 subdomain/,
    ],
    [
      "a workload namespace that is no DNS-1123 label",
      { workloadNamespace: "Kubernaut_Workflows" },
      /workloadNamespace is "Kubernaut_Workflows"; expected a namespace/,
    ],
  ])("GIVEN %s THEN construction fails naming it", async (_, args, message) => {
    await expect(environment(args)).rejects.toThrow(message);
  });
});
