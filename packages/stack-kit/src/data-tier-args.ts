import { ArgumentError, NODE_PORT_MAX, NODE_PORT_MIN, requireInCluster, requireOptionalBoolean } from "@e2e-infra/core";
import { requireMigrationSelection } from "@e2e-infra/migrations";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";

/**
 * Checks DataTier's own arguments before it registers anything: its children check theirs again,
 * but only once DataTier and the children before them exist, and naming their own fields.
 * `paths` are what it reads from the checkout (DATA_TIER_PATHS).
 */
export function validateDataTierArgs(
  subject: string,
  args: {
    cluster?: unknown;
    namespace?: unknown;
    repository?: unknown;
    dataStorageNodePort?: unknown;
    postgresNodePort?: unknown;
    migrations?: unknown;
    coverage?: unknown;
  },
  paths: readonly string[],
): void {
  requireInCluster(subject, args);
  const repository = args.repository;
  if (typeof repository !== "string" || !existsSync(repository) || !statSync(repository).isDirectory()) {
    throw new ArgumentError(subject, "repository", repository, "expected a checkout of the service repository (an existing directory)");
  }
  for (const path of paths) {
    if (!existsSync(join(repository, path))) {
      throw new ArgumentError(subject, "repository", repository, `expected a checkout of the service repository; it has no ${path}`);
    }
  }
  const dataStorage = requireNodePort(subject, "dataStorageNodePort", args.dataStorageNodePort ?? 30081);
  if (args.postgresNodePort !== undefined) {
    const postgres = requireNodePort(subject, "postgresNodePort", args.postgresNodePort);
    if (postgres === dataStorage) {
      throw new ArgumentError(
        subject,
        "postgresNodePort",
        postgres,
        `NodePort ${postgres} is already used by dataStorageNodePort; each NodePort can be used once`,
      );
    }
  }
  requireMigrationSelection(subject, "migrations", args.migrations);
  requireOptionalBoolean(subject, "coverage", args.coverage);
}

function requireNodePort(subject: string, field: string, port: unknown): number {
  if (typeof port !== "number" || !Number.isInteger(port) || port < NODE_PORT_MIN || port > NODE_PORT_MAX) {
    throw new ArgumentError(subject, field, port, `expected a NodePort from ${NODE_PORT_MIN} to ${NODE_PORT_MAX}`);
  }
  return port;
}
