import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureDockerDaemon } from "../src/docker";
import { REPO_ROOT, engineUser, fixtureCheckout, kindClusters, pulumiStack, stepNames, type EngineUser } from "../src/engine";

// authwebhook-e2e with its images built beforehand, as the service repository's CI builds them once
// and loads them into the local store (localhost/<name>:<tag>, KUBERNAUT_CI_ARTIFACT_TAG), on the
// real engine with a real Docker image store: `up` builds nothing and loads each image as it is; a
// warm preview changes nothing; destroy. The images are the stand-in checkout's FROM scratch ones.
const stack = "authwebhook-e2e";
const dir = join(REPO_ROOT, "stacks", "authwebhook");
const TAG = `ci-engine-${process.pid}`;
const IMAGES = {
  datastorage: "docker/data-storage.Dockerfile",
  "db-migrate": "docker/db-migrate.Dockerfile",
  authwebhook: "docker/authwebhook.Dockerfile",
};
let user: EngineUser;
let config: Record<string, string>;

beforeAll(async () => {
  user = engineUser("prebuilt");
  await ensureDockerDaemon(user.home);
  const checkout = fixtureCheckout("prebuilt");
  for (const [name, dockerfile] of Object.entries(IMAGES)) {
    const build = spawnSync("docker", ["build", "-q", "-t", `localhost/${name}:${TAG}`, "-f", join(checkout, dockerfile), checkout], {
      encoding: "utf8",
    });
    if (build.status !== 0) throw new Error(`docker build of ${name}: ${build.stderr}`);
  }
  config = { serviceRepository: checkout, imageTag: TAG };
});

describe("prebuilt images (imageTag) on the real engine", () => {
  it("GIVEN the images in the host's store WHEN `pulumi up` THEN nothing is built, each is loaded as it is, and the environment converges", async () => {
    const result = await pulumiStack(user, { operation: "up", dir, stack, config });
    const created = stepNames(result)["create"] ?? [];
    expect(created.filter((name) => name.endsWith("-image-build"))).toStrictEqual([]);
    expect(created.filter((name) => name.endsWith("-image-load")).sort()).toStrictEqual([
      "kubernaut-authwebhook-image-load",
      "kubernaut-datastorage-image-load",
      "kubernaut-db-migrate-image-load",
    ]);
    const loaded = readFileSync(join(user.home, "kind-standin", "clusters", stack, "images"), "utf8");
    for (const name of Object.keys(IMAGES)) expect(loaded).toContain(`localhost/${name}:${TAG}`);
    expect(result.outputs["authWebhookUrl"]).toBe("https://localhost:30099");
  });

  it("GIVEN it is up WHEN previewed with --expect-no-changes THEN nothing would change", async () => {
    const result = await pulumiStack(user, { operation: "preview", dir, stack, config, expectNoChanges: true });
    expect(stepNames(result)).toStrictEqual({});
  });

  it("GIVEN it is up WHEN `pulumi destroy` THEN the cluster is gone, and the images stay in the host's store", async () => {
    await pulumiStack(user, { operation: "destroy", dir, stack, config });
    expect(kindClusters(user)).not.toContain(stack);
    for (const name of Object.keys(IMAGES)) {
      expect(spawnSync("docker", ["image", "inspect", `localhost/${name}:${TAG}`]).status).toBe(0);
      spawnSync("docker", ["rmi", `localhost/${name}:${TAG}`]);
    }
  });
});
