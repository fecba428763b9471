import { hashBuildContext, hostCommand, loadScript, type ContainerRuntime, type KindLoadTarget, type WorkloadImage } from "@e2e-infra/core";
import * as pulumi from "@pulumi/pulumi";
import { join } from "node:path";
import { contentTaggedReference, validateImageBuildLoadArgs } from "./image-args";
import { loadIntoKind } from "./kind-load";

export const BUILD_SCRIPT = loadScript(join(__dirname, "..", "scripts", "build-image.sh"));

/**
 * Arguments of an ImageBuildLoad. Plain values: the build context is hashed when the program
 * runs, so a changed source shows up in the preview as a new image reference.
 */
export interface ImageBuildLoadArgs {
  /** The cluster to load the image into (a KindCluster). */
  cluster: KindLoadTarget;
  /** Repository without tag, starting with a registry host, e.g. "localhost/datastorage". */
  imageName: string;
  /** Build context directory (absolute, or relative to the Pulumi project directory). */
  context: string;
  /** Dockerfile, relative to `context` or absolute. Default: "Dockerfile". */
  dockerfile?: string;
  /** `--build-arg` values, e.g. `{ GOFLAGS: "-cover" }`. */
  buildArgs?: Record<string, string>;
  /** Build stage to stop at (`--target`). */
  target?: string;
  /** `--platform`, e.g. "linux/arm64". Default: the builder's own. */
  platform?: string;
  /** Build with the docker or the podman CLI. Default: the cluster's container runtime, else Docker. */
  builder?: ContainerRuntime;
  /**
   * The paths the build reads, relative to `context` (files, or directories with everything
   * beneath them), e.g. `["go.mod", "go.sum", "cmd/app", "pkg/app"]`. The content hash then
   * covers only these (as the ignore file filters them), the Dockerfile, the ignore file, build
   * args, target and platform, so a change elsewhere in a shared context rebuilds nothing. A
   * path the build reads but the list leaves out keeps an old image. Default: the whole context.
   */
  sources?: string[];
  /**
   * Directories of the host mounted read-write into every RUN step of the build (Podman's
   * `build --volume`), for what builds keep between them, such as Go's module and build caches:
   * `[{ source: "/home/me/.cache/e2e-infra/build-cache/go-mod", target: "/opt/app-root/src/go/pkg/mod" }]`.
   * A missing source is created (mode 0777, as the build's RUN steps write it as whatever user
   * the Dockerfile names; its parent, when missing too, 0700: keep it under a directory only you
   * may enter). Not in the content hash: a cache changes how fast an image builds, not what it
   * holds. Podman only: Docker mounts nothing into a Dockerfile's RUN steps unless the
   * Dockerfile asks for it (`RUN --mount=type=cache`).
   */
  caches?: { source: string; target: string }[];
}

/**
 * An image built on the host and loaded into a kind cluster.
 *
 * The build depends on its sources only, so it runs while the cluster is being created; only
 * the load waits for the cluster. The tag is a hash of what the builder sees (the context, or
 * the declared `sources` in it, as .dockerignore filters it, the Dockerfile, build args,
 * target, platform): the build reruns when, and only when, that content changes, and `image`
 * changes exactly then too.
 */
export class ImageBuildLoad extends pulumi.ComponentResource implements WorkloadImage {
  /** The image reference for a pod spec (with `imagePullPolicy: Never`); resolves once the image is in the cluster. */
  readonly image: pulumi.Output<string>;
  /** The image is only in the cluster, never in a registry: pods must not try to pull it. */
  readonly pullPolicy = "Never" as const;
  /** The content-hash tag, known before anything runs. */
  readonly tag: string;
  /** SHA-256 of the build's content. */
  readonly contentHash: string;

  constructor(name: string, args: ImageBuildLoadArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const { builder, dockerfile, archivePrefix, caches } = validateImageBuildLoadArgs(name, args);
    super("e2e-infra:index:ImageBuildLoad", name, {}, opts);

    this.contentHash = hashBuildContext(args);
    const reference = contentTaggedReference(args.imageName, this.contentHash);
    this.tag = reference.slice(args.imageName.length + 1);

    // The build: sources in, an image in the host's image store out. No edge to the cluster.
    // The tag is in IMAGE, so a changed source is a changed input and the build runs again.
    const build = hostCommand(
      `${name}-build`,
      {
        create: BUILD_SCRIPT,
        environment: {
          IMAGE_TOOL: builder,
          IMAGE: reference,
          CONTEXT: args.context,
          DOCKERFILE: dockerfile,
          TARGET: args.target,
          PLATFORM: args.platform,
          BUILD_ARGS:
            Object.entries(args.buildArgs ?? {})
              .sort(([a], [b]) => (a < b ? -1 : 1))
              .map(([key, value]) => `${key}=${value}`)
              .join("\n") || undefined,
          CACHES: caches,
        },
      },
      { parent: this },
    );
    const built = build.id.apply(() => reference);

    // The load: the built image and the cluster in. Reruns when the image changes (update) or
    // the cluster is recreated (a new instance id replaces it).
    this.image = loadIntoKind(
      `${name}-load`,
      { image: built, tool: builder, cluster: args.cluster, archivePrefix, platform: args.platform },
      this,
    );
    this.registerOutputs({ image: this.image, tag: this.tag, contentHash: this.contentHash });
  }
}
