import { ImageBuildLoad, type ImageBuildLoadArgs } from "@e2e-infra/image-build-load";
import { join } from "node:path";
import { casesFor, type ComponentCatalogue } from "../catalogue";
import { CRD_FILE, fakeKindTarget, files } from "../fakes";

const good = (): ImageBuildLoadArgs => ({ cluster: fakeKindTarget(), imageName: "localhost/app", context: files.context });
const { bad, baseline } = casesFor<ImageBuildLoadArgs>("ImageBuildLoad", (name, args) => new ImageBuildLoad(name, args), good, "app-image");

const IMAGE_NAME = "expected a repository with a registry host and no tag";
const SOURCES = "expected a path relative to the context";
/** A resource name whose load directory, e2e-infra-test-test-<name>.XXXXXX, is longer than a file name may be (255). */
const LONG = "i".repeat(240);

/** ImageBuildLoad: every argument (cluster, imageName, context, dockerfile, buildArgs, target, platform, builder, sources, caches) and its name. */
export const imageBuildLoad: ComponentCatalogue = {
  component: "ImageBuildLoad",
  args: { file: "packages/image-build-load/src/image-build-load.ts", type: "ImageBuildLoadArgs" },
  baseline,
  cases: [
    bad("no cluster", { cluster: undefined }, "cluster", undefined, "expected a kind cluster"),
    bad("a cluster given by its name", { cluster: "kind" }, "cluster", "kind", "expected a kind cluster"),
    bad("a builder in upper case", { builder: "Docker" }, "builder", "Docker", 'expected "docker" or "podman"'),
    bad("a builder kind does not load from", { builder: "buildah" }, "builder", "buildah", 'expected "docker" or "podman"'),
    bad("no image name", { imageName: undefined }, "imageName", undefined, IMAGE_NAME),
    bad("an image name without a registry host", { imageName: "app" }, "imageName", "app", IMAGE_NAME),
    bad("an image name in upper case", { imageName: "localhost/App" }, "imageName", "localhost/App", IMAGE_NAME),
    bad("an image name with a tag", { imageName: "localhost/app:v1" }, "imageName", "localhost/app:v1", IMAGE_NAME),
    bad(
      "a context that does not exist",
      { context: join(files.dir, "nope") },
      "context",
      join(files.dir, "nope"),
      "expected an existing directory",
    ),
    bad("a context that is a file", { context: CRD_FILE }, "context", CRD_FILE, "expected an existing directory"),
    bad("a context that is a number", { context: 42 }, "context", 42, "expected an existing directory"),
    bad("a Dockerfile that does not exist", { dockerfile: "app.Dockerfile" }, "dockerfile", "app.Dockerfile", "expected a file;"),
    bad("a Dockerfile that is a number", { dockerfile: 42 }, "dockerfile", 42, "expected the Dockerfile's path"),
    bad(
      "build args as one string",
      { buildArgs: "GOFLAGS=-cover" },
      "buildArgs",
      "GOFLAGS=-cover",
      "expected a map of build arg names to values",
    ),
    bad(
      "a build arg name with a -",
      { buildArgs: { "GO-FLAGS": "-cover" } },
      "buildArgs",
      "GO-FLAGS",
      "expected build arg names of letters, digits and _",
    ),
    bad("a build arg value that is a number", { buildArgs: { VERSION: 2 } }, "buildArgs.VERSION", 2, "expected a string on one line"),
    bad(
      "a build arg value with a newline",
      { buildArgs: { VERSION: "1\n2" } },
      "buildArgs.VERSION",
      "1\n2",
      "expected a string on one line",
    ),
    bad("a target starting with -", { target: "-x" }, "target", "-x", "expected a build stage name"),
    bad("a target that is a number", { target: 42 }, "target", 42, "expected a build stage name"),
    bad("a platform without an architecture", { platform: "linux" }, "platform", "linux", 'expected os/arch[/variant], e.g. "linux/amd64"'),
    bad("sources as one string", { sources: "go.mod" }, "sources", "go.mod", "expected a non-empty list of paths relative to the context"),
    bad("no sources", { sources: [] }, "sources", [], "expected a non-empty list of paths relative to the context"),
    bad("a source outside the context", { sources: ["../secrets"] }, "sources[0]", "../secrets", "expected a path inside the context"),
    bad("an absolute source", { sources: ["/etc/passwd"] }, "sources[0]", "/etc/passwd", SOURCES),
    bad("a source that does not exist", { sources: ["cmd/app"] }, "sources[0]", "cmd/app", "expected a file or directory of the context"),
    bad("a source that is a number", { sources: [42] }, "sources[0]", 42, SOURCES),
    bad(
      "caches with the docker builder",
      { builder: "docker", caches: [{ source: "/tmp/go-build", target: "/root/.cache/go-build" }] },
      "caches",
      [{ source: "/tmp/go-build", target: "/root/.cache/go-build" }],
      "expected no caches with the docker builder",
    ),
    bad("no caches", { builder: "podman", caches: [] }, "caches", [], "expected a non-empty list of host directories"),
    bad(
      "a cache of a relative source",
      { builder: "podman", caches: [{ source: "go-build", target: "/root/.cache/go-build" }] },
      "caches[0].source",
      "go-build",
      "expected an absolute host path",
    ),
    bad(
      "a cache target with Podman's separator",
      { builder: "podman", caches: [{ source: "/tmp/go-build", target: "/root/.cache/go-build:ro" }] },
      "caches[0].target",
      "/root/.cache/go-build:ro",
      "expected an absolute path in the build",
    ),
    bad("a resource name too long for its load's temporary directory", {}, "name", LONG, "expected a resource name of at most", LONG),
  ],
};
