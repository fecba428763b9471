import { spawn } from "node:child_process";
import {
  capture,
  hangingTool,
  hermeticPath,
  runHostScript,
  shellcheck,
  shimDirectory,
  waitForFile,
  type CapturedResource,
  type Shims,
} from "@e2e-infra/testing";
import { KindCluster } from "@e2e-infra/kind-cluster";
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ImageBuildLoad, RegistryImage, type ImageBuildLoadArgs } from "./index";

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

// `save --help` as three CLIs print it: only Docker 28+, talking to a daemon of API 1.48+, lists --platform.
const DOCKER_27_SAVE_HELP = `
Usage:  docker save [OPTIONS] IMAGE [IMAGE...]

Save one or more images to a tar archive (streamed to STDOUT by default)

Aliases:
  docker image save, docker save

Options:
  -o, --output string   Write to a file, instead of STDOUT
`;
const DOCKER_28_SAVE_HELP = `${DOCKER_27_SAVE_HELP.trimEnd()}
      --platform string   Save only the given platform variant. Formatted as "os[/arch[/variant]]" (e.g., "linux/amd64")
`;
const PODMAN_SAVE_HELP = `Save image(s) to an archive

Usage:
  podman save [options] IMAGE [IMAGE...]

Options:
      --format string   Save image to oci-archive, oci-dir, docker-archive, docker-dir (default "docker-archive")
  -o, --output string   Write to a specified file (default: stdout, which must be redirected)
  -q, --quiet           Suppress the output
`;

/**
 * Puts a stand-in for one release of `tool` in front of the recording shim: every call goes to
 * the shim, which records it; `save --help` then prints `help`, and `version`/`info --format`
 * print `daemonPlatform`, as that release would.
 */
function cliRelease(shims: Shims, tool: "docker" | "podman", help: string, daemonPlatform = "linux/arm64"): void {
  const dir = join(shims.root, "release");
  mkdirSync(dir, { recursive: true });
  symlinkSync(readlinkSync(join(shims.bin, tool)), join(dir, tool));
  rmSync(join(shims.bin, tool));
  writeFileSync(join(dir, "save-help.txt"), help);
  writeFileSync(join(dir, "platform.txt"), `${daemonPlatform}\n`);
  const script = `#!/bin/sh
case "$1 \${2:-}" in
  "save --help") "${dir}/${tool}" "$@" >/dev/null 2>&1 || true; exec cat "${dir}/save-help.txt" ;;
  "version --format" | "info --format") "${dir}/${tool}" "$@" >/dev/null 2>&1 || true; exec cat "${dir}/platform.txt" ;;
esac
exec "${dir}/${tool}" "$@"
`;
  writeFileSync(join(shims.bin, tool), script);
  chmodSync(join(shims.bin, tool), 0o755);
}

/** What every build's argv starts with: the content tag and the Dockerfile. */
function buildHead(image: string, context: string): string[] {
  return ["build", "--force-rm", "--tag", image, "--file", join(context, "Dockerfile")];
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
    cliRelease(shims, "podman", PODMAN_SAVE_HELP);
    const tmp = mkdtempSync(join(tmpdir(), "ibl-tmp-"));

    const built = run(build, shims, tmp);
    expect(built.stderr).toBe("");
    expect(built.status).toBe(0);
    const loaded = run(load, shims, tmp);
    expect(loaded.stderr).toBe("");
    expect(loaded.status).toBe(0);

    const [podmanBuild, podmanHelp, podmanSave, kindLoad] = shims.calls();
    expect(podmanBuild!.argv).toStrictEqual([
      ...buildHead(image, context),
      "--build-arg",
      "GOARCH=arm64",
      "--build-arg",
      "GOFLAGS=-cover",
      context,
    ]);
    // Podman's save has no --platform: it asks, and saves the image as it is.
    expect(podmanHelp!.argv).toStrictEqual(["save", "--help"]);
    const archive = podmanSave!.argv[2]!;
    expect(podmanSave!.argv).toStrictEqual(["save", "-o", archive, image]);
    expect(archive).toMatch(new RegExp(`^${tmp}/e2e-infra-e2e-gateway-e2e-app\\.[A-Za-z0-9]+/image\\.tar$`));
    expect(kindLoad!.argv).toStrictEqual(["load", "image-archive", archive, "--name", "ibl-e2e"]);
    expect(kindLoad!.env["KIND_EXPERIMENTAL_PROVIDER"]).toBe("podman");
    expect(shims.world().clusters["ibl-e2e"]!.images).toStrictEqual([`archive of ${image}`]);
    // The archive is gone afterwards.
    expect(readdirSync(tmp)).toStrictEqual([]);
  });

  it("GIVEN an archive left by a load killed before its trap ran THEN the next load removes it, and no other stack's or resource's", async () => {
    const context = buildContext();
    const { build, load } = await commands("gateway-e2e", { imageName: "localhost/gateway", context }, "podman");
    const shims = shimDirectory(["kind", "podman"], { clusters: { "ibl-e2e": { config: "", images: [] } } });
    cliRelease(shims, "podman", PODMAN_SAVE_HELP);
    const tmp = mkdtempSync(join(tmpdir(), "ibl-tmp-"));
    for (const left of [
      "e2e-infra-e2e-gateway-e2e-app.k1LLed",
      "e2e-infra-e2e-gateway-e2e-app-2.runs00",
      "e2e-infra-e2e-other-e2e-app.runs00",
      // Not a name mktemp gives (six characters after the prefix's dot): not this load's to remove.
      "e2e-infra-e2e-gateway-e2e-app.backup-of-mine",
    ]) {
      mkdirSync(join(tmp, left));
      writeFileSync(join(tmp, left, "image.tar"), "archive");
    }
    expect(run(build, shims, tmp).status).toBe(0);
    expect(run(load, shims, tmp).status).toBe(0);
    expect(readdirSync(tmp).sort()).toStrictEqual([
      "e2e-infra-e2e-gateway-e2e-app-2.runs00",
      "e2e-infra-e2e-gateway-e2e-app.backup-of-mine",
      "e2e-infra-e2e-other-e2e-app.runs00",
    ]);
  });

  it("GIVEN kind load is running WHEN SIGINT reaches the process group (the engine stopping its provider) THEN the archive is removed and the script exits 130", async () => {
    const context = buildContext();
    const { build, load } = await commands("gateway-e2e", { imageName: "localhost/gateway", context }, "podman");
    const shims = shimDirectory(["kind", "podman"], { clusters: { "ibl-e2e": { config: "", images: [] } } });
    cliRelease(shims, "podman", PODMAN_SAVE_HELP);
    expect(run(build, shims, mkdtempSync(join(tmpdir(), "ibl-tmp-"))).status).toBe(0);
    const running = hangingTool(shims, "kind");
    const tmp = mkdtempSync(join(tmpdir(), "ibl-tmp-"));
    const child = spawn("/bin/sh", ["-c", load.inputs["create"] as string], {
      detached: true,
      stdio: "ignore",
      env: {
        PATH: hermeticPath({ standIns: [shims.bin] }),
        TMPDIR: tmp,
        SHIM_LOG: shims.log,
        SHIM_STATE: shims.statePath,
        ...(load.inputs["environment"] as Record<string, string>),
      },
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      await waitForFile(running);
      expect(readdirSync(tmp)).toHaveLength(1);
      process.kill(-child.pid!, "SIGINT");
      expect(await exited).toBe(130);
      expect(readdirSync(tmp)).toStrictEqual([]);
    } finally {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, "SIGKILL");
    }
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

  it("GIVEN caches WHEN built THEN each is a --volume of podman build, without its layer cache; a missing one is made 0777 under a 0700 parent, an existing one left as it is", async () => {
    const context = buildContext();
    const home = mkdtempSync(join(tmpdir(), "ibl-caches-"));
    const existing = join(home, "existing");
    mkdirSync(existing, { mode: 0o755 });
    chmodSync(existing, 0o755);
    const fresh = join(home, "build-cache", "go-build");
    const caches = [
      { source: fresh, target: "/opt/app-root/src/.cache/go-build/" },
      { source: existing, target: "/opt/app-root/src/go/pkg/mod" },
    ];
    const { build, image } = await commands("s", { imageName: "localhost/app", context, caches }, "podman");
    const shims = shimDirectory(["podman"]);
    const result = run(build, shims, mkdtempSync(join(tmpdir(), "ibl-tmp-")));
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(shims.calls()[0]!.argv).toStrictEqual([
      ...buildHead(image, context),
      "--volume",
      `${fresh}:/opt/app-root/src/.cache/go-build`,
      "--volume",
      `${existing}:/opt/app-root/src/go/pkg/mod`,
      // Podman leaves the mounts' targets in its cached layers: none are made, none reused.
      "--layers=false",
      context,
    ]);
    expect(statSync(fresh).mode & 0o777).toBe(0o777);
    expect(statSync(join(home, "build-cache")).mode & 0o777).toBe(0o700);
    expect(statSync(existing).mode & 0o777).toBe(0o755);
    // A cache is not what the image holds: the tag is the one without it.
    expect(image).toBe((await commands("s", { imageName: "localhost/app", context }, "podman")).image);
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
    cliRelease(shims, "podman", PODMAN_SAVE_HELP);
    const result = run(load, shims, mkdtempSync(join(tmpdir(), "ibl-tmp-")));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/localhost\/app:[0-9a-f]{16}: image not known/);
    expect(shims.calls().map((call) => `${call.tool} ${call.argv.join(" ")}`)).toStrictEqual([
      "podman save --help",
      expect.stringMatching(/^podman save -o /),
    ]);
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
  async function dockerLoad(help: string, platform?: string) {
    const context = buildContext();
    const { load, image } = await commands(
      "s",
      { imageName: "localhost/app", context, ...(platform === undefined ? {} : { platform }) },
      "docker",
    );
    const shims = shimDirectory(["kind", "docker"], {
      clusters: { "ibl-e2e": { config: "", images: [] } },
      images: { [image]: { built: true } },
    });
    cliRelease(shims, "docker", help, "linux/arm64");
    const tmp = mkdtempSync(join(tmpdir(), "ibl-tmp-"));
    mkdirSync(join(tmp, "unrelated"));
    const result = run(load, shims, tmp);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(shims.world().clusters["ibl-e2e"]!.images).toStrictEqual([`archive of ${image}`]);
    expect(readdirSync(tmp)).toStrictEqual(["unrelated"]);
    const calls = shims.calls();
    const archive = calls.find((call) => call.argv.includes("-o"))!.argv.at(-2)!;
    expect(calls.at(-1)!.argv).toStrictEqual(["load", "image-archive", archive, "--name", "ibl-e2e"]);
    expect(calls.at(-1)!.env["KIND_EXPERIMENTAL_PROVIDER"]).toBe("docker");
    return {
      calls: calls.map((call) =>
        [call.tool, ...call.argv.map((arg) => (arg === archive ? "<archive>" : arg === image ? "<image>" : arg))].join(" "),
      ),
    };
  }

  it("GIVEN Docker before 28 (save has no --platform) WHEN loaded THEN docker save of the image feeds kind load image-archive", async () => {
    const { calls } = await dockerLoad(DOCKER_27_SAVE_HELP);
    expect(calls).toStrictEqual([
      "docker save --help",
      "docker save -o <archive> <image>",
      "kind load image-archive <archive> --name ibl-e2e",
    ]);
  });

  it("GIVEN Docker 28+ and no build platform WHEN loaded THEN docker saves the daemon's os/arch only", async () => {
    const { calls } = await dockerLoad(DOCKER_28_SAVE_HELP);
    expect(calls).toStrictEqual([
      "docker save --help",
      "docker version --format {{.Server.Os}}/{{.Server.Arch}}",
      "docker save --platform linux/arm64 -o <archive> <image>",
      "kind load image-archive <archive> --name ibl-e2e",
    ]);
  });

  it("GIVEN Docker 28+ and a build platform WHEN loaded THEN docker saves that platform, without asking the daemon", async () => {
    const { calls } = await dockerLoad(DOCKER_28_SAVE_HELP, "linux/amd64");
    expect(calls).toStrictEqual([
      "docker save --help",
      "docker save --platform linux/amd64 -o <archive> <image>",
      "kind load image-archive <archive> --name ibl-e2e",
    ]);
  });
});

describe("registry image pull and load", () => {
  const DEX = "ghcr.io/dexidp/dex:v2.41.1";

  async function commands(runtime: "docker" | "podman") {
    const { graph } = await capture(
      () => {
        const cluster = new KindCluster("kind", { name: "reg-e2e", containerRuntime: runtime });
        new RegistryImage("dex", { cluster, image: DEX, preload: true });
      },
      { project: "e2e", stack: "dex-e2e" },
    );
    return { pull: graph.one({ name: "dex-pull" }), load: graph.one({ name: "dex-load" }) };
  }

  /**
   * Puts a registry in front of the recording shim: `pull` of a reference in `published` puts it
   * in the shim's image store, any other fails as the daemon does for a missing manifest. Every
   * call is still recorded.
   */
  function registry(shims: Shims, tool: "docker" | "podman", published: string[]): void {
    const dir = join(shims.root, "registry");
    mkdirSync(dir, { recursive: true });
    symlinkSync(readlinkSync(join(shims.bin, tool)), join(dir, tool));
    rmSync(join(shims.bin, tool));
    const store = `const fs = require("node:fs"); const world = JSON.parse(fs.readFileSync(process.env.SHIM_STATE, "utf8")); world.images[process.argv[1]] = { built: true }; fs.writeFileSync(process.env.SHIM_STATE, JSON.stringify(world));`;
    const script = `#!/bin/sh
if [ "$1" = pull ]; then
  "${dir}/${tool}" "$@" >/dev/null 2>&1 || true
  for published in ${published.map((reference) => `"${reference}"`).join(" ")}; do
    if [ "$2" = "$published" ]; then exec node -e '${store}' "$2"; fi
  done
  echo "Error response from daemon: manifest for $2 not found: manifest unknown" >&2
  exit 1
fi
exec "${dir}/${tool}" "$@"
`;
    writeFileSync(join(shims.bin, tool), script);
    chmodSync(join(shims.bin, tool), 0o755);
  }

  const calls = (shims: Shims) =>
    shims.calls().map((call) => [call.tool, ...call.argv.map((arg) => (/image\.tar$/.test(arg) ? "<archive>" : arg))].join(" "));

  it.each(["docker", "podman"] as const)(
    "GIVEN %s and an image the host does not have WHEN pulled and loaded THEN the CLI pulls it and kind loads its archive",
    async (runtime) => {
      const { pull, load } = await commands(runtime);
      const shims = shimDirectory(["kind", runtime], { clusters: { "reg-e2e": { config: "", images: [] } } });
      registry(shims, runtime, [DEX]);
      const tmp = mkdtempSync(join(tmpdir(), "reg-tmp-"));
      const pulled = run(pull, shims, tmp);
      expect([pulled.status, pulled.stderr]).toStrictEqual([0, ""]);
      const loaded = run(load, shims, tmp);
      expect([loaded.status, loaded.stderr]).toStrictEqual([0, ""]);
      expect(calls(shims)).toStrictEqual([
        `${runtime} image inspect ${DEX}`,
        `${runtime} pull ${DEX}`,
        `${runtime} save --help`,
        `${runtime} save -o <archive> ${DEX}`,
        "kind load image-archive <archive> --name reg-e2e",
      ]);
      expect(shims.world().clusters["reg-e2e"]!.images).toStrictEqual([`archive of ${DEX}`]);
      expect(readdirSync(tmp)).toStrictEqual([]);
    },
  );

  it("GIVEN the host has the image already (pulled before, or a local stand-in) WHEN pulled THEN no registry is asked", async () => {
    const { pull } = await commands("docker");
    const shims = shimDirectory(["docker"], { images: { [DEX]: { built: true } } });
    registry(shims, "docker", []);
    const result = run(pull, shims, mkdtempSync(join(tmpdir(), "reg-tmp-")));
    expect(result.status).toBe(0);
    expect(calls(shims)).toStrictEqual([`docker image inspect ${DEX}`]);
  });

  it("GIVEN the registry does not have it WHEN pulled THEN the pull fails with the daemon's error", async () => {
    const { pull } = await commands("docker");
    const shims = shimDirectory(["docker"]);
    registry(shims, "docker", []);
    const result = run(pull, shims, mkdtempSync(join(tmpdir(), "reg-tmp-")));
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`Error response from daemon: manifest for ${DEX} not found: manifest unknown\n`);
    expect(shims.world().images).toStrictEqual({});
  });

  it("GIVEN no podman on PATH WHEN pulled THEN it says so", async () => {
    const { pull } = await commands("podman");
    const result = run(pull, shimDirectory(["kind"]), mkdtempSync(join(tmpdir(), "reg-tmp-")));
    expect(result.status).toBe(127);
    expect(result.stderr).toContain("podman is not installed (looked for it on PATH)");
  });
});

describe("script text", () => {
  it("GIVEN the shipped scripts THEN shellcheck finds nothing", () => {
    const dir = join(__dirname, "..", "scripts");
    expect(shellcheck(readdirSync(dir).map((file) => join(dir, file)))).toBe("");
  });
});
