import { ArgumentError, kubernetesName } from "@e2e-infra/core";

/** The data volume's size when none is given: room for a test database and its WAL. */
export const DEFAULT_STORAGE_SIZE = "1Gi";

/** The smallest volume accepted: initdb alone writes about 40 MiB. */
export const MIN_STORAGE_MEBIBYTES = 64;

const MEBIBYTES: Record<string, number> = { Mi: 1, Gi: 1024, Ti: 1024 * 1024 };

/**
 * Checks a data volume size: a whole number of Mi, Gi or Ti (Kubernetes quantities in binary
 * units), at least 64Mi. Other quantity forms ("1G", "1e9", "1.5Gi") are refused rather than
 * converted, so the size reads the same in the program, the claim and its name.
 */
export function requireStorageSize(subject: string, field: string, value: unknown): string {
  const match = typeof value === "string" ? /^([1-9][0-9]{0,6})(Mi|Gi|Ti)$/.exec(value) : null;
  if (match === null || Number(match[1]) * MEBIBYTES[match[2]!]! < MIN_STORAGE_MEBIBYTES) {
    throw new ArgumentError(
      subject,
      field,
      value,
      `expected a size of at least ${MIN_STORAGE_MEBIBYTES}Mi as a whole number of Mi, Gi or Ti, e.g. "${DEFAULT_STORAGE_SIZE}"`,
    );
  }
  return value as string;
}

/**
 * The PersistentVolumeClaim's name, `<serviceName>-data-<size>` (e.g. `postgresql-data-1gi`).
 * A claim cannot shrink, and kind's StorageClass cannot grow one, so a new size is a new claim:
 * named differently, Pulumi creates it before deleting the old one (a claim of the same name
 * would be deleted first, and its deletion waits for the pod that still mounts it).
 */
export function dataClaimName(serviceName: string, size: string): string {
  return kubernetesName([serviceName, "data", size]);
}
