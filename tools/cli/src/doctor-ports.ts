import { exclusive, type StackFootprint } from "@e2e-infra/stack-kit";
import { spawnSync } from "node:child_process";
import { createServer } from "node:net";
import type { Check } from "./doctor";

/** Whether something listens on the host port (kind maps ports on all addresses). */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "EADDRINUSE" || error.code === "EACCES"));
    server.listen({ port, host: "0.0.0.0", exclusive: true }, () => server.close(() => resolve(false)));
  });
}

/**
 * The stack's host ports that are in use: fine when its own cluster is up (it holds them), else a
 * problem, naming the stack whose cluster is up and maps the port when there is one: a stack of
 * the same exclusiveGroup may map the same ports (the two are never up together), so it comes
 * down first. `clusters` are the kind clusters that are up.
 */
export async function portChecks(
  footprint: StackFootprint,
  footprints: readonly StackFootprint[],
  clusters: readonly string[],
): Promise<Check[]> {
  const checks: Check[] = [];
  const clusterUp = clusters.includes(footprint.clusterName);
  for (const [key, port] of Object.entries(footprint.hostPorts)) {
    if (!(await portInUse(port))) continue;
    const holder = footprints.find(
      (other) =>
        other.clusterName !== footprint.clusterName &&
        clusters.includes(other.clusterName) &&
        Object.values(other.hostPorts).includes(port),
    );
    const choose = `choose another: pulumi config set ${key} <port> -s ${footprint.stack}`;
    if (clusterUp) {
      checks.push({
        status: "ok",
        what: `host port ${port} (${key}) is in use: by ${footprint.stack}'s cluster ${footprint.clusterName}, which is up`,
      });
    } else if (holder !== undefined) {
      const mate = exclusive(footprint, holder);
      checks.push({
        status: "FAIL",
        what: `host port ${port} (${key}) is in use: by ${holder.stack}'s cluster ${holder.clusterName}, which is up${mate ? ` (exclusiveGroup ${footprint.exclusiveGroup}: the two are never up together)` : ""}`,
        fix: `take it down first: e2e-infra down ${holder.stack}${mate ? "" : `; or ${choose}`}`,
      });
    } else {
      checks.push({
        status: "FAIL",
        what: `host port ${port} (${key}) is in use by another program`,
        fix: `see who holds it: ss -ltnp 'sport = :${port}' (or lsof -i :${port}); or ${choose}`,
      });
    }
  }
  if (checks.length === 0 && Object.keys(footprint.hostPorts).length > 0)
    checks.push({ status: "ok", what: `host ports free: ${Object.values(footprint.hostPorts).join(", ")}` });
  return checks;
}

/** The kind clusters that are up on this machine (none when kind is missing or fails). */
export function kindClusters(): string[] {
  const result = spawnSync("kind", ["get", "clusters"], { encoding: "utf8", timeout: 20_000 });
  return result.status === 0
    ? result.stdout
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line !== "")
    : [];
}
