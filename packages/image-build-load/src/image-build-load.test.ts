import { capture, validateKubernetesResources, type ResourceGraph } from "@e2e-infra/testing";
import { inClusterOptions } from "@e2e-infra/core";
import { KindCluster } from "@e2e-infra/kind-cluster";
import * as k8s from "@pulumi/kubernetes";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUILD_SCRIPT, ImageBuildLoad, type ImageBuildLoadArgs } from "./index";

function buildContext(): string {
  const dir = mkdtempSync(join(tmpdir(), "ibl-context-"));
  mkdirSync(join(dir, "docker"));
  writeFileSync(join(dir, "docker", "app.Dockerfile"), "FROM scratch\nCOPY hello.txt /hello.txt\n");
  writeFileSync(join(dir, "hello.txt"), "hello\n");
  return dir;
}

type Options = Omit<ImageBuildLoadArgs, "cluster">;

async function environment(options: Options, runtime?: "docker" | "podman") {
  return capture(() => {
    const cluster = new KindCluster("kind", { name: "ibl-e2e", containerRuntime: runtime });
    const app = new ImageBuildLoad("app", { cluster, ...options });
    new k8s.apps.v1.Deployment(
      "app",
      {
        metadata: { name: "app", namespace: "default" },
        spec: {
          selector: { matchLabels: { app: "app" } },
          template: {
            metadata: { labels: { app: "app" } },
            spec: { containers: [{ name: "app", image: app.image, imagePullPolicy: "Never" }] },
          },
        },
      },
      inClusterOptions(cluster, cluster),
    );
    return { image: app.image, tag: app.tag };
  });
}

function assertTrueEdges(graph: ResourceGraph, buildType: string): void {
  const kind = graph.one({ type: "e2e-infra:index:KindCluster" });
  const build = graph.one({ type: buildType, name: "app-build" });
  const load = graph.one({ type: "pulumi-nodejs:dynamic:HostCommand", name: "app-load" });
  const clusterCommand = graph.one({ name: "kind-cluster" });
  const deployment = graph.one({ type: "kubernetes:apps/v1:Deployment" });

  // The build has no edge, direct or transitive, to anything of the cluster.
  expect(build.dependencies).toStrictEqual([]);
  for (const part of graph.descendants(kind)) expect(graph.dependsOn(build, part), `build -> ${part.name}`).toBe(false);
  expect(graph.independent(build, clusterCommand)).toBe(true);
  // The load waits for both.
  expect(load.dependencies.sort()).toStrictEqual([build.urn, clusterCommand.urn].sort());
  // A pod spec that takes `image` waits for the load.
  expect(deployment.dependencies).toContain(load.urn);
  expect(graph.dependsOn(deployment, build)).toBe(true);
}

describe("ImageBuildLoad graph", () => {
  it("GIVEN Docker WHEN captured THEN the build depends on its sources only and the load on build and cluster", async () => {
    const context = buildContext();
    const { graph, outputs } = await environment({ imageName: "localhost/app", context, dockerfile: "docker/app.Dockerfile" });
    assertTrueEdges(graph, "pulumi-nodejs:dynamic:HostCommand");
    const build = graph.one({ name: "app-build" });
    expect(build.inputs["create"]).toBe(BUILD_SCRIPT);
    expect(build.inputs["environment"]).toStrictEqual({
      IMAGE_TOOL: "docker",
      IMAGE: outputs["image"],
      CONTEXT: context,
      DOCKERFILE: join(context, "docker/app.Dockerfile"),
    });
    expect(outputs["image"]).toMatch(/^localhost\/app:[0-9a-f]{16}$/);
    const load = graph.one({ name: "app-load" });
    expect(load.inputs["environment"]).toMatchObject({ IMAGE: outputs["image"], IMAGE_TOOL: "docker", KIND_CLUSTER_NAME: "ibl-e2e" });
    expect(await validateKubernetesResources(graph)).toMatchObject({ withoutSchema: [] });
  });

  it("GIVEN Podman WHEN captured THEN the same edges hold with the podman build command", async () => {
    const context = buildContext();
    const { graph, outputs } = await environment(
      { imageName: "localhost/app", context, dockerfile: "docker/app.Dockerfile", buildArgs: { GOFLAGS: "-cover" } },
      "podman",
    );
    assertTrueEdges(graph, "pulumi-nodejs:dynamic:HostCommand");
    const build = graph.one({ name: "app-build" });
    expect(build.inputs["environment"]).toStrictEqual({
      IMAGE_TOOL: "podman",
      IMAGE: outputs["image"],
      CONTEXT: context,
      DOCKERFILE: join(context, "docker/app.Dockerfile"),
      BUILD_ARGS: "GOFLAGS=-cover",
    });
    expect(graph.one({ name: "app-load" }).inputs["environment"]).toMatchObject({
      IMAGE_TOOL: "podman",
      KIND_EXPERIMENTAL_PROVIDER: "podman",
    });
  });

  it("GIVEN the same sources twice WHEN captured THEN every input is identical", async () => {
    const context = buildContext();
    const first = await environment({ imageName: "localhost/app", context, dockerfile: "docker/app.Dockerfile" }, "podman");
    const second = await environment({ imageName: "localhost/app", context, dockerfile: "docker/app.Dockerfile" }, "podman");
    expect(second.graph.resources.map((r) => r.inputs)).toStrictEqual(first.graph.resources.map((r) => r.inputs));
  });

  it("GIVEN a source change THEN the image reference changes; an ignored file or nothing changed THEN it does not", async () => {
    const context = buildContext();
    writeFileSync(join(context, ".dockerignore"), "*.log\n");
    const options = { imageName: "localhost/app", context, dockerfile: "docker/app.Dockerfile" };
    const tag = async () => (await environment(options)).outputs["tag"];
    const before = await tag();
    expect(await tag()).toBe(before);
    writeFileSync(join(context, "build.log"), "noise");
    expect(await tag()).toBe(before);
    writeFileSync(join(context, "hello.txt"), "hello, world\n");
    const edited = await tag();
    expect(edited).not.toBe(before);
    writeFileSync(join(context, "docker", "app.Dockerfile"), "FROM scratch\nCOPY hello.txt /greeting.txt\n");
    expect(await tag()).not.toBe(edited);
  });

  it("GIVEN declared sources WHEN a file outside them changes THEN the tag stays; WHEN one under them changes THEN it changes", async () => {
    const context = buildContext();
    mkdirSync(join(context, "other"));
    writeFileSync(join(context, "other", "main.go"), "package main\n");
    const options = { imageName: "localhost/app", context, dockerfile: "docker/app.Dockerfile", sources: ["hello.txt"] };
    const tag = async () => (await environment(options)).outputs["tag"];
    const before = await tag();
    writeFileSync(join(context, "other", "main.go"), "package main\n\nfunc main() {}\n");
    expect(await tag()).toBe(before);
    writeFileSync(join(context, "hello.txt"), "hello, world\n");
    expect(await tag()).not.toBe(before);
  });

  it("GIVEN the cluster is recreated THEN the load is replaced (its trigger is the cluster's instance id)", async () => {
    const context = buildContext();
    const { graph } = await environment({ imageName: "localhost/app", context, dockerfile: "docker/app.Dockerfile" });
    const load = graph.one({ name: "app-load" });
    expect(load.inputs["triggers"]).toStrictEqual(["kind-cluster-id"]);
    expect(load.propertyDependencies["triggers"]).toStrictEqual([graph.one({ name: "kind-cluster" }).urn]);
  });
});

describe("ImageBuildLoad bad input", () => {
  const context = buildContext();
  const cases: Array<[string, Partial<Options>, RegExp]> = [
    ["a missing context", { context: join(context, "nope") }, /ImageBuildLoad "app": context is ".*nope"; expected an existing directory/],
    [
      "a missing Dockerfile",
      { dockerfile: "docker/missing.Dockerfile" },
      /dockerfile is "docker\/missing.Dockerfile"; expected a file; .*missing.Dockerfile does not exist/,
    ],
    [
      "a tag in the name",
      { imageName: "localhost/app:latest" },
      /imageName is "localhost\/app:latest"; expected a repository with a registry host and no tag/,
    ],
    ["a bare name", { imageName: "app" }, /imageName is "app"; expected a repository with a registry host/],
    ["upper case", { imageName: "localhost/App" }, /imageName is "localhost\/App"/],
    ["a multi-line build arg", { buildArgs: { A: "x\ny" } }, /buildArgs.A is "x\\ny"; expected a string on one line/],
    ["an unknown builder", { builder: "buildah" as "docker" }, /builder is "buildah"; expected "docker" or "podman"/],
    ["no sources", { sources: [] }, /ImageBuildLoad "app": sources is \[\]; expected a non-empty list of paths relative to the context/],
    ["sources not a list", { sources: "hello.txt" as unknown as string[] }, /sources is "hello.txt"; expected a non-empty list of paths/],
    [
      "a source that is not a string",
      { sources: ["hello.txt", 3 as unknown as string] },
      /sources\[1\] is 3; expected a path relative to the context/,
    ],
    ["an absolute source", { sources: ["/etc/passwd"] }, /sources\[0\] is "\/etc\/passwd"; expected a path relative to the context/],
    [
      "a source outside the context",
      { sources: ["docker/../../x"] },
      /sources\[0\] is "docker\/..\/..\/x"; expected a path inside the context/,
    ],
    [
      "a missing source",
      { sources: ["hello.txt", "cmd/app"] },
      /sources\[1\] is "cmd\/app"; expected a file or directory of the context; .*cmd\/app does not exist/,
    ],
    [
      "caches with the docker builder",
      { builder: "docker", caches: [{ source: "/tmp/go-build", target: "/root/.cache/go-build" }] },
      /caches is \[\{"source":"\/tmp\/go-build","target":"\/root\/.cache\/go-build"\}\]; expected no caches with the docker builder: Docker mounts nothing into a Dockerfile's RUN steps unless the Dockerfile asks for it/,
    ],
    ["no caches", { builder: "podman", caches: [] }, /caches is \[\]; expected a non-empty list of host directories/],
    [
      "a relative cache source",
      { builder: "podman", caches: [{ source: "go-build", target: "/root/.cache/go-build" }] },
      /caches\[0\].source is "go-build"; expected an absolute host path without ":" or ","/,
    ],
    [
      "a cache target with a colon",
      { builder: "podman", caches: [{ source: "/tmp/go-build", target: "/root/.cache/go-build:ro" }] },
      /caches\[0\].target is "\/root\/.cache\/go-build:ro"; expected an absolute path in the build other than "\/", without ":" or ","/,
    ],
    [
      "a cache target twice",
      {
        builder: "podman",
        caches: [
          { source: "/tmp/a", target: "/root/.cache/go-build" },
          { source: "/tmp/b", target: "/root/.cache/go-build/" },
        ],
      },
      /caches\[1\].target is "\/root\/.cache\/go-build\/"; expected each target once/,
    ],
  ];
  it.each(cases)("GIVEN %s WHEN constructed THEN it throws naming the argument, before any resource", async (_, bad, message) => {
    const args = { imageName: "localhost/app", context, dockerfile: "docker/app.Dockerfile", ...bad };
    await expect(environment(args)).rejects.toThrow(message);
    const { graph } = await capture(() => {
      const cluster = new KindCluster("kind", { name: "ibl-e2e" });
      try {
        new ImageBuildLoad("app", { cluster, ...args });
      } catch {
        /* asserted above */
      }
    });
    expect(graph.find({ type: "e2e-infra:index:ImageBuildLoad" })).toStrictEqual([]);
    expect(graph.find({ name: /^app-/ })).toStrictEqual([]);
  });
});

describe("ImageBuildLoad bad input of the wrong shape, or a name too long for its temporary directory", () => {
  const context = buildContext();
  const construct = (name: string, bad: Record<string, unknown>) =>
    capture(
      () => {
        const cluster = new KindCluster("kind", { name: "ibl-e2e" });
        new ImageBuildLoad(name, { cluster, imageName: "localhost/app", context, dockerfile: "docker/app.Dockerfile", ...bad });
      },
      { project: "proj", stack: "dev" },
    );

  it("GIVEN build args as one string THEN the error shows that string, not its first index", async () => {
    await expect(construct("app", { buildArgs: "GOFLAGS=-cover" })).rejects.toThrow(
      'ImageBuildLoad "app": buildArgs is "GOFLAGS=-cover"; expected a map of build arg names to values',
    );
  });

  it("GIVEN a resource name that makes e2e-infra-<project>-<stack>-<name>.XXXXXX longer than a file name (255) THEN the error gives the limit", async () => {
    // "e2e-infra-proj-dev-" is 19 characters and ".XXXXXX" 7: a name may have 229.
    await expect(construct("n".repeat(229), {})).resolves.toBeDefined();
    await expect(construct("n".repeat(230), {})).rejects.toThrow(
      `ImageBuildLoad "${"n".repeat(230)}": name is "${"n".repeat(230)}"; expected a resource name of at most 229 characters in this stack`,
    );
  });
});
