import { HOST_COMMAND_TYPE, inClusterOptions } from "@e2e-infra/core";
import { KindCluster } from "@e2e-infra/kind-cluster";
import { capture } from "@e2e-infra/testing";
import * as k8s from "@pulumi/kubernetes";
import { describe, expect, it } from "vitest";
import { LOAD_SCRIPT, PULL_SCRIPT, RegistryImage, type RegistryImageArgs } from "./index";

const PROMETHEUS = "quay.io/prometheus/prometheus:v2.53.0";

/** A kind cluster, a RegistryImage and a Pod that runs it, as a stack would have them. */
function environment(args: Partial<Omit<RegistryImageArgs, "cluster">> = {}, runtime?: "docker" | "podman") {
  return capture(
    () => {
      const cluster = new KindCluster("kind", { name: "reg-e2e", containerRuntime: runtime });
      const prometheus = new RegistryImage("prometheus", { cluster, image: PROMETHEUS, ...args });
      new k8s.core.v1.Pod(
        "prometheus",
        {
          metadata: { name: "prometheus", namespace: "default" },
          spec: { containers: [{ name: "prometheus", image: prometheus.image, imagePullPolicy: prometheus.pullPolicy }] },
        },
        inClusterOptions(cluster, cluster),
      );
      return { image: prometheus.image, pullPolicy: prometheus.pullPolicy, reference: prometheus.reference };
    },
    { project: "e2e", stack: "reg-e2e" },
  );
}

describe("RegistryImage graph", () => {
  it("GIVEN no preload WHEN captured THEN nothing runs on the host and the pod takes the reference, IfNotPresent, at once", async () => {
    const { graph, outputs } = await environment();
    const component = graph.one({ type: "e2e-infra:index:RegistryImage" });
    expect(graph.descendants(component)).toStrictEqual([]);
    expect(graph.find({ type: HOST_COMMAND_TYPE }).map((r) => r.name)).toStrictEqual(["kind-cluster"]);
    const pod = graph.one({ type: "kubernetes:core/v1:Pod" });
    expect(pod.inputs["spec"]).toStrictEqual({
      containers: [{ name: "prometheus", image: PROMETHEUS, imagePullPolicy: "IfNotPresent" }],
    });
    // The pod waits for the cluster (its provider), not for anything of the image.
    expect(graph.dependsOn(pod, component)).toBe(false);
    expect(outputs).toStrictEqual({ image: PROMETHEUS, pullPolicy: "IfNotPresent", reference: PROMETHEUS });
  });

  it("GIVEN preload WHEN captured THEN the pull waits for nothing, the load for the pull and the cluster, and the pod for the load", async () => {
    const { graph, outputs } = await environment({ preload: true });
    const component = graph.one({ type: "e2e-infra:index:RegistryImage" });
    expect(
      graph
        .descendants(component)
        .map((r) => `${r.type} ${r.name}`)
        .sort(),
    ).toStrictEqual([`${HOST_COMMAND_TYPE} prometheus-load`, `${HOST_COMMAND_TYPE} prometheus-pull`]);
    const pull = graph.one({ name: "prometheus-pull" });
    const load = graph.one({ name: "prometheus-load" });
    const cluster = graph.one({ name: "kind-cluster" });
    const pod = graph.one({ type: "kubernetes:core/v1:Pod" });

    expect(pull.dependencies).toStrictEqual([]);
    expect(graph.independent(pull, cluster)).toBe(true);
    expect([...load.dependencies].sort()).toStrictEqual([pull.urn, cluster.urn].sort());
    expect(pod.dependencies).toContain(load.urn);
    expect(graph.dependsOn(pod, pull)).toBe(true);

    expect(pull.inputs["create"]).toBe(PULL_SCRIPT);
    expect(pull.inputs["environment"]).toStrictEqual({ IMAGE_TOOL: "docker", IMAGE: PROMETHEUS });
    // The load is ImageBuildLoad's: the same script, environment and trigger.
    expect([load.inputs["create"], load.inputs["update"]]).toStrictEqual([LOAD_SCRIPT, LOAD_SCRIPT]);
    expect(load.inputs["environment"]).toStrictEqual({
      IMAGE: PROMETHEUS,
      IMAGE_TOOL: "docker",
      KIND_CLUSTER_NAME: "reg-e2e",
      ARCHIVE_PREFIX: "e2e-infra-e2e-reg-e2e-prometheus",
    });
    expect(load.inputs["triggers"]).toStrictEqual(["kind-cluster-id"]);
    expect(load.propertyDependencies["triggers"]).toStrictEqual([cluster.urn]);
    expect((pod.inputs["spec"] as { containers: unknown[] }).containers).toStrictEqual([
      { name: "prometheus", image: PROMETHEUS, imagePullPolicy: "IfNotPresent" },
    ]);
    expect(outputs).toStrictEqual({ image: PROMETHEUS, pullPolicy: "IfNotPresent", reference: PROMETHEUS });
  });

  it("GIVEN preload on a Podman cluster THEN podman pulls and saves it, and kind runs its nodes in Podman; a containerRuntime given wins", async () => {
    const podman = await environment({ preload: true }, "podman");
    expect(podman.graph.one({ name: "prometheus-pull" }).inputs["environment"]).toStrictEqual({ IMAGE_TOOL: "podman", IMAGE: PROMETHEUS });
    expect(podman.graph.one({ name: "prometheus-load" }).inputs["environment"]).toMatchObject({
      IMAGE_TOOL: "podman",
      KIND_EXPERIMENTAL_PROVIDER: "podman",
    });
    const docker = await environment({ preload: true, containerRuntime: "docker" }, "podman");
    expect(docker.graph.one({ name: "prometheus-pull" }).inputs["environment"]).toMatchObject({ IMAGE_TOOL: "docker" });
  });

  it("GIVEN a digest-pinned reference and preload WHEN captured twice THEN the inputs are the same", async () => {
    const image = `quay.io/dexidp/dex@sha256:${"0123456789abcdef".repeat(4)}`;
    const first = await environment({ image, preload: true });
    const second = await environment({ image, preload: true });
    expect(first.outputs["image"]).toBe(image);
    expect(second.graph.resources.map((r) => r.inputs)).toStrictEqual(first.graph.resources.map((r) => r.inputs));
  });
});

describe("RegistryImage bad input", () => {
  it.each<[string, Partial<RegistryImageArgs>, string]>([
    [
      "an upper-case repository",
      { image: "quay.io/Prometheus/prometheus:v2" },
      'RegistryImage "prometheus": image is "quay.io/Prometheus/prometheus:v2"; expected an image reference such as "quay.io/prometheus/prometheus:v2.53.0"',
    ],
    [
      "a reference with a space",
      { image: "prom/prometheus v2" },
      'RegistryImage "prometheus": image is "prom/prometheus v2"; expected an image reference',
    ],
    ["no image", { image: undefined }, 'RegistryImage "prometheus": image is missing; expected an image reference'],
    [
      "preload as a string",
      { preload: "true" as unknown as boolean },
      'RegistryImage "prometheus": preload is "true"; expected true or false',
    ],
    [
      "a runtime kind does not load from",
      { containerRuntime: "nerdctl" as "docker" },
      'RegistryImage "prometheus": containerRuntime is "nerdctl"; expected "docker" or "podman"',
    ],
  ])("GIVEN %s WHEN constructed THEN it fails naming the argument, before anything of it is registered", async (_, bad, message) => {
    await expect(environment(bad)).rejects.toThrow(message);
    const { graph } = await capture(() => {
      const cluster = new KindCluster("kind", { name: "reg-e2e" });
      try {
        new RegistryImage("prometheus", { cluster, image: PROMETHEUS, ...bad });
      } catch {
        /* asserted above */
      }
    });
    expect(graph.find({ name: /^prometheus/ })).toStrictEqual([]);
  });

  it("GIVEN a cluster that is no kind cluster THEN it fails naming cluster", async () => {
    const run = capture(() => new RegistryImage("prometheus", { cluster: "reg-e2e" as unknown as KindCluster, image: PROMETHEUS }));
    await expect(run).rejects.toThrow('RegistryImage "prometheus": cluster is "reg-e2e"; expected a kind cluster (a KindCluster)');
  });
});
