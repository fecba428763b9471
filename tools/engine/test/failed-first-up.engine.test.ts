import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureDockerDaemon } from "../src/docker";
import { REPO_ROOT, engineUser, fixtureCheckout, kindClusters, pulumiStack, stepNames, type EngineUser } from "../src/engine";

// A first `up` that fails part-way (an image build: the cluster is made, the in-cluster objects
// are not), then what a user does next on the real engine: preview, fix, up. Before the uids
// the release derives names from (the database claim's, the namespace's) stayed unknown until
// their objects exist, that preview crashed: the provider, known now, planned the claim without
// a uid, and the migrations Job's name read `undefined`.
const dir = join(REPO_ROOT, "stacks", "datastorage");
const stack = "datastorage-e2e";
const DOCKERFILE = "docker/data-storage.Dockerfile";
let user: EngineUser;
let checkout: string;
const run = (operation: "up" | "preview" | "destroy", expectNoChanges = false) =>
  pulumiStack(user, { operation, dir, stack, expectNoChanges, config: { serviceRepository: checkout } });

beforeAll(async () => {
  user = engineUser("failed-first-up");
  await ensureDockerDaemon(user.home);
  checkout = fixtureCheckout("failed-first-up");
});

describe("datastorage-e2e after a first up that failed part-way, on the real engine", () => {
  it("GIVEN DataStorage's build fails WHEN up THEN it fails naming the build, with the cluster made", async () => {
    writeFileSync(join(checkout, DOCKERFILE), "FROM scratch\nCOPY no-such-file /\n");
    await expect(run("up")).rejects.toThrow(/datastorage-image-build[\s\S]*no-such-file/);
    expect(kindClusters(user)).toContain(stack);
  });

  it("GIVEN that state WHEN previewed THEN the rest of the environment is planned", async () => {
    const planned = await run("preview");
    expect(planned.changes["create"]).toBeGreaterThan(40);
    expect(stepNames(planned)["create"]).toEqual(
      expect.arrayContaining(["kubernaut-chart-persistentvolumeclaim-postgresql-data", "kubernaut-migrations-job-kubernaut-db-migration"]),
    );
  });

  it("GIVEN the Dockerfile fixed WHEN up THEN it converges, and a warm preview changes nothing", async () => {
    writeFileSync(join(checkout, DOCKERFILE), "FROM scratch\nCOPY go.mod /\n");
    const result = await run("up");
    expect(result.outputs["dataStorageUrl"]).toBe("https://localhost:28090");
    await run("preview", true);
  });

  it("GIVEN it is up WHEN destroyed THEN no cluster is left", async () => {
    await run("destroy");
    expect(kindClusters(user)).not.toContain(stack);
  });
});
