import {
  ArgumentError,
  CONTAINER_RUNTIMES,
  dockerfilePath,
  requireComponent,
  requireOptionalRecord,
  subjectOf,
  type ContainerRuntime,
  type KindLoadTarget,
} from "@e2e-infra/core";
import * as pulumi from "@pulumi/pulumi";
import { existsSync, lstatSync, statSync } from "node:fs";
import { isAbsolute, join, posix } from "node:path";
import type { ImageBuildLoadArgs } from "./image-build-load";

const HOST = /^(localhost|[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)+|\[[0-9a-fA-F:]+\])(:[0-9]+)?$/;
const PATH_COMPONENT = /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*$/;

/**
 * Checks an image repository name (no tag, no digest) that Docker, Podman and kind's containerd
 * all spell the same way: it must start with a registry host such as "localhost", because Docker
 * qualifies a bare "app" as docker.io/library/app and Podman as localhost/app, and a pod's image
 * must match the loaded name exactly.
 */
export function requireImageName(subject: string, field: string, value: unknown): string {
  const expected = 'expected a repository with a registry host and no tag, such as "localhost/datastorage" (the tag is the content hash)';
  if (typeof value !== "string" || value.length > 200) throw new ArgumentError(subject, field, value, expected);
  const [host, ...path] = value.split("/");
  if (host === undefined || !HOST.test(host) || path.length === 0 || !path.every((part) => PATH_COMPONENT.test(part))) {
    throw new ArgumentError(subject, field, value, expected);
  }
  return value;
}

/** The image reference for a build whose content hash is `contentHash`: never ":latest". */
export function contentTaggedReference(imageName: string, contentHash: string): string {
  return `${imageName}:${contentHash.slice(0, 16)}`;
}

/**
 * Checks an ImageBuildLoad's arguments before anything is registered; returns the builder to
 * use, the Dockerfile's path and the load's archive prefix. Throws an ArgumentError naming the
 * argument and the bad value.
 */
export function validateImageBuildLoadArgs(
  name: string,
  args: ImageBuildLoadArgs,
): { builder: ContainerRuntime; dockerfile: string; archivePrefix: string; caches: string | undefined } {
  const subject = subjectOf("ImageBuildLoad", name);
  const prefix = requireArchivePrefix(subject, name);
  requireKindCluster(subject, args.cluster);
  const builder = requireContainerRuntime(subject, "builder", args.builder, args.cluster);
  requireImageName(subject, "imageName", args.imageName);
  if (typeof args.context !== "string" || !existsSync(args.context) || !statSync(args.context).isDirectory()) {
    throw new ArgumentError(subject, "context", args.context, "expected an existing directory (the build context)");
  }
  if (args.dockerfile !== undefined && (typeof args.dockerfile !== "string" || args.dockerfile === "")) {
    throw new ArgumentError(subject, "dockerfile", args.dockerfile, "expected the Dockerfile's path, relative to the context or absolute");
  }
  const dockerfile = dockerfilePath(args);
  if (!existsSync(dockerfile) || !statSync(dockerfile).isFile()) {
    throw new ArgumentError(subject, "dockerfile", args.dockerfile ?? "Dockerfile", `expected a file; ${dockerfile} does not exist`);
  }
  requireBuildArgs(subject, "buildArgs", args.buildArgs);
  if (args.target !== undefined && (typeof args.target !== "string" || !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(args.target))) {
    throw new ArgumentError(subject, "target", args.target, "expected a build stage name");
  }
  if (args.platform !== undefined && (typeof args.platform !== "string" || !/^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/.test(args.platform))) {
    throw new ArgumentError(subject, "platform", args.platform, 'expected os/arch[/variant], e.g. "linux/amd64"');
  }
  requireSources(subject, args.context, args.sources);
  const caches = requireCaches(subject, builder, args.caches);
  return { builder, dockerfile, archivePrefix: prefix, caches };
}

/**
 * Checks `caches` (when given): Podman builds only, each source an absolute host path and each
 * target an absolute path in the build, neither holding ":" or "," (Podman's --volume separators)
 * nor a line break, no target twice. Returns them as build-image.sh takes them: one
 * "source:target" a line.
 */
function requireCaches(subject: string, builder: ContainerRuntime, caches: unknown): string | undefined {
  if (caches === undefined) return undefined;
  const example = '[{ source: "/home/me/.cache/e2e-infra/build-cache/go-mod", target: "/opt/app-root/src/go/pkg/mod" }]';
  if (!Array.isArray(caches) || caches.length === 0)
    throw new ArgumentError(
      subject,
      "caches",
      caches,
      `expected a non-empty list of host directories and where the build sees them, e.g. ${example}`,
    );
  if (builder !== "podman") {
    throw new ArgumentError(
      subject,
      "caches",
      caches,
      "expected no caches with the docker builder: Docker mounts nothing into a Dockerfile's RUN steps unless the Dockerfile asks for it (RUN --mount=type=cache); build with podman, or leave caches out",
    );
  }
  const path = /^\/[^:,\n\r\0]*$/;
  const targets = new Set<string>();
  return caches
    .map((cache: unknown, i) => {
      const { source, target } = (typeof cache === "object" && cache !== null ? cache : {}) as { source?: unknown; target?: unknown };
      if (typeof source !== "string" || !path.test(source))
        throw new ArgumentError(subject, `caches[${i}].source`, source, 'expected an absolute host path without ":" or ","');
      if (typeof target !== "string" || !path.test(target) || posix.normalize(target) === "/")
        throw new ArgumentError(
          subject,
          `caches[${i}].target`,
          target,
          'expected an absolute path in the build other than "/", without ":" or ","',
        );
      const normal = posix.normalize(target).replace(/(.)\/+$/, "$1");
      if (targets.has(normal)) throw new ArgumentError(subject, `caches[${i}].target`, target, "expected each target once");
      targets.add(normal);
      return `${source}:${normal}`;
    })
    .join("\n");
}

/** Checks a `cluster` an image is loaded into: a kind cluster (a KindLoadTarget). */
export function requireKindCluster(subject: string, cluster: unknown): void {
  requireComponent(subject, "cluster", cluster, ["clusterName", "instanceId"], "a kind cluster (a KindCluster)");
}

/** The CLI that builds, pulls and saves images: `value`, else the cluster's container runtime, else Docker. */
export function requireContainerRuntime(subject: string, field: string, value: unknown, cluster: KindLoadTarget): ContainerRuntime {
  const runtime = value ?? cluster.containerRuntime ?? "docker";
  if (!CONTAINER_RUNTIMES.includes(runtime as ContainerRuntime))
    throw new ArgumentError(subject, field, value, 'expected "docker" or "podman"');
  return runtime as ContainerRuntime;
}

/**
 * Checks `sources` (when given): a non-empty list of paths relative to the context, each inside
 * it and existing. A list that left out what the build reads would keep an old image, so it is
 * never guessed at: a missing path is an error, not skipped.
 */
function requireSources(subject: string, context: string, sources: unknown): void {
  if (sources === undefined) return;
  if (!Array.isArray(sources) || sources.length === 0) {
    throw new ArgumentError(
      subject,
      "sources",
      sources,
      'expected a non-empty list of paths relative to the context, such as ["go.mod", "cmd/app"] (leave it out to hash the whole context)',
    );
  }
  sources.forEach((source: unknown, i) => {
    const field = `sources[${i}]`;
    if (typeof source !== "string" || source === "" || source.includes("\0") || isAbsolute(source)) {
      throw new ArgumentError(subject, field, source, 'expected a path relative to the context, such as "cmd/app"');
    }
    const normal = posix.normalize(source);
    if (normal === ".." || normal.startsWith("../")) {
      throw new ArgumentError(subject, field, source, "expected a path inside the context (the builder reads nothing outside it)");
    }
    if (!exists(join(context, normal))) {
      throw new ArgumentError(
        subject,
        field,
        source,
        `expected a file or directory of the context; ${join(context, normal)} does not exist`,
      );
    }
  });
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The longest file name (NAME_MAX on Linux and macOS file systems). */
const NAME_MAX = 255;
/** What mktemp appends to the load's temporary directory name (load-image.sh: "$ARCHIVE_PREFIX.XXXXXX"). */
const MKTEMP_SUFFIX = ".XXXXXX";

/**
 * The load's temporary directory prefix, unique to this stack and resource so concurrent stacks
 * never share an archive path: `e2e-infra-<project>-<stack>-<name>` (load-image.sh appends
 * ".XXXXXX"). A name that makes it longer than a file name may be would fail `mktemp` in the
 * middle of `pulumi up`, so it is refused here.
 */
export function requireArchivePrefix(subject: string, name: string): string {
  const stackPrefix = `e2e-infra-${pulumi.getProject()}-${pulumi.getStack()}-`;
  const prefix = `${stackPrefix}${name}`.replace(/[^A-Za-z0-9._-]+/g, "-");
  if (prefix.length + MKTEMP_SUFFIX.length > NAME_MAX) {
    const longest = NAME_MAX - MKTEMP_SUFFIX.length - stackPrefix.length;
    throw new ArgumentError(
      subject,
      "name",
      name,
      `expected a resource name of at most ${longest} characters in this stack: the load's temporary directory ${stackPrefix}<name>${MKTEMP_SUFFIX} must fit a file name (${NAME_MAX} characters)`,
    );
  }
  return prefix;
}

/** `--build-arg` values: names of letters, digits and _, each value a string on one line. */
export function requireBuildArgs(subject: string, field: string, value: unknown): Record<string, string> | undefined {
  const buildArgs = requireOptionalRecord(subject, field, value, 'expected a map of build arg names to values, e.g. { GOFLAGS: "-cover" }');
  for (const [key, arg] of Object.entries(buildArgs ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
      throw new ArgumentError(subject, field, key, "expected build arg names of letters, digits and _");
    if (typeof arg !== "string" || /[\n\r\0]/.test(arg)) {
      throw new ArgumentError(subject, `${field}.${key}`, arg, "expected a string on one line");
    }
  }
  return buildArgs as Record<string, string> | undefined;
}
