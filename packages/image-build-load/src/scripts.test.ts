import { capture, runHostScript, shellcheck, shimDirectory, type CapturedResource, type Shims } from "@e2e-infra/testing";
import { KindCluster } from "@e2e-infra/kind-cluster";
import { existsSync, mkdtempSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ImageBuildLoad, type ImageBuildLoadArgs } from "./index";

// The build and load scripts exactly as ImageBuildLoad hands them to its host commands, run by
// /bin/sh against shim podman/docker/kind executables that record argv and environment.

function buildContext(): string {
  const dir = mkdtempSync(join(tmpdir(), "ibl-context-"));
  writeFileSync(join(dir, "Dockerfile"), "FROM scratch\nCOPY . /\n");
  writeFileSync(join(dir, "main.go"), "package main\n");
  return dir;
}

async function commands(stack: string, args: Omit<ImageBuildLoadArgs, "cluster">, runtime: "docker" | "podman") {
  const { graph, outputs } = await capture(
    () => {
      const cluster = new KindCluster("kind", { name: "ibl-e2e", containerRuntime: runtime });
      const app = new ImageBuildLoad("app", { cluster, ...args });
      return { image: app.image };
    },
    { project: "e2e", stack },
  );
  return { build: graph.one({ name: "app-build" }), load: graph.one({ name: "app-load" }), image: outputs["image"] as string };
}

function run(resource: CapturedResource, shims: Shims, tmp: string) {
  return runHostScript(resource.inputs["create"] as string, resource.inputs["environment"] as Record<string, string>, {
    shims,
    tmpdir: tmp,
  });
}

describe("podman build and load", () => {
  it("GIVEN podman WHEN built and loaded THEN podman builds the content tag and the archive goes through a per-stack temp dir into kind", async () => {
    const context = buildContext();
    const { build, load, image } = await commands(
      "gateway-e2e",
      { imageName: "localhost/gateway", context, buildArgs: { GOFLAGS: "-cover", GOARCH: "arm64" } },
      "podman",
    );
    const shims = shimDirectory(["kind", "podman"], { clusters: { "ibl-e2e": { config: "", images: [] } } });
    const tmp = mkdtempSync(join(tmpdir(), "ibl-tmp-"));

    const built = run(build, shims, tmp);
    expect(built.stderr).toBe("");
    expect(built.status).toBe(0);
    const loaded = run(load, shims, tmp);
    expect(loaded.stderr).toBe("");
    expect(loaded.status).toBe(0);

    const [podmanBuild, podmanSave, kindLoad] = shims.calls();
    expect(podmanBuild!.argv).toStrictEqual([
      "build",
      "--tag",
      image,
      "--file",
      join(context, "Dockerfile"),
      "--build-arg",
      "GOARCH=arm64",
      "--build-arg",
      "GOFLAGS=-cover",
      context,
    ]);
    const archive = podmanSave!.argv[2]!;
    expect(podmanSave!.argv).toStrictEqual(["save", "-o", archive, image]);
    expect(archive).toMatch(new RegExp(`^${tmp}/e2e-infra-e2e-gateway-e2e-app\\.[A-Za-z0-9]+/image\\.tar$`));
    expect(kindLoad!.argv).toStrictEqual(["load", "image-archive", archive, "--name", "ibl-e2e"]);
    expect(kindLoad!.env["KIND_EXPERIMENTAL_PROVIDER"]).toBe("podman");
    expect(shims.world().clusters["ibl-e2e"]!.images).toStrictEqual([`archive of ${image}`]);
    // The archive is gone afterwards.
    expect(readdirSync(tmp)).toStrictEqual([]);
  });

  it("GIVEN two stacks WHEN their loads run THEN their archive paths differ", async () => {
    const context = buildContext();
    const a = await commands("gateway-e2e", { imageName: "localhost/datastorage", context }, "podman");
    const b = await commands("datastorage-e2e", { imageName: "localhost/datastorage", context }, "podman");
    expect(a.image).toBe(b.image);
    const prefix = (r: CapturedResource) => (r.inputs["environment"] as Record<string, string>)["ARCHIVE_PREFIX"];
    expect(prefix(a.load)).toBe("e2e-infra-e2e-gateway-e2e-app");
    expect(prefix(b.load)).toBe("e2e-infra-e2e-datastorage-e2e-app");
  });

  it("GIVEN build args with shell syntax WHEN built THEN podman receives them verbatim and no shell runs them", async () => {
    const context = buildContext();
    const marker = join(context, "pwned");
    const { build } = await commands(
      "s",
      { imageName: "localhost/app", context, buildArgs: { EVIL: `$(touch ${marker}); \`touch ${marker}\`` } },
      "podman",
    );
    const shims = shimDirectory(["podman"]);
    const result = run(build, shims, mkdtempSync(join(tmpdir(), "ibl-tmp-")));
    expect(result.status).toBe(0);
    expect(shims.calls()[0]!.argv).toContain(`EVIL=$(touch ${marker}); \`touch ${marker}\``);
    expect(existsSync(marker)).toBe(false);
  });

  it("GIVEN the image is not in podman's store WHEN loaded THEN the load fails with podman's error and kind is not called", async () => {
    const context = buildContext();
    const { load } = await commands("s", { imageName: "localhost/app", context }, "podman");
    const shims = shimDirectory(["kind", "podman"], { clusters: { "ibl-e2e": { config: "", images: [] } } });
    const result = run(load, shims, mkdtempSync(join(tmpdir(), "ibl-tmp-")));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/localhost\/app:[0-9a-f]{16}: image not known/);
    expect(shims.calls().map((call) => call.tool)).toStrictEqual(["podman"]);
  });

  it("GIVEN no podman on PATH WHEN built THEN it says so", async () => {
    const context = buildContext();
    const { build } = await commands("s", { imageName: "localhost/app", context }, "podman");
    const result = run(build, shimDirectory(["kind"]), mkdtempSync(join(tmpdir(), "ibl-tmp-")));
    expect(result.status).toBe(127);
    expect(result.stderr).toContain("podman is not installed (looked for it on PATH)");
  });
});

describe("docker load", () => {
  it("GIVEN a Docker-built image WHEN loaded THEN docker save feeds kind load image-archive", async () => {
    const context = buildContext();
    const { load, image } = await commands("s", { imageName: "localhost/app", context }, "docker");
    const shims = shimDirectory(["kind", "docker"], {
      clusters: { "ibl-e2e": { config: "", images: [] } },
      images: { [image]: { built: true } },
    });
    const tmp = mkdtempSync(join(tmpdir(), "ibl-tmp-"));
    mkdirSync(join(tmp, "unrelated"));
    const result = run(load, shims, tmp);
    expect(result.status).toBe(0);
    expect(shims.calls().map((call) => `${call.tool} ${call.argv[0]}`)).toStrictEqual(["docker save", "kind load"]);
    expect(shims.calls()[1]!.env["KIND_EXPERIMENTAL_PROVIDER"]).toBe("docker");
    expect(shims.world().clusters["ibl-e2e"]!.images).toStrictEqual([`archive of ${image}`]);
    expect(readdirSync(tmp)).toStrictEqual(["unrelated"]);
  });
});

describe("script text", () => {
  it("GIVEN the shipped scripts THEN shellcheck finds nothing", () => {
    const dir = join(__dirname, "..", "scripts");
    expect(shellcheck(readdirSync(dir).map((file) => join(dir, file)))).toBe("");
  });
});
