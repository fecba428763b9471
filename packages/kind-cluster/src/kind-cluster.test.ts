import { inClusterOptions } from "@e2e-infra/core";
import { capture, validateKubernetesResources } from "@e2e-infra/testing";
import * as k8s from "@pulumi/kubernetes";
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { API_THROUGHPUT_PATCH, CGROUP_V1_PATCH, KindCluster, renderKindConfig, type KindClusterArgs } from "./index";

const gatewayLike: KindClusterArgs = {
  name: "gateway-e2e",
  containerRuntime: "podman",
  kubeconfigPath: "~/.kube/gateway-e2e-config",
  nodes: [
    {
      role: "control-plane",
      extraPortMappings: [
        { containerPort: 30080, hostPort: 8080 },
        { containerPort: 30081, hostPort: 18091 },
      ],
      extraMounts: [{ hostPath: "./coverdata", containerPath: "/coverdata" }],
    },
    { role: "worker" },
  ],
  kubeadmConfigPatches: [API_THROUGHPUT_PATCH],
};

describe("KindCluster graph", () => {
  it("GIVEN a cluster and a ConfigMap through its provider WHEN captured THEN the edges are the true ones", async () => {
    const { graph } = await capture(() => {
      const cluster = new KindCluster("gw", gatewayLike);
      new k8s.core.v1.ConfigMap(
        "probe",
        { metadata: { name: "probe", namespace: "default" }, data: { a: "b" } },
        inClusterOptions(cluster, cluster),
      );
      // Asked for twice (two sets of CRDs): one provider.
      expect(cluster.crdProvider()).toBe(cluster.crdProvider());
    });

    const component = graph.one({ type: "e2e-infra:index:KindCluster", name: "gw" });
    const create = graph.one({ type: "pulumi-nodejs:dynamic:HostCommand", name: "gw-cluster" });
    const provider = graph.one({ type: "pulumi:providers:kubernetes", name: "gw-provider" });
    const crdProvider = graph.one({ type: "pulumi:providers:kubernetes", name: "gw-crd-provider" });
    const file = graph.one({ type: "pulumi-nodejs:dynamic:KubeconfigFile", name: "gw-kubeconfig-file" });
    const configMap = graph.one({ type: "kubernetes:core/v1:ConfigMap", name: "probe" });

    expect(
      graph
        .children(component)
        .map((r) => r.name)
        .sort(),
    ).toStrictEqual(["gw-cluster", "gw-crd-provider", "gw-kubeconfig-file", "gw-provider", "probe"]);
    expect(create.dependencies).toStrictEqual([]);
    // Two providers of the same cluster, the second for CRDs alone: each waits for the cluster only.
    for (const each of [provider, crdProvider]) {
      expect(each.dependencies).toStrictEqual([create.urn]);
      expect(each.propertyDependencies["kubeconfig"]).toStrictEqual([create.urn]);
      expect(each.secretInputs).toContain("kubeconfig");
    }
    expect(crdProvider.inputs).toStrictEqual(provider.inputs);
    expect(graph.independent(provider, crdProvider)).toBe(true);
    expect(file.dependencies).toStrictEqual([create.urn]);
    expect(configMap.provider).toBe(provider.urn);
    expect(configMap.deletedWith).toBe(create.urn);
    expect(graph.dependsOn(configMap, create)).toBe(true);
    expect(graph.independent(file, provider)).toBe(true);
  });

  it("GIVEN a cluster whose provider for CRDs nobody asks for WHEN captured THEN it has one provider", async () => {
    const { graph } = await capture(() => new KindCluster("gw", gatewayLike));
    expect(graph.find({ type: "pulumi:providers:kubernetes" }).map((provider) => provider.name)).toStrictEqual(["gw-provider"]);
  });

  it("GIVEN a cluster WHEN captured THEN the kubeconfig is a secret everywhere it is sent", async () => {
    const { graph } = await capture(() => new KindCluster("gw", gatewayLike));
    const create = graph.one({ name: "gw-cluster" });
    expect(create.options.additionalSecretOutputs).toStrictEqual(["stdout"]);
    expect(graph.one({ name: "gw-provider" }).secretInputs).toContain("kubeconfig");
    const file = graph.one({ name: "gw-kubeconfig-file" });
    expect(file.secretInputs).toStrictEqual(["content"]);
    expect(file.options.additionalSecretOutputs).toStrictEqual(["content"]);
  });

  it("GIVEN a cluster WHEN captured THEN kind runs from constant scripts and every value goes through the environment", async () => {
    const { graph } = await capture(() => new KindCluster("gw", gatewayLike));
    const create = graph.one({ name: "gw-cluster" });
    const environment = create.inputs["environment"] as Record<string, string>;
    expect(Object.keys(environment).sort()).toStrictEqual([
      "KIND_CLUSTER_NAME",
      "KIND_CONFIG",
      "KIND_EXPERIMENTAL_PROVIDER",
      "KIND_MOUNT_DIRS",
    ]);
    expect(environment["KIND_CLUSTER_NAME"]).toBe("gateway-e2e");
    expect(environment["KIND_EXPERIMENTAL_PROVIDER"]).toBe("podman");
    expect(environment["KIND_MOUNT_DIRS"]).toBe("./coverdata");
    for (const script of ["create", "update", "delete"]) {
      expect(create.inputs[script]).not.toContain("gateway-e2e");
      expect(create.inputs[script]).not.toContain("30080");
    }
    expect(create.options.deleteBeforeReplace).toBe(true);
  });

  it("GIVEN the same arguments twice WHEN captured THEN the inputs are identical (no timestamps, no randomness)", async () => {
    const first = await capture(() => new KindCluster("gw", gatewayLike));
    const second = await capture(() => new KindCluster("gw", gatewayLike));
    expect(second.graph.resources.map((r) => r.inputs)).toStrictEqual(first.graph.resources.map((r) => r.inputs));
  });

  it("GIVEN a change of shape WHEN captured THEN only the replacement trigger changes, and a new kubeconfig path touches only the file (whose provider replaces it on a new path)", async () => {
    const triggers = async (args: KindClusterArgs) => {
      const { graph } = await capture(() => new KindCluster("gw", args));
      return {
        cluster: graph.one({ name: "gw-cluster" }).inputs["triggers"],
        file: graph.one({ name: "gw-kubeconfig-file" }).inputs["path"],
      };
    };
    const base = await triggers(gatewayLike);
    const morePorts = await triggers({
      ...gatewayLike,
      nodes: [{ role: "control-plane", extraPortMappings: [{ containerPort: 30090, hostPort: 9090 }] }],
    });
    const otherPath = await triggers({ ...gatewayLike, kubeconfigPath: "/tmp/elsewhere" });
    const waiting = await triggers({ ...gatewayLike, waitForReady: "60s" });
    const cgroupV1 = await triggers({ ...gatewayLike, allowCgroupV1: true });
    expect(cgroupV1.cluster).not.toStrictEqual(base.cluster);
    expect(morePorts.cluster).not.toStrictEqual(base.cluster);
    expect(otherPath.cluster).toStrictEqual(base.cluster);
    expect(otherPath.file).not.toStrictEqual(base.file);
    expect(waiting.cluster).toStrictEqual(base.cluster);
  });

  it("GIVEN allowCgroupV1 THEN the kind config carries the kubelet's cgroup v1 patch after the cluster's own; without it, not", () => {
    const patches = (allowCgroupV1?: boolean) =>
      (
        JSON.parse(renderKindConfig({ name: "gw", kubeadmConfigPatches: [API_THROUGHPUT_PATCH], allowCgroupV1 })) as {
          kubeadmConfigPatches: string[];
        }
      ).kubeadmConfigPatches;
    expect(patches(true)).toStrictEqual([API_THROUGHPUT_PATCH, CGROUP_V1_PATCH]);
    expect(CGROUP_V1_PATCH).toBe("kind: KubeletConfiguration\nfailCgroupV1: false\n");
    expect(patches(false)).toStrictEqual([API_THROUGHPUT_PATCH]);
    expect(patches()).toStrictEqual([API_THROUGHPUT_PATCH]);
  });

  it("GIVEN an object through the cluster's provider WHEN validated THEN it matches the Kubernetes schema", async () => {
    const { graph } = await capture(() => {
      const cluster = new KindCluster("gw", gatewayLike);
      new k8s.core.v1.Namespace("ns", { metadata: { name: "kubernaut-system" } }, inClusterOptions(cluster, cluster));
    });
    const report = await validateKubernetesResources(graph);
    expect(report.validated).toHaveLength(1);
    expect(report.withoutSchema).toStrictEqual([]);
  });
});

describe("KindCluster bad input", () => {
  const cases: Array<[string, KindClusterArgs, RegExp]> = [
    ["shell metacharacters", { name: "gw;rm -rf ~" }, /KindCluster "x": name is "gw;rm -rf ~"; expected a DNS-1123 label/],
    ["upper case", { name: "Gateway" }, /name is "Gateway"; expected a DNS-1123 label/],
    ["too long", { name: "a".repeat(49) }, /at most 48 characters/],
    [
      "unknown role",
      { nodes: [{ role: "master" as "worker" }] },
      /nodes\[0\]\.role is "master"; expected one of "control-plane", "worker"/,
    ],
    ["no control plane", { nodes: [{ role: "worker" }] }, /nodes is \["worker"\]; expected at least one node with role "control-plane"/],
    [
      "host port mapped twice",
      {
        nodes: [
          { role: "control-plane", extraPortMappings: [{ containerPort: 30080, hostPort: 8080 }] },
          { role: "worker", extraPortMappings: [{ containerPort: 30081, hostPort: 8080 }] },
        ],
      },
      /nodes\[1\]\.extraPortMappings\[0\]\.hostPort is 8080; host port 8080\/TCP is already mapped by nodes\[0\]\.extraPortMappings\[0\]/,
    ],
    [
      "port out of range",
      { nodes: [{ role: "control-plane", extraPortMappings: [{ containerPort: 30080, hostPort: 70000 }] }] },
      /hostPort is 70000; expected a port number from 1 to 65535/,
    ],
    [
      "relative container path",
      { nodes: [{ role: "control-plane", extraMounts: [{ hostPath: "/x", containerPath: "coverdata" }] }] },
      /containerPath is "coverdata"; expected an absolute path/,
    ],
    ["unknown runtime", { containerRuntime: "containerd" as "docker" }, /containerRuntime is "containerd"; expected "docker" or "podman"/],
    ["bad wait", { waitForReady: "5 minutes" }, /waitForReady is "5 minutes"/],
    ["kubeconfig path is a directory", { kubeconfigPath: tmpdir() }, /kubeconfigPath is ".+"; expected a file path; it is a directory/],
    // Values from untyped config: a wrong shape is named, not a TypeError from inside the check.
    ["a null node", { nodes: [null] as unknown as KindClusterArgs["nodes"] }, /nodes\[0\] is null; expected a node: an object with a role/],
    [
      "port mappings as a string",
      { nodes: [{ role: "control-plane", extraPortMappings: "30080:8080" as unknown as [] }] },
      /nodes\[0\]\.extraPortMappings is "30080:8080"; expected a list of port mappings/,
    ],
    [
      'readOnly as the string "false" (it was taken as true)',
      {
        nodes: [{ role: "control-plane", extraMounts: [{ hostPath: "/x", containerPath: "/x", readOnly: "false" as unknown as boolean }] }],
      },
      /extraMounts\[0\]\.readOnly is "false"; expected true or false/,
    ],
    [
      "a listen address that is no IP address",
      { nodes: [{ role: "control-plane", extraPortMappings: [{ containerPort: 30080, hostPort: 8080, listenAddress: "999.1.1.1" }] }] },
      /listenAddress is "999.1.1.1"; expected an IPv4 or IPv6 address/,
    ],
    [
      "labels as a string",
      { nodes: [{ role: "control-plane", labels: "tier=db" as unknown as Record<string, string> }] },
      /nodes\[0\]\.labels is "tier=db"; expected a map/,
    ],
    // An upper-case first component without a "." is a repository, not a registry host.
    [
      "an upper-case node image",
      { nodeImage: "Kindest/node:v1.36.1" },
      /nodeImage is "Kindest\/node:v1.36.1"; expected an image reference/,
    ],
    ["a node image with an empty tag", { nodeImage: "kindest/node:" }, /nodeImage is "kindest\/node:"; expected an image reference/],
    [
      "a cgroup v1 allowance as a string",
      { allowCgroupV1: "true" as unknown as boolean },
      /allowCgroupV1 is "true"; expected true or false/,
    ],
  ];
  it.each(cases)("GIVEN %s WHEN constructed THEN it throws naming the field, before any resource", async (_, args, message) => {
    const run = capture(() => new KindCluster("x", args));
    await expect(run).rejects.toThrow(message);
    // Nothing but the stack itself was registered.
    const registered = await capture(() => {
      try {
        new KindCluster("x", args);
      } catch {
        /* the throw is asserted above */
      }
    });
    expect(registered.graph.resources.map((r) => r.type)).toStrictEqual(["pulumi:pulumi:Stack"]);
  });
});
