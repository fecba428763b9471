import { ArgumentError, dockerfilePath } from "@e2e-infra/core";
import type { ContainerRuntime } from "@e2e-infra/kind-cluster";
import { existsSync, statSync } from "node:fs";
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
 * use and the Dockerfile's path. Throws an ArgumentError naming the argument and the bad value.
 */
export function validateImageBuildLoadArgs(subject: string, args: ImageBuildLoadArgs): { builder: ContainerRuntime; dockerfile: string } {
  const builder = args.builder ?? args.cluster.containerRuntime ?? "docker";
  if (builder !== "docker" && builder !== "podman") {
    throw new ArgumentError(subject, "builder", args.builder, 'expected "docker" or "podman"');
  }
  requireImageName(subject, "imageName", args.imageName);
  if (typeof args.context !== "string" || !existsSync(args.context) || !statSync(args.context).isDirectory()) {
    throw new ArgumentError(subject, "context", args.context, "expected an existing directory (the build context)");
  }
  const dockerfile = dockerfilePath(args);
  if (!existsSync(dockerfile) || !statSync(dockerfile).isFile()) {
    throw new ArgumentError(subject, "dockerfile", args.dockerfile ?? "Dockerfile", `expected a file; ${dockerfile} does not exist`);
  }
  for (const [key, value] of Object.entries(args.buildArgs ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
      throw new ArgumentError(subject, "buildArgs", key, "expected build arg names of letters, digits and _");
    if (typeof value !== "string" || /[\n\r\0]/.test(value)) {
      throw new ArgumentError(subject, `buildArgs.${key}`, value, "expected a string on one line");
    }
  }
  if (args.target !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(args.target)) {
    throw new ArgumentError(subject, "target", args.target, "expected a build stage name");
  }
  if (args.platform !== undefined && !/^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/.test(args.platform)) {
    throw new ArgumentError(subject, "platform", args.platform, 'expected os/arch[/variant], e.g. "linux/amd64"');
  }
  return { builder, dockerfile };
}
