import { ArgumentError } from "./errors";

// The distribution reference grammar (github.com/distribution/reference, reference.go):
//   reference := name [ ":" tag ] [ "@" digest ];  name := [domain "/"] path-component ["/" path-component]*
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
/** The longest repository name (registry and path) the grammar allows. */
const NAME_MAX = 255;

/**
 * True when `value` is an image reference by the distribution reference grammar, e.g.
 * "postgres:16-alpine", "quay.io/jordigilh/redis:7-alpine", "localhost:5000/app@sha256:...".
 * The first component is a registry host only when it has a "." or ":" or is "localhost" (as
 * Docker splits it), so "Postgres/db" is an upper-case repository, not a registry.
 */
export function isImageReference(value: string): boolean {
  let rest = value;
  const at = rest.indexOf("@");
  if (at >= 0) {
    if (!DIGEST.test(rest.slice(at + 1))) return false;
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  if (colon > slash) {
    if (!TAG.test(rest.slice(colon + 1))) return false;
    rest = rest.slice(0, colon);
  }
  if (rest.length === 0 || rest.length > NAME_MAX) return false;
  const parts = rest.split("/");
  const first = parts[0]!;
  if (parts.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost")) {
    if (!DOMAIN.test(first)) return false;
    parts.shift();
  }
  return parts.every((part) => PATH_COMPONENT.test(part));
}

/** Throws an ArgumentError unless `value` is an image reference (see isImageReference). */
export function requireImageReference(subject: string, field: string, value: unknown, example = "postgres:16-alpine"): string {
  if (typeof value !== "string" || !isImageReference(value)) {
    throw new ArgumentError(
      subject,
      field,
      value,
      `expected an image reference such as ${JSON.stringify(example)}: [registry/]repository[:tag][@digest], the repository in lower case, no spaces`,
    );
  }
  return value;
}
