import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureDockerDaemon } from "../src/docker";
import { REPO_ROOT, engineUser, fixtureCheckout, kindClusters, pulumiStack, stepNames, type EngineUser } from "../src/engine";

// gateway-e2e through a developer's day on the real engine: a change to one service's source,
// a build that fails half-way and is then fixed, files and a cluster deleted behind Pulumi's back.
// The checkout is the stand-in, a Go module laid out like kubernaut: every image is built with
// the whole checkout as its context (one .dockerignore), and each image's content tag hashes
// only its declared sources, its main package and the packages it imports.
const dir = join(REPO_ROOT, "stacks", "gateway");
const stack = "gateway-e2e";
let user: EngineUser;
let checkout: string;

function write(path: string, text: string): void {
  mkdirSync(join(checkout, path, ".."), { recursive: true });
  writeFileSync(join(checkout, path), text);
}

const up = () => pulumiStack(user, { operation: "up", dir, stack, config: { serviceRepository: checkout } });
const preview = (expectNoChanges = false) =>
  pulumiStack(user, { operation: "preview", dir, stack, expectNoChanges, config: { serviceRepository: checkout } });

beforeAll(async () => {
  user = engineUser("gateway-day");
  await ensureDockerDaemon(user.home);
  checkout = fixtureCheckout("gateway-day");
  write("docker/gateway.Dockerfile", "FROM scratch\nCOPY . /src/\n");
  write("docker/data-storage.Dockerfile", "FROM scratch\nCOPY . /src/\n");
  await up();
});

describe("gateway-e2e changed, broken and recovered on the real engine", () => {
  it("GIVEN the gateway's source changed WHEN previewed THEN exactly its build, load and rollout would run; `up` does only that", async () => {
    // DataStorage's image has the same context; its sources do not include cmd/gateway.
    write("cmd/gateway/main.go", "package main\n\nfunc main() { println(1) }\n");
    const planned = await preview();
    expect(stepNames(planned)).toStrictEqual({
      update: ["kubernaut-chart-deployment-gateway", "kubernaut-gateway-image-build", "kubernaut-gateway-image-load"],
    });
    const done = await up();
    expect(stepNames(done)).toStrictEqual(stepNames(planned));
    await preview(true);
    // A file of the checkout no image reads changes nothing.
    write("docs/notes.md", "notes\n");
    await preview(true);
  });

  it("GIVEN a build that fails half-way WHEN up THEN it fails naming the build's error, and once fixed `up` converges", async () => {
    write("cmd/gateway/main.go", "package main\n\nfunc main() { println(2) }\n");
    write("docker/gateway.Dockerfile", "FROM scratch\nCOPY . /src/\nCOPY no-such-file /\n");
    await expect(up()).rejects.toThrow(/gateway-image-build[\s\S]*host command failed[\s\S]*no-such-file/);
    // The failed build kept its old state: the fix builds, loads and rolls out the new source.
    write("docker/gateway.Dockerfile", "FROM scratch\nCOPY . /src/\n");
    const fixed = await up();
    expect(stepNames(fixed)).toStrictEqual({
      update: ["kubernaut-chart-deployment-gateway", "kubernaut-gateway-image-build", "kubernaut-gateway-image-load"],
    });
    await preview(true);
  });

  it("GIVEN the kubeconfig and CA files removed by hand, the cluster still running WHEN refresh then up THEN both are written again, and nothing else changes", async () => {
    const kubeconfig = join(user.home, ".kube", `${stack}-config`);
    const caFile = join(user.home, ".kube", "inter-service-ca.pem");
    rmSync(kubeconfig);
    rmSync(caFile);
    await pulumiStack(user, { operation: "refresh", dir, stack, config: { serviceRepository: checkout } });
    const result = await up();
    expect(stepNames(result)).toStrictEqual({ create: ["cluster-kubeconfig-file", "kubernaut-tls-ca-file"] });
    expect(readFileSync(kubeconfig, "utf8")).toContain("server: https://");
    expect(readFileSync(caFile, "utf8")).toMatch(/^# inter-service CA of e2e-infra stack [^\n]*\n-----BEGIN CERTIFICATE-----/);
    expect(kindClusters(user)).toContain(stack);
    await preview(true);
  });

  it("GIVEN the cluster deleted behind Pulumi's back WHEN refresh then up THEN the cluster and everything in it are created again", async () => {
    const deleted = spawnSync("kind", ["delete", "cluster", "--name", stack], { encoding: "utf8", env: user.env });
    expect(deleted.status).toBe(0);
    rmSync(join(user.home, ".kube", `${stack}-config`), { force: true });
    await pulumiStack(user, { operation: "refresh", dir, stack, config: { serviceRepository: checkout } });
    const result = await up();
    const steps = stepNames(result);
    expect(steps["create"]).toEqual(
      expect.arrayContaining([
        "cluster-cluster",
        "cluster-kubeconfig-file",
        "kubernaut-chart-deployment-gateway",
        "kubernaut-migrations-job-kubernaut-db-migration",
      ]),
    );
    // The ActionTypes were in the old cluster: their seed is named after the namespace, which is
    // new, so it is replaced (seeded again).
    expect(steps["create-replacement"]).toContain("kubernaut-action-types");
    expect(kindClusters(user)).toContain(stack);
    await preview(true);
  });

  it("GIVEN the environment WHEN destroyed THEN nothing is left", async () => {
    await pulumiStack(user, { operation: "destroy", dir, stack, config: { serviceRepository: checkout } });
    expect(kindClusters(user)).not.toContain(stack);
  });
});
