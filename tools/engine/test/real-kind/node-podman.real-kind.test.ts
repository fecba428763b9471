import { execFileSync, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { notRunHere } from "@e2e-infra/testing";
import { renderKindConfig } from "@e2e-infra/kind-cluster";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, kindClusters, type EngineUser } from "../../src/engine";
import { prepareRealKind, realKindUser, report, type RealKind } from "../../src/real-kind";

// The same node image on rootful Podman (KIND_EXPERIMENTAL_PROVIDER=podman), with runc-wrapper
// as Podman's runtime and Podman's own state under ~/.cache/e2e-infra/real-kind/podman
// (tools/real-kind/podman/env.sh): never the machine's Podman configuration or store.
const name = "rk-podman";
const noPodman = notRunHere(
  "the real-kind scenario on Podman",
  spawnSync("podman", ["--version"]).error === undefined ? undefined : "podman is not on PATH (Debian: apt-get install podman)",
);
let realKind: RealKind;
let user: EngineUser;
let kubeconfig: string;
let image: string;

function run(command: string, ...args: string[]): string {
  const result = spawnSync(command, args, { encoding: "utf8", env: user.env, timeout: 300_000, maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} (exit ${result.status}): ${result.stderr}`);
  return result.stdout;
}
const kubectl = (...args: string[]) => run("kubectl", "--kubeconfig", kubeconfig, "--context", `kind-${name}`, ...args);

beforeAll(() => {
  if (noPodman) return;
  realKind = prepareRealKind();
  const state = join(homedir(), ".cache", "e2e-infra", "real-kind", "podman");
  const lines = execFileSync("bash", [join(REPO_ROOT, "tools", "real-kind", "podman", "env.sh"), state], { encoding: "utf8" });
  const podmanEnv = Object.fromEntries(
    lines
      .trim()
      .split("\n")
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
  user = realKindUser("rk-podman", realKind, podmanEnv);
  kubeconfig = join(user.home, "kubeconfig");
  // Podman's store holds the node image once it is copied in from the suite's Docker daemon.
  image = `localhost/${realKind.nodeImage}`;
  if (spawnSync("podman", ["image", "exists", image], { env: user.env }).status !== 0) {
    const start = Date.now();
    execFileSync("bash", ["-c", 'docker save "$IMAGE" | podman load --quiet'], {
      env: { ...user.env, IMAGE: realKind.nodeImage },
      stdio: "ignore",
    });
    report(`node image copied into Podman's store: ${((Date.now() - start) / 1000).toFixed(1)} s`);
  }
});

describe.skipIf(noPodman)("the node image on rootful Podman", () => {
  it("GIVEN KIND_EXPERIMENTAL_PROVIDER=podman WHEN kind creates a cluster THEN its node is Ready and a pod's command runs and its log reads back", () => {
    const config = join(user.home, "kind.yaml");
    // The kind config KindCluster writes for a stack with allowCgroupV1 on a machine like this one.
    writeFileSync(config, renderKindConfig({ name, allowCgroupV1: realKind.cgroupV1 }));
    const start = Date.now();
    run("kind", "create", "cluster", "--name", name, "--image", image, "--config", config, "--kubeconfig", kubeconfig, "--wait", "120s");
    report(`kind create cluster on Podman (one node, Ready): ${((Date.now() - start) / 1000).toFixed(1)} s`);
    const ready = kubectl("get", "node", `${name}-control-plane`, "-o", "jsonpath={.status.conditions[?(@.type=='Ready')].status}");
    expect(ready).toBe("True");
    // An image the node holds (the mirror is on the Docker daemon's network only).
    kubectl(
      "run",
      "hello",
      "--image=registry.k8s.io/etcd:3.6.8-0",
      "--restart=Never",
      "--command",
      "--",
      "sh",
      "-c",
      "echo hello from a pod on podman",
    );
    kubectl("wait", "pod/hello", "--for=jsonpath={.status.phase}=Succeeded", "--timeout=120s");
    expect(kubectl("logs", "hello")).toBe("hello from a pod on podman\n");
  });

  it("WHEN kind deletes it THEN it is gone, and so is the network kind left", () => {
    run("kind", "delete", "cluster", "--name", name, "--kubeconfig", kubeconfig);
    expect(kindClusters(user)).not.toContain(name);
    run("podman", "network", "rm", "kind");
    expect(spawnSync("podman", ["network", "exists", "kind"], { env: user.env }).status).not.toBe(0);
  });
});
