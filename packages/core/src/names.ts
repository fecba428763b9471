import { createHash } from "node:crypto";
import { ArgumentError } from "./errors";

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The longest a DNS-1123 label (a Kubernetes object name, a kind cluster name) may be. */
export const DNS1123_LABEL_MAX = 63;

/** True when `value` is a DNS-1123 label of at most `maxLength` characters. */
export function isDns1123Label(value: string, maxLength = DNS1123_LABEL_MAX): boolean {
  return value.length <= maxLength && DNS1123_LABEL.test(value);
}

/**
 * Throws an ArgumentError unless `value` is a DNS-1123 label: lower-case letters, digits and
 * "-", starting and ending with a letter or digit, at most `maxLength` characters. Such a value
 * is safe as a Kubernetes name, a container name and a shell word.
 */
export function requireDns1123Label(subject: string, field: string, value: unknown, maxLength = DNS1123_LABEL_MAX): string {
  if (typeof value !== "string" || !isDns1123Label(value, maxLength)) {
    throw new ArgumentError(
      subject,
      field,
      value,
      `expected a DNS-1123 label: lower-case letters, digits and "-", starting and ending with a letter or digit, at most ${maxLength} characters`,
    );
  }
  return value;
}

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** True when `value` is a DNS-1035 label (a DNS-1123 label that starts with a letter) of at most `maxLength` characters. */
export function isDns1035Label(value: string, maxLength = DNS1123_LABEL_MAX): boolean {
  return value.length <= maxLength && DNS1035_LABEL.test(value);
}

/**
 * Throws an ArgumentError unless `value` is a DNS-1035 label: a DNS-1123 label that starts with a
 * letter. Kubernetes requires it of Service names (a Service's name is a DNS host name).
 */
export function requireDns1035Label(subject: string, field: string, value: unknown, maxLength = DNS1123_LABEL_MAX): string {
  if (typeof value !== "string" || !isDns1035Label(value, maxLength)) {
    throw new ArgumentError(
      subject,
      field,
      value,
      `expected a DNS-1035 label (a Service name): lower-case letters, digits and "-", starting with a letter and ending with a letter or digit, at most ${maxLength} characters`,
    );
  }
  return value;
}

/** The longest a DNS-1123 subdomain (a ConfigMap or Secret name) may be. */
export const DNS1123_SUBDOMAIN_MAX = 253;

/** True when `value` is a DNS-1123 subdomain: DNS-1123 labels joined by ".", at most 253 characters. */
export function isDns1123Subdomain(value: string): boolean {
  return value.length <= DNS1123_SUBDOMAIN_MAX && value.split(".").every((label) => DNS1123_LABEL.test(label));
}

/** Throws an ArgumentError unless `value` is a DNS-1123 subdomain (the names of ConfigMaps, Secrets and most objects). */
export function requireDns1123Subdomain(subject: string, field: string, value: unknown): string {
  if (typeof value !== "string" || !isDns1123Subdomain(value)) {
    throw new ArgumentError(
      subject,
      field,
      value,
      `expected a DNS-1123 subdomain: lower-case letters, digits, "-" and ".", starting and ending with a letter or digit, at most ${DNS1123_SUBDOMAIN_MAX} characters`,
    );
  }
  return value;
}

const QUALIFIED_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/**
 * True when `value` is a Kubernetes qualified name, the form of label and annotation keys: an
 * optional DNS-1123 subdomain prefix and "/", then a name of at most 63 letters, digits, "-", "_"
 * and ".", starting and ending with a letter or digit.
 */
export function isQualifiedName(value: string): boolean {
  const slash = value.lastIndexOf("/");
  const prefix = slash < 0 ? undefined : value.slice(0, slash);
  const name = slash < 0 ? value : value.slice(slash + 1);
  if (prefix !== undefined && (prefix.includes("/") || !isDns1123Subdomain(prefix))) return false;
  return name.length <= DNS1123_LABEL_MAX && QUALIFIED_NAME.test(name);
}

/**
 * A deterministic Kubernetes name from parts: joined with "-", lower-cased, characters outside
 * [a-z0-9-] replaced by "-". A result longer than `maxLength` is cut and given a short hash of
 * the full name, so distinct inputs stay distinct.
 */
export function kubernetesName(parts: readonly string[], maxLength = DNS1123_LABEL_MAX): string {
  const full = parts
    .join("-")
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (full.length === 0) throw new Error(`kubernetesName: no usable characters in ${JSON.stringify(parts)}`);
  if (full.length <= maxLength) return full;
  const suffix = createHash("sha256").update(full).digest("hex").slice(0, 8);
  const head = full.slice(0, maxLength - suffix.length - 1).replace(/-+$/, "");
  return `${head}-${suffix}`;
}

/**
 * The candidate closest to `word` by edit distance (case-insensitive), when it is close enough to
 * be a typo of it: for "did you mean ...?" in error messages.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (best === undefined || distance < best.distance) best = { candidate, distance };
  }
  if (best === undefined) return undefined;
  const allowed = best.candidate.length <= 3 ? 1 : Math.max(2, Math.floor(best.candidate.length / 3));
  return best.distance <= allowed ? best.candidate : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    previous = current;
  }
  return previous[b.length]!;
}
