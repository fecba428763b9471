import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderKindConfig } from "@e2e-infra/kind-cluster";
import { beforeAll, describe, expect, it } from "vitest";
import { kindClusters, type EngineUser } from "../../src/engine";
import { prepareRealKind, realKindUser, report, type RealKind } from "../../src/real-kind";

// The real kind built here with the node image built here, without Pulumi: a node Ready, a pod
// running a command, its log read back.
const name = "rk-node";
let realKind: RealKind;
let user: EngineUser;
let kubeconfig: string;

function run(command: string, ...args: string[]): string {
  const result = spawnSync(command, args, { encoding: "utf8", env: user.env, timeout: 300_000 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} (exit ${result.status}): ${result.stderr}`);
  return result.stdout;
}
const kubectl = (...args: string[]) => run("kubectl", "--kubeconfig", kubeconfig, "--context", `kind-${name}`, ...args);

beforeAll(() => {
  realKind = prepareRealKind();
  user = realKindUser("rk-node", realKind);
  kubeconfig = join(user.home, "kubeconfig");
});

describe("the real kind and the node image built here", () => {
  it("GIVEN the built kind THEN it is v0.32.0", () => {
    expect(run("kind", "version")).toMatch(/^kind v0\.32\.0 go1\.\d+\.\d+ linux\/amd64\n$/);
  });

  it("GIVEN the node image WHEN kind creates a cluster THEN its node is Ready with containerd 2.3.1 and kubelet v1.36.3, and a pod's command runs and its log reads back", () => {
    const config = join(user.home, "kind.yaml");
    // The kind config KindCluster writes for a stack with allowCgroupV1 on a machine like this one.
    writeFileSync(config, renderKindConfig({ name, allowCgroupV1: realKind.cgroupV1 }));
    const start = Date.now();
    run(
      "kind",
      "create",
      "cluster",
      "--name",
      name,
      "--image",
      realKind.nodeImage,
      "--config",
      config,
      "--kubeconfig",
      kubeconfig,
      "--wait",
      "120s",
    );
    report(`kind create cluster (one node, Ready) with the node image built here: ${((Date.now() - start) / 1000).toFixed(1)} s`);
    const node = JSON.parse(kubectl("get", "node", `${name}-control-plane`, "-o", "json")) as {
      status: { conditions: { type: string; status: string }[]; nodeInfo: { containerRuntimeVersion: string; kubeletVersion: string } };
    };
    expect(node.status.conditions.find((condition) => condition.type === "Ready")?.status).toBe("True");
    expect(node.status.nodeInfo).toMatchObject({ containerRuntimeVersion: "containerd://2.3.1", kubeletVersion: "v1.36.3" });

    // From the registry mirror: postgres:16-alpine is a stand-in served by it.
    kubectl(
      "run",
      "hello",
      "--image=postgres:16-alpine",
      "--restart=Never",
      "--command",
      "--",
      "sh",
      "-c",
      "echo hello from a real pod on $(uname -s)",
    );
    kubectl("wait", "pod/hello", "--for=jsonpath={.status.phase}=Succeeded", "--timeout=120s");
    expect(kubectl("logs", "hello")).toBe("hello from a real pod on Linux\n");
  });

  it("WHEN kind deletes it THEN it is gone", () => {
    run("kind", "delete", "cluster", "--name", name, "--kubeconfig", kubeconfig);
    expect(kindClusters(user)).not.toContain(name);
  });
});
