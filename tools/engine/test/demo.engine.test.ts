import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureDockerDaemon, nodeBaseImageStandIn } from "../src/docker";
import { REPO_ROOT, engineUser, timeline, kindClusters, pulumiStack, stepNames, type EngineUser } from "../src/engine";

// demo-e2e, the README's main job, on the real engine: the Pulumi CLI and the Kubernetes
// provider built from their Go modules, a real control plane (kube-apiserver, controller
// manager, scheduler, etcd) behind the kind stand-in, kwok playing the nodes, and real Docker
// builds. The demo's base image (node:22-alpine) cannot be pulled here: a local image of that
// name stands in (busybox, and an `npm` that records its arguments), so the build's COPY, RUN
// and USER steps run for real on top of it.
const dir = join(REPO_ROOT, "stacks", "demo");
const stack = "demo-e2e";
let user: EngineUser;
let archivesBefore: string[];
const archives = () => readdirSync(tmpdir()).filter((name) => name.startsWith("e2e-infra-demo-demo-e2e-"));

function kubectl(...args: string[]): string {
  const result = spawnSync(join(user.bin, "kubectl"), ["--kubeconfig", join(user.home, ".kube", "demo-e2e-config"), ...args], {
    encoding: "utf8",
    env: user.env,
  });
  if (result.status !== 0) throw new Error(`kubectl ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

beforeAll(async () => {
  user = engineUser("demo");
  archivesBefore = archives();
  await ensureDockerDaemon(user.home);
  nodeBaseImageStandIn();
});

describe("demo-e2e on the real engine", () => {
  it("GIVEN nothing WHEN `pulumi up` THEN the environment is created: cluster, image built and loaded, data tier, migrations, app rolled out", async () => {
    const events = join(user.home, "demo-e2e.up.jsonl");
    const result = await pulumiStack(user, { operation: "up", dir, stack, events });
    expect(result.changes["create"]).toBeGreaterThan(10);
    expect(result.outputs["appUrl"]).toBe("http://localhost:18080");
    // The recorded run, as `e2e-infra timeline` reads it: the build ran while the cluster was created.
    const steps = timeline(events).steps;
    const step = (name: string) => steps.find((s) => s.name === name && s.op === "create")!;
    expect(step("app-image-build").start).toBeLessThan(step("cluster-cluster").end);
    expect(step("app-image-load").start).toBeGreaterThanOrEqual(step("cluster-cluster").end);
    expect(steps.filter((s) => s.failed)).toStrictEqual([]);
    expect(result.outputs["kubeconfigPath"]).toBe(join(user.home, ".kube", "demo-e2e-config"));

    const deployments = JSON.parse(kubectl("get", "deployments", "-n", "demo", "-o", "json")) as {
      items: { metadata: { name: string }; status: { availableReplicas?: number } }[];
    };
    expect(Object.fromEntries(deployments.items.map((d) => [d.metadata.name, d.status.availableReplicas ?? 0]))).toMatchObject({ demo: 1 });
    const jobs = JSON.parse(kubectl("get", "jobs", "-n", "demo", "-o", "json")) as { items: { status: { succeeded?: number } }[] };
    expect(jobs.items.map((job) => job.status.succeeded)).toStrictEqual([1]);

    const loads = readFileSync(join(user.home, "kind-standin", "clusters", stack, "images"), "utf8");
    expect(loads).toMatch(/localhost\/e2e-infra-demo:[0-9a-f]{16}/);
    // The provider the CLI ran: the one built from its Go module, found on PATH.
    expect(readFileSync(user.log, "utf8")).toContain(
      `using pulumi-resource-kubernetes from $PATH at ${join(user.bin, "pulumi-resource-kubernetes")}`,
    );
  });

  it("GIVEN the environment is up WHEN previewed with --expect-no-changes THEN nothing would change", async () => {
    const result = await pulumiStack(user, { operation: "preview", dir, stack, expectNoChanges: true });
    expect(stepNames(result)).toStrictEqual({});
  });

  it("GIVEN the environment is up WHEN `pulumi destroy` THEN one cluster delete, and no control plane, kubeconfig, archive or resource is left", async () => {
    const result = await pulumiStack(user, { operation: "destroy", dir, stack });
    expect(result.changes["delete"]).toBeGreaterThan(10);
    const calls = readFileSync(join(user.home, "kind-standin", "invocations.log"), "utf8")
      .split("\n")
      .filter((line) => / argv= delete cluster /.test(line));
    expect(calls).toHaveLength(1);
    expect(kindClusters(user)).not.toContain(stack);
    // This user's control plane: another suite's cluster of the same name on this machine is not ours.
    expect(spawnSync("pgrep", ["-f", `${user.home}/kind-standin/kwok/clusters/${stack}/`]).status).toBe(1);
    expect(existsSync(join(user.home, ".kube", "demo-e2e-config"))).toBe(false);
    expect(archives().filter((name) => !archivesBefore.includes(name))).toStrictEqual([]);
    const after = await pulumiStack(user, { operation: "preview", dir, stack });
    expect(after.changes["create"]).toBeGreaterThan(10); // an empty stack: everything would be created again
  });
});
