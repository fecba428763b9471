import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { USERS_KUBECONFIG } from "@e2e-infra/testing";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureDockerDaemon, nodeBaseImageStandIn } from "../src/docker";
import { REPO_ROOT, engineUser, fixtureCheckout, kindClusters, pulumiStack, type EngineUser } from "../src/engine";

// Two different stacks of one user, up and destroyed at the same time on the real engine: their
// clusters, host ports and temp archives must not collide. Both put their kubeconfig entries into
// the user's own ~/.kube/config, which holds another context (the setting a user picks so that
// kubectl "just works"): the user's context, comment and mode survive, both stacks' entries are
// merged in at once, and destroy takes out exactly those. (The HEAD stacks are never
// up together: their suites share the CA file beside their kubeconfigs, exclusiveGroup
// kubernaut-head in their Pulumi.yaml; the demo is up beside one of them.)
let user: EngineUser;
let checkout: string;
let kubeconfig: string;

beforeAll(async () => {
  user = engineUser("two-stacks");
  await ensureDockerDaemon(user.home);
  // demo-e2e's base image, as the demo scenario makes it (this file also runs on its own).
  nodeBaseImageStandIn();
  checkout = fixtureCheckout("two-stacks");
  kubeconfig = join(user.home, ".kube", "config");
  mkdirSync(join(user.home, ".kube"), { recursive: true });
  writeFileSync(kubeconfig, USERS_KUBECONFIG);
  chmodSync(kubeconfig, 0o640);
});

const config = (reads: boolean) => ({ kubeconfigPath: "~/.kube/config", ...(reads ? { serviceRepository: checkout } : {}) });
const names = (list: string) =>
  ((parse(readFileSync(kubeconfig, "utf8")) as Record<string, { name: string }[]>)[list] ?? []).map((e) => e.name).sort();

const stacks = [
  { dir: join(REPO_ROOT, "stacks", "demo"), stack: "demo-e2e", checkout: false },
  { dir: join(REPO_ROOT, "stacks", "signalprocessing"), stack: "signalprocessing-e2e", checkout: true },
];

describe("two stacks at once on the real engine", () => {
  it("GIVEN demo-e2e and signalprocessing-e2e WHEN both are brought up at once THEN both environments are up, each in its own cluster", async () => {
    const results = await Promise.all(
      stacks.map(({ dir, stack, checkout: reads }) => pulumiStack(user, { operation: "up", dir, stack, config: config(reads) })),
    );
    expect(results.map((result) => result.changes["create"])).toStrictEqual([expect.any(Number), expect.any(Number)]);
    expect(kindClusters(user)).toStrictEqual(["demo-e2e", "signalprocessing-e2e"]);
    expect(results.map((result) => result.outputs["kubeconfigPath"])).toStrictEqual([kubeconfig, kubeconfig]);
    // Both stacks' entries, merged at once, beside the user's; the user's context still current, the file's mode and comment kept.
    for (const list of ["clusters", "contexts", "users"]) {
      expect(names(list), list).toStrictEqual(
        [...(list === "users" ? ["admin"] : ["prod"]), "kind-demo-e2e", "kind-signalprocessing-e2e"].sort(),
      );
    }
    expect((parse(readFileSync(kubeconfig, "utf8")) as Record<string, unknown>)["current-context"]).toBe("prod");
    expect(statSync(kubeconfig).mode & 0o777).toBe(0o640);
    expect(readFileSync(kubeconfig, "utf8").startsWith("# my clusters\n")).toBe(true);
    // signalprocessing-e2e seeded its ActionTypes with kubectl through its own context, not the file's current "prod".
    const seeded = spawnSync(
      join(user.bin, "kubectl"),
      ["--kubeconfig", kubeconfig, "--context", "kind-signalprocessing-e2e", "get", "actiontypes", "-A", "-o", "name"],
      { encoding: "utf8", env: user.env },
    );
    expect(seeded.stderr).toBe("");
    expect(seeded.stdout.trim().split("\n")).toHaveLength(11);
    // Its CA file beside the kubeconfig names the stack that wrote it.
    expect(readFileSync(join(user.home, ".kube", "inter-service-ca.pem"), "utf8")).toMatch(
      /^# inter-service CA of e2e-infra stack signalprocessing\/signalprocessing-e2e; removed when that stack is destroyed\n-----BEGIN CERTIFICATE-----\n/,
    );
  });

  it("GIVEN both up WHEN both are destroyed at once THEN no cluster is left", async () => {
    await Promise.all(
      stacks.map(({ dir, stack, checkout: reads }) => pulumiStack(user, { operation: "destroy", dir, stack, config: config(reads) })),
    );
    expect(kindClusters(user)).toStrictEqual([]);
    // The user's kubeconfig as it was: exactly the stacks' entries taken out; the CA file gone.
    expect(parse(readFileSync(kubeconfig, "utf8"))).toStrictEqual(parse(USERS_KUBECONFIG));
    expect(statSync(kubeconfig).mode & 0o777).toBe(0o640);
    expect(existsSync(join(user.home, ".kube", "inter-service-ca.pem"))).toBe(false);
    expect(existsSync(`${kubeconfig}.lock`)).toBe(false);
  });
});
