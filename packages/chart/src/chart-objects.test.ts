import { inClusterOptions, type ManifestObject } from "@e2e-infra/core";
import { KindCluster } from "@e2e-infra/kind-cluster";
import { capture, notRunHere, toolMissing, validateKubernetesResources } from "@e2e-infra/testing";
import * as k8s from "@pulumi/kubernetes";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ChartObjects, podReferences, renderChart, type ChartObjectsArgs } from "./index";

// ChartObjects' tests take the fixture chart as the real helm renders it; podReferences' need no helm.
const noHelm = notRunHere("ChartObjects over the fixture chart (rendered with the real helm)", toolMissing("helm"));
const objects = noHelm
  ? []
  : renderChart('Test "app"', {
      chart: join(__dirname, "..", "test", "fixtures", "app"),
      release: "demo",
      namespace: "apps",
      values: { image: "localhost/app:placeholder" },
      templates: ["templates/app.yaml", "templates/hook-job.yaml"],
      kubeVersion: "1.36.1",
    });

function environment(extra: Partial<ChartObjectsArgs> = {}) {
  return capture(() => {
    const cluster = new KindCluster("kind", { name: "chart-e2e" });
    const namespace = new k8s.core.v1.Namespace("namespace", { metadata: { name: "apps" } }, inClusterOptions(cluster, cluster));
    const credentials = new k8s.core.v1.Secret(
      "credentials",
      { metadata: { name: "app-credentials", namespace: namespace.metadata.name }, stringData: { password: "p" } },
      inClusterOptions(cluster, cluster),
    );
    const image = new k8s.core.v1.ConfigMap("image-loaded", { metadata: { namespace: "default" } }, inClusterOptions(cluster, cluster));
    new ChartObjects("app", {
      cluster,
      namespace: namespace.metadata.name,
      objects,
      images: { "localhost/app:placeholder": image.metadata.apply(() => "localhost/app:0123abcd") },
      references: { "Secret/app-credentials": credentials.metadata.name },
      ...extra,
    });
  });
}

describe.skipIf(noHelm)("ChartObjects", () => {
  it("GIVEN rendered objects THEN each is its own typed resource, and each workload waits for exactly what it names", async () => {
    const { graph } = await environment();
    const name = (n: string) => graph.one({ name: n });
    expect(
      graph
        .children(graph.one({ type: "e2e-infra:index:ChartObjects" }))
        .map((r) => `${r.type} ${r.name}`)
        .sort(),
    ).toStrictEqual([
      "kubernetes:apps/v1:Deployment app-deployment-app",
      "kubernetes:batch/v1:Job app-job-demo-setup",
      "kubernetes:core/v1:ConfigMap app-configmap-app-config",
      "kubernetes:core/v1:Service app-service-app",
      "kubernetes:core/v1:ServiceAccount app-serviceaccount-app",
      "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole app-clusterrole-app-reader",
    ]);
    const namespace = name("namespace").urn;
    for (const resource of ["app-serviceaccount-app", "app-configmap-app-config", "app-service-app"]) {
      expect([...name(resource).dependencies]).toStrictEqual([namespace]);
    }
    expect([...name("app-clusterrole-app-reader").dependencies]).toStrictEqual([]);
    // The Deployment: its namespace, ServiceAccount, ConfigMap, the stack's Secret and its image; not the Service.
    expect([...name("app-deployment-app").dependencies].sort()).toStrictEqual(
      [
        namespace,
        name("app-serviceaccount-app").urn,
        name("app-configmap-app-config").urn,
        name("credentials").urn,
        name("image-loaded").urn,
      ].sort(),
    );
    expect([...name("app-job-demo-setup").dependencies].sort()).toStrictEqual([namespace, name("image-loaded").urn].sort());
    const deployment = name("app-deployment-app").inputs as { spec: { template: { spec: { containers: { image: string }[] } } } };
    expect(deployment.spec.template.spec.containers[0]!.image).toBe("localhost/app:0123abcd");
    // Services are not awaited (their endpoints come with the pods, whose own await covers them).
    expect((name("app-service-app").inputs["metadata"] as { annotations: unknown }).annotations).toStrictEqual({
      "pulumi.com/skipAwait": "true",
    });
    expect(await validateKubernetesResources(graph)).toMatchObject({ withoutSchema: [] });
  });

  it("GIVEN patches, omit and dependsOn THEN the patched object is registered, the omitted one is not, and the extra edge is there", async () => {
    const { graph } = await environment({
      omit: ["ClusterRole/app-reader"],
      patches: {
        "Service/app": (service: ManifestObject) => ({ ...service, spec: { ...(service["spec"] as object), type: "NodePort" } }),
      },
      dependsOn: { "Job/demo-setup": [] },
    });
    expect(graph.find({ name: "app-clusterrole-app-reader" })).toStrictEqual([]);
    expect(graph.one({ name: "app-service-app" }).inputs["spec"]).toMatchObject({ type: "NodePort" });
  });

  it("GIVEN keys that name no rendered object, an unused image, an unresolved reference or a kind it does not register THEN the preview fails naming it", async () => {
    await expect(environment({ omit: ["ClusterRole/app-writer"] })).rejects.toThrow(
      /omit\["ClusterRole\/app-writer"\] is "ClusterRole\/app-writer"; expected a rendered Kind\/name: ServiceAccount\/app, ConfigMap\/app-config/,
    );
    await expect(environment({ patches: { "Deployment/ap": (o: ManifestObject) => o } })).rejects.toThrow(/patches\["Deployment\/ap"\]/);
    await expect(environment({ images: { "localhost/other:placeholder": "x" } })).rejects.toThrow(
      /images\["localhost\/other:placeholder"\] .*expected an image a rendered pod template runs/,
    );
    await expect(environment({ references: {} })).rejects.toThrow(
      /expected Secret\/app-credentials \(Deployment\/app refers to it at spec.template.spec.containers\[0\].env\[0\].valueFrom.secretKeyRef.name\)/,
    );
    const pdb = { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "app", namespace: "apps" } };
    await expect(environment({ objects: [...objects, pdb] })).rejects.toThrow(
      /objects is "policy\/v1 PodDisruptionBudget\/app"; expected one of the kinds ChartObjects registers .*, or omit it/,
    );
    await expect(environment({ objects: [...objects, objects[0]!] })).rejects.toThrow(
      /objects is "ServiceAccount\/app"; expected each Kind\/name once/,
    );
    await expect(environment({ objects: [] })).rejects.toThrow(/objects is \[\]; expected the objects renderChart returned/);
  });
});

describe("podReferences", () => {
  it("GIVEN a pod template THEN its ServiceAccount, pull Secrets, volumes (projected too), env and envFrom references, but not the cluster's root CA", () => {
    const job: ManifestObject = {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "j" },
      spec: {
        template: {
          spec: {
            serviceAccountName: "sa",
            imagePullSecrets: [{ name: "pull" }],
            volumes: [
              { name: "a", configMap: { name: "cm" } },
              { name: "b", secret: { secretName: "tls" } },
              { name: "c", persistentVolumeClaim: { claimName: "data" } },
              { name: "d", projected: { sources: [{ secret: { name: "s1" } }, { configMap: { name: "cm2" } }] } },
              // The cluster publishes it in every namespace: nothing to make or wait for.
              {
                name: "token",
                projected: { sources: [{ serviceAccountToken: { path: "token" } }, { configMap: { name: "kube-root-ca.crt" } }] },
              },
              { name: "e", emptyDir: {} },
            ],
            initContainers: [{ name: "i", envFrom: [{ secretRef: { name: "s2" } }, { configMapRef: { name: "cm3" } }] }],
            containers: [
              {
                name: "m",
                env: [
                  { name: "X", valueFrom: { configMapKeyRef: { name: "cm4", key: "k" } } },
                  { name: "Y", value: "y" },
                ],
              },
            ],
          },
        },
      },
    };
    expect(podReferences(job).map((r) => `${r.key} @ ${r.path}`)).toStrictEqual([
      "ServiceAccount/sa @ spec.template.spec.serviceAccountName",
      "Secret/pull @ spec.template.spec.imagePullSecrets[0].name",
      "ConfigMap/cm @ spec.template.spec.volumes[0].configMap.name",
      "Secret/tls @ spec.template.spec.volumes[1].secret.secretName",
      "PersistentVolumeClaim/data @ spec.template.spec.volumes[2].persistentVolumeClaim.claimName",
      "Secret/s1 @ spec.template.spec.volumes[3].projected.sources[0].secret.name",
      "ConfigMap/cm2 @ spec.template.spec.volumes[3].projected.sources[1].configMap.name",
      "Secret/s2 @ spec.template.spec.initContainers[0].envFrom[0].secretRef.name",
      "ConfigMap/cm3 @ spec.template.spec.initContainers[0].envFrom[1].configMapRef.name",
      "ConfigMap/cm4 @ spec.template.spec.containers[0].env[0].valueFrom.configMapKeyRef.name",
    ]);
    expect(podReferences({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" } })).toStrictEqual([]);
  });
});
