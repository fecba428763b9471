import { capture, fixtureCheckout } from "@e2e-infra/testing";
import * as pulumi from "@pulumi/pulumi";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { StackSettings } from "@e2e-infra/stack-kit";
import { KUBERNAUT_HEAD, suiteCluster } from "./index";

const KIND_CONFIG = "test/infrastructure/kind-datastorage-config.yaml";
const NODE_PORTS = {
  dataStorageHostPort: 30081,
  dataStorageMetricsHostPort: 30181,
  dataStorageHealthHostPort: 30281,
  postgresHostPort: 30432,
  isolatedDataStorageHostPort: 30082,
  isolatedDataStorageHealthHostPort: 30282,
};
const settings = (hostPorts: Record<string, number>): StackSettings => ({
  project: "datastorage",
  stack: "datastorage-e2e",
  clusterName: "datastorage-e2e",
  kubeconfigPath: "~/.kube/datastorage-e2e-config",
  containerRuntime: undefined,
  coverage: false,
  hostPorts,
  listenAddress: "127.0.0.1",
  nodeImage: undefined,
  allowCgroupV1: false,
  exclusiveGroup: undefined,
  config: undefined as unknown as pulumi.Config,
});
const defaults = {
  ...NODE_PORTS,
  dataStorageHostPort: 28090,
  dataStorageMetricsHostPort: 28091,
  dataStorageHealthHostPort: 28092,
  postgresHostPort: 25433,
  isolatedDataStorageHostPort: 28093,
  isolatedDataStorageHealthHostPort: 28094,
};

function cluster(repository: string, hostPorts: Record<string, number> = defaults, machine: Partial<StackSettings> = {}) {
  return capture(() => {
    suiteCluster({ ...settings(hostPorts), ...machine }, repository, {
      kindConfig: KIND_CONFIG,
      nodePorts: NODE_PORTS,
      workingDir: "test/e2e/datastorage",
      verifiedAgainst: KUBERNAUT_HEAD,
    });
  });
}

/** A copy of the stand-in checkout whose kind config `edit` changed. */
function editedCheckout(edit: (config: { nodes: Record<string, unknown>[] }) => void): string {
  const dir = mkdtempSync(join(tmpdir(), "suite-cluster-"));
  cpSync(fixtureCheckout(), dir, { recursive: true, verbatimSymlinks: true });
  const config = parse(readFileSync(join(dir, KIND_CONFIG), "utf8")) as { nodes: Record<string, unknown>[] };
  edit(config);
  writeFileSync(join(dir, KIND_CONFIG), JSON.stringify(config));
  return dir;
}

describe("suiteCluster", () => {
  it("GIVEN a suite's kind config that binds a port on every address THEN the stack's listenAddress decides, for every port", async () => {
    const checkout = editedCheckout((config) => {
      (config.nodes[0]!["extraPortMappings"] as Record<string, unknown>[])[0]!["listenAddress"] = "0.0.0.0";
    });
    const { graph } = await cluster(checkout);
    const environment = graph.one({ name: "cluster-cluster" }).inputs["environment"] as Record<string, string>;
    const mappings = (parse(environment["KIND_CONFIG"]!) as { nodes: { extraPortMappings: { listenAddress: string }[] }[] }).nodes[0]!
      .extraPortMappings;
    expect(new Set(mappings.map((mapping) => mapping.listenAddress))).toStrictEqual(new Set(["127.0.0.1"]));
  });

  it("GIVEN the suite's kind config THEN its node, pinned image, patches and mount (from the suite's directory), with the stack's host ports", async () => {
    const { graph } = await cluster(fixtureCheckout(), { ...defaults, dataStorageHostPort: 38090 });
    const environment = graph.one({ name: "cluster-cluster" }).inputs["environment"] as Record<string, string>;
    const config = parse(environment["KIND_CONFIG"]!) as { nodes: Record<string, unknown>[] };
    expect(config.nodes).toHaveLength(1);
    const node = config.nodes[0]!;
    expect(node["image"]).toBe("kindest/node:v1.36.1");
    expect(node["extraPortMappings"]).toStrictEqual([
      { containerPort: 30081, hostPort: 38090, protocol: "TCP", listenAddress: "127.0.0.1" },
      { containerPort: 30181, hostPort: 28091, listenAddress: "127.0.0.1" },
      { containerPort: 30281, hostPort: 28092, listenAddress: "127.0.0.1" },
      { containerPort: 30432, hostPort: 25433, listenAddress: "127.0.0.1" },
      { containerPort: 30082, hostPort: 28093, listenAddress: "127.0.0.1" },
      { containerPort: 30282, hostPort: 28094, listenAddress: "127.0.0.1" },
    ]);
    expect(node["extraMounts"]).toStrictEqual([
      { hostPath: join(fixtureCheckout(), "test", "e2e", "datastorage", "coverdata"), containerPath: "/coverdata", readOnly: false },
    ]);
    expect(String(node["kubeadmConfigPatches"])).toContain('max-requests-inflight: "1200"');
  });

  it("GIVEN the stack's nodeImage and allowCgroupV1 THEN they stand for the suite's pinned image and add the kubelet's cgroup v1 patch", async () => {
    const { graph } = await cluster(fixtureCheckout(), defaults, { nodeImage: "e2e-infra/kind-node:v1.36.3-abc", allowCgroupV1: true });
    const environment = graph.one({ name: "cluster-cluster" }).inputs["environment"] as Record<string, string>;
    const config = parse(environment["KIND_CONFIG"]!) as { nodes: Record<string, unknown>[]; kubeadmConfigPatches: string[] };
    expect(config.nodes.map((node) => node["image"])).toStrictEqual(["e2e-infra/kind-node:v1.36.3-abc"]);
    expect(config.kubeadmConfigPatches.map((patch) => parse(patch) as unknown)).toContainEqual({
      kind: "KubeletConfiguration",
      failCgroupV1: false,
    });
    // The suite's own patches stay.
    expect(String(config.nodes[0]!["kubeadmConfigPatches"])).toContain('max-requests-inflight: "1200"');
  });

  it("GIVEN a kind config mapping a node port the stack does not know THEN the preview fails naming it and the verified commit", async () => {
    const checkout = editedCheckout((config) => {
      (config.nodes[0]!["extraPortMappings"] as unknown[]).push({ containerPort: 30999, hostPort: 28099 });
    });
    await expect(cluster(checkout)).rejects.toThrow(
      /config datastorage:serviceRepository is ".*"; expected test\/infrastructure\/kind-datastorage-config.yaml to map only node ports this stack knows \(30081, .*\); it maps 30999 to host port 28099, and this stack was verified against jordigilh\/kubernaut d5a4a8709 of 2026-08-22/,
    );
  });

  it("GIVEN a kind config that no longer maps a node port the stack knows THEN the preview fails naming it", async () => {
    const checkout = editedCheckout((config) => {
      config.nodes[0]!["extraPortMappings"] = (config.nodes[0]!["extraPortMappings"] as { containerPort: number }[]).filter(
        (m) => m.containerPort !== 30432,
      );
    });
    await expect(cluster(checkout)).rejects.toThrow(
      /expected test\/infrastructure\/kind-datastorage-config.yaml to map node port 30432 \(postgresHostPort\)/,
    );
  });

  it("GIVEN a file that is no kind config THEN the preview fails naming the file", async () => {
    const checkout = editedCheckout((config) => {
      delete (config as { kind?: string }).kind;
    });
    await expect(cluster(checkout)).rejects.toThrow(
      /expected test\/infrastructure\/kind-datastorage-config.yaml to be a kind config \(kind: Cluster\) with nodes/,
    );
  });
});
