import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureDockerDaemon } from "../src/docker";
import { REPO_ROOT, engineUser, fixtureCheckout, kindClusters, pulumiStack, type EngineUser } from "../src/engine";

// Two different stacks of one user, up and destroyed at the same time on the real engine: their
// clusters, kubeconfigs, host ports and temp archives must not collide. (The HEAD stacks are never
// up together: their suites share the CA file beside their kubeconfigs, EXCLUSIVE_STACKS; the
// demo is up beside one of them.)
let user: EngineUser;
let checkout: string;

beforeAll(async () => {
  user = engineUser("two-stacks");
  await ensureDockerDaemon(user.home);
  checkout = fixtureCheckout("two-stacks");
});

const stacks = [
  { dir: join(REPO_ROOT, "stacks", "demo"), stack: "demo-e2e", checkout: false },
  { dir: join(REPO_ROOT, "stacks", "signalprocessing"), stack: "signalprocessing-e2e", checkout: true },
];

describe("two stacks at once on the real engine", () => {
  it("GIVEN demo-e2e and signalprocessing-e2e WHEN both are brought up at once THEN both environments are up, each in its own cluster", async () => {
    const results = await Promise.all(
      stacks.map(({ dir, stack, checkout: reads }) =>
        pulumiStack(user, { operation: "up", dir, stack, config: reads ? { serviceRepository: checkout } : {} }),
      ),
    );
    expect(results.map((result) => result.changes["create"])).toStrictEqual([expect.any(Number), expect.any(Number)]);
    expect(kindClusters(user)).toStrictEqual(["demo-e2e", "signalprocessing-e2e"]);
    expect(results.map((result) => result.outputs["kubeconfigPath"])).toStrictEqual(
      stacks.map(({ stack }) => join(user.home, ".kube", `${stack}-config`)),
    );
  });

  it("GIVEN both up WHEN both are destroyed at once THEN no cluster is left", async () => {
    await Promise.all(
      stacks.map(({ dir, stack, checkout: reads }) =>
        pulumiStack(user, { operation: "destroy", dir, stack, config: reads ? { serviceRepository: checkout } : {} }),
      ),
    );
    expect(kindClusters(user)).toStrictEqual([]);
  });
});
