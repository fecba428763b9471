import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, fixtureCheckout, kindClusters, pulumiStack, type EngineUser } from "../../src/engine";
import { machineConfig, prepareRealKind, realKindUser, report, type RealKind } from "../../src/real-kind";

// datastorage-e2e's data tier on the real kind, as far as it goes without the service images:
// the suite's own kind config (its kubeadm patches applied by a real kubeadm), the chart's
// PostgreSQL with its claim bound by the node's local-path provisioner, Valkey over TLS with the
// stack's certificate and CA. The service images (DataStorage, the goose migrations) are built
// from the service repository's Dockerfiles on a builder image no registry here serves, so the
// stand-in checkout's images cannot run: they, and what needs them, are left out of this `up`
// (`--exclude ... --exclude-dependents`), and the suite says so in one line.
const dir = join(REPO_ROOT, "stacks", "datastorage");
const stack = "datastorage-e2e";
const namespace = "datastorage-e2e";
let realKind: RealKind;
let user: EngineUser;
let checkout: string;

function kubectl(...args: string[]): string {
  const result = spawnSync(
    "kubectl",
    ["--kubeconfig", join(user.home, ".kube", "datastorage-e2e-config"), "--context", `kind-${stack}`, ...args],
    {
      encoding: "utf8",
      env: user.env,
    },
  );
  if (result.status !== 0) throw new Error(`kubectl ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

/** The URNs of the stack's service image builds, from its captured graph (`e2e-infra graph --json`). */
function serviceImageBuilds(): string[] {
  const result = spawnSync(
    process.execPath,
    [join(REPO_ROOT, "tools", "cli", "bin", "e2e-infra.cjs"), "graph", dir, "--json", "--config", `serviceRepository=${checkout}`],
    { encoding: "utf8", env: user.env, maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.status !== 0) throw new Error(`e2e-infra graph: ${result.stderr}`);
  const graph = JSON.parse(result.stdout) as { resources: { urn: string; name: string }[] };
  return graph.resources.filter((resource) => resource.name.endsWith("-image-build")).map((resource) => resource.urn);
}

beforeAll(() => {
  realKind = prepareRealKind();
  user = realKindUser("rk-datastorage", realKind);
  checkout = fixtureCheckout("rk-datastorage");
});

describe("datastorage-e2e's data tier on the real kind", () => {
  it("GIVEN no service images WHEN up without them THEN PostgreSQL's claim is bound and it answers on its host port, and Valkey answers over TLS to the stack's CA", async () => {
    const excluded = serviceImageBuilds();
    expect(excluded.map((urn) => urn.slice(urn.lastIndexOf("::") + 2)).sort()).toStrictEqual([
      "kubernaut-datastorage-image-build",
      "kubernaut-db-migrate-image-build",
    ]);
    const waiting =
      "datastorage-e2e: DataStorage and its goose migrations wait for the service images (built FROM the repository's ubi10 builder, which no registry here serves); the data tier below runs";
    console.log(waiting);
    report(waiting);

    const start = Date.now();
    await pulumiStack(user, {
      operation: "up",
      dir,
      stack,
      config: { serviceRepository: checkout, ...machineConfig(realKind) },
      exclude: excluded,
    });
    report(`datastorage-e2e data tier cold up on real kind: ${((Date.now() - start) / 1000).toFixed(1)} s wall`);

    const claims = JSON.parse(kubectl("get", "pvc", "-n", namespace, "-o", "json")) as {
      items: { metadata: { name: string }; status: { phase: string } }[];
    };
    expect(Object.fromEntries(claims.items.map((claim) => [claim.metadata.name, claim.status.phase]))).toMatchObject({
      "postgresql-data": "Bound",
      "valkey-data": "Bound",
    });
    // PostgreSQL through the host port the suite connects to (kind publishes it on 127.0.0.1).
    const ready = spawnSync("pg_isready", ["--host=127.0.0.1", "--port=25433", "--timeout=10"], { encoding: "utf8" });
    expect(ready.stdout).toContain("accepting connections");

    // Valkey over TLS only, its certificate checked against the CA file the stack wrote for the suite.
    const caFile = join(user.home, ".kube", "inter-service-ca.pem");
    expect(existsSync(caFile)).toBe(true);
    const ping = spawnSync(
      "kubectl",
      [
        "--kubeconfig",
        join(user.home, ".kube", "datastorage-e2e-config"),
        "--context",
        `kind-${stack}`,
        "exec",
        "-i",
        "-n",
        namespace,
        "deploy/valkey",
        "--",
        "sh",
        "-c",
        `cat > /tmp/stack-ca.pem && valkey-cli --tls --cacert /tmp/stack-ca.pem -h valkey.${namespace}.svc.cluster.local -p 6380 ping`,
      ],
      { encoding: "utf8", env: user.env, input: readFileSync(caFile, "utf8") },
    );
    expect(ping.stdout.trim(), ping.stderr).toBe("PONG");
  });

  it("WHEN destroyed THEN the cluster and the CA file are gone", async () => {
    await pulumiStack(user, { operation: "destroy", dir, stack });
    expect(kindClusters(user)).not.toContain(stack);
    expect(existsSync(join(user.home, ".kube", "inter-service-ca.pem"))).toBe(false);
  });
});
