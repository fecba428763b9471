import { serviceStack, workspaceWithStacks, writeGeneratedStack } from "@e2e-infra/tools";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureDockerDaemon } from "../src/docker";
import { REPO_ROOT, engineUser, fixtureCheckout, kindClusters, pulumiStack, type EngineUser } from "../src/engine";

// What `nx g @e2e-infra/tools:service-stack notification --dataStoragePort 30090` writes for a
// suite of the service repository (the kubernaut way, its service read from the stand-in's chart),
// on the real engine: up with the suite's outputs, a warm preview that changes nothing, destroy.
// It is written beside the stacks (.generated-engine/, git-ignored), where its tsconfig and
// packages resolve as in stacks/.
const dir = join(REPO_ROOT, ".generated-engine", "notification");
const stack = "notification-e2e";
let user: EngineUser;
let checkout: string;
const run = (operation: "up" | "preview" | "destroy", expectNoChanges = false) =>
  pulumiStack(user, { operation, dir, stack, expectNoChanges, config: { serviceRepository: checkout } });

beforeAll(async () => {
  const tree = workspaceWithStacks(REPO_ROOT);
  // As before stacks/notification, which began as what this writes.
  tree.delete("stacks/notification");
  serviceStack(tree, { name: "notification", dataStoragePort: 30090, skipInstall: true });
  writeGeneratedStack(tree, "notification", dir);
  user = engineUser("generated-stack");
  await ensureDockerDaemon(user.home);
  checkout = fixtureCheckout("generated-stack");
});

describe("the generator's stack for a suite of the service repository, on the real engine", () => {
  it("GIVEN the stand-in checkout WHEN up THEN the environment converges with the suite's outputs, and a warm preview changes nothing", async () => {
    const result = await run("up");
    expect(result.changes["create"]).toBeGreaterThan(40);
    expect(result.outputs).toMatchObject({ dataStorageUrl: "https://localhost:30090", dataStorageHealthUrl: "http://localhost:30281" });
    expect(Object.keys(result.outputs).sort()).toStrictEqual(["caFile", "dataStorageHealthUrl", "dataStorageUrl", "kubeconfigPath"]);
    expect(kindClusters(user)).toContain(stack);
    await run("preview", true);
  });

  it("GIVEN it is up WHEN destroyed THEN no cluster is left", async () => {
    await run("destroy");
    expect(kindClusters(user)).not.toContain(stack);
  });
});
