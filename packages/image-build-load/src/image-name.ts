import { ArgumentError } from "@e2e-infra/core";

const HOST = /^(localhost|[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)+|\[[0-9a-fA-F:]+\])(:[0-9]+)?$/;
const PATH_COMPONENT = /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*$/;

/**
 * Checks an image repository name (no tag, no digest) that Docker, Podman and kind's containerd
 * all spell the same way: it must start with a registry host such as "localhost", because Docker
 * qualifies a bare "app" as docker.io/library/app and Podman as localhost/app, and a pod's image
 * must match the loaded name exactly.
 */
export function requireImageName(subject: string, field: string, value: unknown): string {
  const expected =
    'expected a repository with a registry host and no tag, such as "localhost/datastorage" (the tag is the content hash)';
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
