import { ArgumentError, requireDns1123Label } from "@e2e-infra/core";
import { createSecretKey } from "node:crypto";

/**
 * How long a certificate is valid by default: a year, as the project's cert-manager
 * certificates (`duration: 8760h`). The Go setup's 24 hours would expire under a kept
 * environment the next day.
 */
export const DEFAULT_VALIDITY_DAYS = 365;

/** A certificate with fewer days left is replaced by the next `up`: 30, as cert-manager's `renewBefore: 720h`. */
export const DEFAULT_RENEW_BEFORE_DAYS = 30;

/** The longest validity accepted: ten years. */
export const MAX_VALIDITY_DAYS = 3650;

/** The addresses every service certificate names, so host-side clients reach services through NodePorts. */
export const SERVICE_IP_ADDRESSES: readonly string[] = ["127.0.0.1"];

/** A service that gets a certificate signed by the inter-service CA. */
export interface ServiceCertificate {
  /** The Service's name: the certificate's common name and the first label of its DNS names. */
  serviceName: string;
  /** The `kubernetes.io/tls` Secret. Default `<serviceName>-tls`. */
  secretName?: string;
}

/**
 * The DNS names of a service's certificate, in the Go setup's order: `localhost`, the name, then
 * qualified by the namespace, `.svc` and `.svc.cluster.local`.
 */
export function serviceDnsNames(serviceName: string, namespace: string): string[] {
  return [
    "localhost",
    serviceName,
    `${serviceName}.${namespace}`,
    `${serviceName}.${namespace}.svc`,
    `${serviceName}.${namespace}.svc.cluster.local`,
  ];
}

/** `validityDays` and `renewBeforeDays`, checked: whole days, the renewal window shorter than the validity. */
export function requireValidity(subject: string, args: { validityDays?: unknown; renewBeforeDays?: unknown }) {
  const validityDays = args.validityDays ?? DEFAULT_VALIDITY_DAYS;
  if (typeof validityDays !== "number" || !Number.isInteger(validityDays) || validityDays < 1 || validityDays > MAX_VALIDITY_DAYS) {
    throw new ArgumentError(subject, "validityDays", validityDays, `expected a whole number of days from 1 to ${MAX_VALIDITY_DAYS}`);
  }
  const renewBeforeDays = args.renewBeforeDays ?? Math.min(DEFAULT_RENEW_BEFORE_DAYS, Math.floor(validityDays / 3));
  if (typeof renewBeforeDays !== "number" || !Number.isInteger(renewBeforeDays) || renewBeforeDays < 0 || renewBeforeDays >= validityDays) {
    throw new ArgumentError(
      subject,
      "renewBeforeDays",
      renewBeforeDays,
      `expected a whole number of days from 0 to ${validityDays - 1} (less than validityDays)`,
    );
  }
  return { validityDays, renewBeforeDays };
}

/** The services, checked: a non-empty list, DNS-1123 names, no service or Secret twice. */
export function requireServices(subject: string, value: unknown): Required<ServiceCertificate>[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new ArgumentError(
      subject,
      "services",
      value,
      'expected a non-empty list of service names or { serviceName, secretName }, e.g. ["gateway-service"]',
    );
  }
  const services = value.map((entry: unknown, index) => {
    const field = `services[${index}]`;
    const object = typeof entry === "string" ? { serviceName: entry } : (entry as Partial<ServiceCertificate> | null);
    if (typeof object !== "object" || object === null) {
      throw new ArgumentError(subject, field, entry, "expected a service name or { serviceName, secretName }");
    }
    const serviceName = requireDns1123Label(subject, typeof entry === "string" ? field : `${field}.serviceName`, object.serviceName);
    const secretName =
      object.secretName === undefined
        ? requireDns1123Label(subject, field, `${serviceName}-tls`)
        : requireDns1123Label(subject, `${field}.secretName`, object.secretName);
    return { serviceName, secretName };
  });
  for (const key of ["serviceName", "secretName"] as const) {
    services.forEach((service, index) => {
      const first = services.findIndex((other) => other[key] === service[key]);
      if (first !== index) {
        throw new ArgumentError(subject, `services[${index}].${key}`, service[key], `expected each ${key} once; services[${first}] has it`);
      }
    });
  }
  return services;
}

/** A certificate's common name: 1 to 64 printable characters (RFC 5280's upper bound). */
export function requireCommonName(subject: string, field: string, value: unknown): string {
  if (typeof value !== "string" || !/^[\x20-\x7e]{1,64}$/.test(value) || value.trim() !== value) {
    throw new ArgumentError(
      subject,
      field,
      value,
      "expected a common name: 1 to 64 printable ASCII characters, without leading or trailing spaces",
    );
  }
  return value;
}

/** A host file path: absolute or "~/...", on one line. (The dynamic provider's working directory is not the stack's under every runner.) */
export function requireHostPath(subject: string, field: string, value: unknown): string {
  if (typeof value !== "string" || !/^(\/|~\/)[^\n\r\0]*[^/\n\r\0]$/.test(value)) {
    throw new ArgumentError(subject, field, value, 'expected an absolute file path or one starting with "~/", on one line');
  }
  return value;
}

/** The first line of the CA file a stack writes: which stack wrote it. */
export function caFileHeader(project: string, stack: string): string {
  return `${CA_FILE_HEADER_PREFIX}${project}/${stack}; removed when that stack is destroyed`;
}

const CA_FILE_HEADER_PREFIX = "# inter-service CA of e2e-infra stack ";

/**
 * Why the file at a CA file's path (its text) is not one this stack may replace, or undefined:
 * one this stack wrote (its header), or one certificate alone (as earlier versions wrote it; the
 * write itself then compares it with this stack's CA and refuses another).
 */
export function caFileProblem(text: string, header: string): string | undefined {
  const first = text.split("\n", 1)[0]!;
  if (first === header) return undefined;
  if (first.startsWith(CA_FILE_HEADER_PREFIX)) {
    return `holds the CA of another stack ("${first}"): destroy that stack first, or remove the file if that stack is gone`;
  }
  if (/^-----BEGIN CERTIFICATE-----\n[^-]+\n-----END CERTIFICATE-----\n?$/.test(text)) return undefined;
  return "is not a CA file a stack wrote";
}

/**
 * The Node.js a certificate needs: signing with an issuer's key uses `KeyObject.toCryptoKey`
 * (Node 22.10; the project's runtime is 22.12+). An older Node fails here, at preview, rather than
 * in the middle of `up` with `issuerKey.toCryptoKey is not a function`.
 */
export function requireNodeCrypto(subject: string, key: object = createSecretKey(Buffer.alloc(16)), version = process.version): void {
  if (typeof (key as { toCryptoKey?: unknown }).toCryptoKey !== "function") {
    throw new Error(`${subject}: Node.js ${version} cannot sign certificates (no KeyObject.toCryptoKey); Node.js 22.12 or newer is needed`);
  }
}
