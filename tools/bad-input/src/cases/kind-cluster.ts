import { KindCluster, type KindClusterArgs } from "@e2e-infra/kind-cluster";
import { casesFor, Shown, type ComponentCatalogue } from "../catalogue";
import { files } from "../fakes";

const NAME = "expected a DNS-1123 label";
const IMAGE = "expected an image reference";
const BOOLEAN = "expected true or false";
const PORT = "expected a port number from 1 to 65535";

const { bad, baseline } = casesFor<KindClusterArgs>(
  "KindCluster",
  (name, args) => new KindCluster(name, args),
  () => ({ name: "kc-e2e" }),
  "kc",
);
/** A node with one bad part: a control plane with `node` merged in. */
const node = (part: Record<string, unknown>) => ({ nodes: [{ role: "control-plane", ...part }] });
const mapping = (part: Record<string, unknown>) => node({ extraPortMappings: [{ containerPort: 30080, hostPort: 8080, ...part }] });
const mount = (part: Record<string, unknown>) =>
  node({ extraMounts: [{ hostPath: "/tmp/coverdata", containerPath: "/coverdata", ...part }] });

/** KindCluster: every argument (name, nodeImage, nodes and their parts, kubeadmConfigPatches, listenAddress, allowCgroupV1, containerRuntime, kubeconfigPath, waitForReady). */
export const kindCluster: ComponentCatalogue = {
  component: "KindCluster",
  args: { file: "packages/kind-cluster/src/kind-cluster.ts", type: "KindClusterArgs" },
  baseline,
  cases: [
    bad("a cluster name with upper case and _", { name: "Bad_Name" }, "name", "Bad_Name", NAME),
    bad(
      "a cluster name of 49 characters (node names append -control-plane)",
      { name: "x".repeat(49) },
      "name",
      "x".repeat(49),
      "at most 48 characters",
    ),
    bad("an empty cluster name", { name: "" }, "name", "", NAME),
    bad("a cluster name that is a number", { name: 42 }, "name", 42, NAME),
    bad("no name and a resource name that is no cluster name", { name: undefined }, "name", "My Cluster", NAME, "My Cluster"),
    bad("a node image with an upper-case repository", { nodeImage: "Kindest/Node:v1.36.1" }, "nodeImage", "Kindest/Node:v1.36.1", IMAGE),
    bad("a node image with an empty tag", { nodeImage: "kindest/node:" }, "nodeImage", "kindest/node:", IMAGE),
    bad("a node image with a space", { nodeImage: "kindest/node v1.36.1" }, "nodeImage", "kindest/node v1.36.1", IMAGE),
    bad("an empty node image", { nodeImage: "" }, "nodeImage", "", IMAGE),
    bad("no nodes", { nodes: [] }, "nodes", [], "expected a list of at least one node"),
    bad("nodes given as a string", { nodes: "control-plane" }, "nodes", "control-plane", "expected a list of at least one node"),
    bad("a null node", { nodes: [null] }, "nodes[0]", null, "expected a node: an object with a role"),
    bad("a node role kind does not have", node({ role: "master" }), "nodes[0].role", "master", 'expected one of "control-plane", "worker"'),
    bad(
      "no control-plane node",
      { nodes: [{ role: "worker" }] },
      "nodes",
      ["worker"],
      'expected at least one node with role "control-plane"',
    ),
    bad("a node image with a bad tag", node({ image: "kindest/node:v1:36" }), "nodes[0].image", "kindest/node:v1:36", IMAGE),
    bad(
      "port mappings given as a string",
      node({ extraPortMappings: "30080:8080" }),
      "nodes[0].extraPortMappings",
      "30080:8080",
      "expected a list of port mappings",
    ),
    bad(
      "a null port mapping",
      node({ extraPortMappings: [null] }),
      "nodes[0].extraPortMappings[0]",
      null,
      "expected a port mapping: { containerPort, hostPort }",
    ),
    bad("a container port of 0", mapping({ containerPort: 0 }), "nodes[0].extraPortMappings[0].containerPort", 0, PORT),
    bad("a host port given as a string", mapping({ hostPort: "8080" }), "nodes[0].extraPortMappings[0].hostPort", "8080", PORT),
    bad("a host port above 65535", mapping({ hostPort: 70000 }), "nodes[0].extraPortMappings[0].hostPort", 70000, PORT),
    bad(
      "a protocol in lower case",
      mapping({ protocol: "tcp" }),
      "nodes[0].extraPortMappings[0].protocol",
      "tcp",
      'expected one of "TCP", "UDP", "SCTP"',
    ),
    bad(
      "a listen address that is a host name",
      mapping({ listenAddress: "localhost" }),
      "nodes[0].extraPortMappings[0].listenAddress",
      "localhost",
      "expected an IPv4 or IPv6 address",
    ),
    bad(
      "a listen address that is no IPv4 address",
      mapping({ listenAddress: "999.1.1.1" }),
      "nodes[0].extraPortMappings[0].listenAddress",
      "999.1.1.1",
      "expected an IPv4 or IPv6 address",
    ),
    bad(
      "one host port mapped twice",
      node({
        extraPortMappings: [
          { containerPort: 30080, hostPort: 8080 },
          { containerPort: 30081, hostPort: 8080 },
        ],
      }),
      "nodes[0].extraPortMappings[1].hostPort",
      8080,
      "each host port can be mapped once",
    ),
    bad(
      "mounts given as a string",
      node({ extraMounts: "/tmp:/coverdata" }),
      "nodes[0].extraMounts",
      "/tmp:/coverdata",
      "expected a list of mounts",
    ),
    bad("an empty host path", mount({ hostPath: "" }), "nodes[0].extraMounts[0].hostPath", "", "expected a non-empty path on one line"),
    bad(
      "a relative container path",
      mount({ containerPath: "coverdata" }),
      "nodes[0].extraMounts[0].containerPath",
      "coverdata",
      "expected an absolute path inside the node",
    ),
    bad('readOnly as the string "false"', mount({ readOnly: "false" }), "nodes[0].extraMounts[0].readOnly", "false", BOOLEAN),
    bad('selinuxRelabel as the string "yes"', mount({ selinuxRelabel: "yes" }), "nodes[0].extraMounts[0].selinuxRelabel", "yes", BOOLEAN),
    bad(
      "a propagation in lower case",
      mount({ propagation: "none" }),
      "nodes[0].extraMounts[0].propagation",
      "none",
      'expected one of "None", "HostToContainer", "Bidirectional"',
    ),
    bad("labels given as a string", node({ labels: "tier=db" }), "nodes[0].labels", "tier=db", "expected a map of label keys to values"),
    bad(
      "a label key with a space",
      node({ labels: { "bad key": "x" } }),
      "nodes[0].labels",
      new Shown('"bad key"'),
      "expected label keys of the form [prefix/]name",
    ),
    bad("a label value with a space", node({ labels: { tier: "a b" } }), 'nodes[0].labels["tier"]', "a b", "expected a label value"),
    bad(
      "a node's kubeadm patches as one string",
      node({ kubeadmConfigPatches: "kind: InitConfiguration" }),
      "nodes[0].kubeadmConfigPatches",
      "kind: InitConfiguration",
      "expected a list of non-empty YAML documents",
    ),
    bad(
      "an empty kubeadm patch",
      { kubeadmConfigPatches: [""] },
      "kubeadmConfigPatches",
      [""],
      "expected a list of non-empty YAML documents",
    ),
    bad(
      "a container runtime kind does not know",
      { containerRuntime: "Docker" },
      "containerRuntime",
      "Docker",
      'expected "docker" or "podman"',
    ),
    bad("an empty kubeconfig path", { kubeconfigPath: "" }, "kubeconfigPath", "", "expected a file path on one line"),
    bad("a kubeconfig path with a newline", { kubeconfigPath: "a\nb" }, "kubeconfigPath", "a\nb", "expected a file path on one line"),
    bad(
      "a kubeconfig path that is a directory",
      { kubeconfigPath: files.dir },
      "kubeconfigPath",
      files.dir,
      "expected a file path; it is a directory",
    ),
    bad(
      "a kubeconfig path naming a shell profile",
      { kubeconfigPath: files.shellProfile },
      "kubeconfigPath",
      files.shellProfile,
      "expected a new file or a kubeconfig to add the cluster's entries to",
    ),
    bad(
      "a kubeconfig path naming a YAML file that is no kubeconfig",
      { kubeconfigPath: files.notKubeconfig },
      "kubeconfigPath",
      files.notKubeconfig,
      'is not a kubeconfig (kind: "Pod", a kubeconfig has kind: Config)',
    ),
    bad(
      "a listen address given as a host name",
      { listenAddress: "localhost" },
      "listenAddress",
      "localhost",
      "expected an IPv4 or IPv6 address",
    ),
    bad("a listen address given as a number", { listenAddress: 0 }, "listenAddress", 0, "expected an IPv4 or IPv6 address"),
    bad("a cgroup v1 allowance given as a string", { allowCgroupV1: "true" }, "allowCgroupV1", "true", "expected true or false"),
    bad("a wait without a unit", { waitForReady: "60" }, "waitForReady", "60", 'expected a duration such as "60s" or "5m"'),
    bad("a wait given as a number", { waitForReady: 60 }, "waitForReady", 60, 'expected a duration such as "60s" or "5m"'),
  ],
};
