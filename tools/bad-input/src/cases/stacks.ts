import { exclusive, readFootprints, type StackFootprint } from "@e2e-infra/stack-kit";
import { documentedConfigKeys, readStackFiles } from "@e2e-infra/testing";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { stackCase, type BadInput, type ExpectedMessage } from "../catalogue";
import { CHECKOUT, files, ROOT, TEKTON_RELEASE } from "../fakes";

const STACKS = join(ROOT, "stacks");
const PORT = "expected a port from 1 to 65535";

/** The stack directories under stacks/, each with its one stack file. */
export function stackDirs(): Array<{ dir: string; stack: string }> {
  return readdirSync(STACKS)
    .sort()
    .flatMap((name) => {
      const dir = join(STACKS, name);
      const stackFile = readdirSync(dir).find((file) => /^Pulumi\.[^.]+\.yaml$/.test(file) && file !== "Pulumi.yaml");
      return stackFile === undefined ? [] : [{ dir, stack: stackFile.slice("Pulumi.".length, -".yaml".length) }];
    });
}

type Case = [description: string, config: { set?: Record<string, unknown>; unset?: string[] }, expected: Omit<ExpectedMessage, "subject">];

/**
 * The bad values of one config key of a stack. `others` are the other stacks' footprints (for
 * collisions), `mates` those of its exclusive group; `key` is the bare key, `full` the namespaced one.
 */
function casesOfKey(key: string, project: string, self: StackFootprint, others: StackFootprint[], mates: StackFootprint[]): Case[] {
  const full = `${project}:${key}`;
  const field = `config ${full}`;
  const other = others[0]!;
  if (key === "clusterName") {
    const name = "expected a DNS-1123 label";
    return [
      ["a cluster name with upper case and _", { set: { [full]: "Bad_Name" } }, { field, value: '"Bad_Name"', valid: name }],
      [
        "a cluster name of 49 characters",
        { set: { [full]: "c".repeat(49) } },
        { field, value: JSON.stringify("c".repeat(49)), valid: "at most 48 characters" },
      ],
      ["no cluster name", { unset: [full] }, { field, value: "missing", valid: name }],
      [
        "another stack's cluster name",
        { set: { [full]: other.clusterName } },
        {
          field,
          value: JSON.stringify(other.clusterName),
          valid: `expected a cluster name no other stack uses; stack ${other.stack} uses it too`,
        },
      ],
    ];
  }
  if (key === "kubeconfigPath") {
    return [
      ["an empty kubeconfig path", { set: { [full]: "" } }, { field, value: '""', valid: "expected a file path on one line" }],
      [
        "a kubeconfig path with a newline",
        { set: { [full]: "~/.kube/a\nb" } },
        { field, value: JSON.stringify("~/.kube/a\nb"), valid: "expected a file path on one line" },
      ],
      ["no kubeconfig path", { unset: [full] }, { field, value: "missing", valid: "expected a file path on one line" }],
      [
        "a kubeconfig path that is a directory",
        { set: { [full]: files.dir } },
        { field, value: JSON.stringify(files.dir), valid: "expected a file path; it is a directory" },
      ],
    ];
  }
  if (key === "containerRuntime") {
    return [
      [
        "a container runtime kind does not know",
        { set: { [full]: "kind" } },
        { field, value: '"kind"', valid: 'expected "docker" or "podman"' },
      ],
    ];
  }
  if (key === "listenAddress") {
    const address = "expected an IPv4 or IPv6 address";
    return [
      ["a listen address given as a host name", { set: { [full]: "localhost" } }, { field, value: '"localhost"', valid: address }],
      ["a listen address with a port", { set: { [full]: "127.0.0.1:8080" } }, { field, value: '"127.0.0.1:8080"', valid: address }],
    ];
  }
  if (key === "coverage") {
    return [["coverage as yes", { set: { [full]: "yes" } }, { field, value: '"yes"', valid: "expected true or false" }]];
  }
  if (key === "allowCgroupV1") {
    return [["a cgroup v1 allowance as v1", { set: { [full]: "v1" } }, { field, value: '"v1"', valid: "expected true or false" }]];
  }
  if (key === "nodeImage") {
    return [
      [
        "a node image with a space",
        { set: { [full]: "kindest/node:v1.36 1" } },
        { field, value: '"kindest/node:v1.36 1"', valid: "expected an image reference" },
      ],
    ];
  }
  if (key === "exclusiveGroup") {
    const cases: Case[] = [
      [
        "an exclusive group with upper case and a space",
        { set: { [full]: "Bad Group" } },
        { field, value: '"Bad Group"', valid: 'expected a group name, a DNS-1123 label (lower-case letters, digits and "-"' },
      ],
    ];
    // The first stack of its group (in the order readStackSettings compares them) mapping one of its host ports.
    const mate = mates.find((candidate) => Object.values(candidate.hostPorts).some((port) => Object.values(self.hostPorts).includes(port)));
    if (mate === undefined) return cases;
    const [name, port] = Object.entries(self.hostPorts).find(([, mine]) => Object.values(mate.hostPorts).includes(mine))!;
    const [mateKey] = Object.entries(mate.hostPorts).find(([, theirs]) => theirs === port)!;
    cases.push([
      `leaving its exclusive group (none) while ${mate.stack} of it maps ${name}'s port`,
      { set: { [full]: "" } },
      {
        field: `config ${project}:${name}`,
        value: String(port),
        valid: `expected a host port no other stack maps; stack ${mate.stack} maps it (${mate.project}:${mateKey}); stacks never up at the same time may share host ports: both set the same exclusiveGroup (${mate.stack}'s is ${JSON.stringify(mate.exclusiveGroup)}; ${field} is none)`,
      },
    ]);
    return cases;
  }
  if (key.endsWith("HostPort")) {
    const taken = Object.entries(other.hostPorts)[0]!;
    const sibling = Object.keys(self.hostPorts).find((name) => name !== key)!;
    return [
      [`${key} that is no number`, { set: { [full]: "eighty" } }, { field, value: '"eighty"', valid: PORT }],
      [`${key} of 0`, { set: { [full]: 0 } }, { field, value: "0", valid: PORT }],
      [`${key} above 65535`, { set: { [full]: 70000 } }, { field, value: "70000", valid: PORT }],
      [`no ${key}`, { unset: [full] }, { field, value: "missing", valid: PORT }],
      [
        `${key} that another stack maps`,
        { set: { [full]: taken[1] } },
        {
          field,
          value: String(taken[1]),
          valid: `expected a host port no other stack maps; stack ${other.stack} maps it (${other.project}:${taken[0]})`,
        },
      ],
      [
        `${key} that ${sibling} maps too`,
        { set: { [full]: self.hostPorts[sibling] } },
        // The later of the two in the stack's order is reported.
        {
          field: `config ${project}:${later(Object.keys(self.hostPorts), key, sibling)}`,
          value: String(self.hostPorts[sibling]),
          valid: "expected a host port of its own",
        },
      ],
    ];
  }
  if (key === "serviceRepository") {
    return [
      [
        "an empty service repository",
        { set: { [full]: "" } },
        { field, value: '""', valid: "expected the path of a checkout of the service repository" },
      ],
      [
        "a service repository that does not exist",
        { set: { [full]: join(files.dir, "kubernaut") } },
        { field, value: JSON.stringify(join(files.dir, "kubernaut")), valid: "expected an existing directory" },
      ],
      [
        "a directory that is no checkout",
        { set: { [full]: files.dir } },
        { field, value: JSON.stringify(files.dir), valid: "expected a checkout of the service repository; it has no" },
      ],
    ];
  }
  if (key === "tektonManifest") {
    const missing = join(files.dir, "release.yaml");
    return [
      [
        "a Tekton manifest that does not exist",
        { set: { [full]: missing } },
        { field, value: JSON.stringify(missing), valid: "expected an existing Tekton release manifest" },
      ],
      [
        "a Tekton manifest without Tekton's controller",
        { set: { [full]: files.notARelease } },
        { field, value: JSON.stringify(files.notARelease), valid: "it has no Deployment tekton-pipelines/tekton-pipelines-controller" },
      ],
    ];
  }
  if (key === "tektonVersion") {
    return [
      [
        "a Tekton version without v and patch",
        { set: { [full]: "1.7" }, unset: [`${project}:tektonManifest`] },
        { field, value: '"1.7"', valid: 'expected a Tekton release such as "v1.7.0"' },
      ],
      [
        "a Tekton version together with a manifest (the version would be ignored)",
        { set: { [full]: "v1.6.0" } },
        { field, value: '"v1.6.0"', valid: "expected either tektonVersion or tektonManifest, not both" },
      ],
    ];
  }
  if (key === "dockerConfigFile") {
    const missing = join(files.dir, "missing-auth.json");
    return [
      [
        "credentials that do not exist",
        { set: { [full]: missing } },
        { field, value: JSON.stringify(missing), valid: "expected an existing registry credentials file" },
      ],
      [
        "credentials that are no JSON",
        { set: { [full]: files.notJson } },
        { field, value: JSON.stringify(files.notJson), valid: 'expected a JSON file with an "auths" object' },
      ],
    ];
  }
  if (key === "imageTag") {
    return [
      ["an image tag with a slash", { set: { [full]: "ci/1234" } }, { field, value: '"ci/1234"', valid: "expected an image tag" }],
      [
        // The cases run where the image store has no such images, or no container CLI at all.
        "an image tag whose images the host's image store does not have",
        { set: { [full]: "no-such-ci-run" } },
        { field, value: '"localhost/datastorage:no-such-ci-run"', valid: "expected an image in the docker image store (datastorage's)" },
      ],
    ];
  }
  if (key === "imageRegistry") {
    return [
      [
        "an image registry without an image tag",
        { set: { [full]: "quay.io/kubernaut-ci" } },
        { field, value: '"quay.io/kubernaut-ci"', valid: "expected it with imageTag" },
      ],
      [
        "an image registry in upper case",
        { set: { [full]: "Quay.io/CI", [`${project}:imageTag`]: "ci-1234" } },
        { field, value: '"Quay.io/CI"', valid: "expected a registry and path to put the image names under" },
      ],
    ];
  }
  if (key === "buildImages") {
    return [
      [
        "images to build without an image tag",
        { set: { [full]: "datastorage" } },
        { field, value: '"datastorage"', valid: "expected it unset while" },
      ],
      [
        "images to build that the stack does not have",
        { set: { [full]: "datastorage,no-such-image", [`${project}:imageTag`]: "ci-1234" } },
        { field, value: '"datastorage,no-such-image"', valid: "expected image names of this stack" },
      ],
    ];
  }
  if (key === "builderImage" || key === "baseImage") {
    return [
      [
        `a ${key} that is not an image reference`,
        { set: { [full]: "go toolset" } },
        { field, value: '"go toolset"', valid: "expected an image reference" },
      ],
      [
        `a ${key} together with imageTag (prebuilt images are not built)`,
        { set: { [full]: "mirror.example.com/ubi10/image:1", [`${project}:imageTag`]: "ci-1234" } },
        { field, value: '"mirror.example.com/ubi10/image:1"', valid: "expected it unset while config" },
      ],
    ];
  }
  throw new Error(`the catalogue has no bad values for the config key ${full}: add them in src/cases/stacks.ts`);
}

function later(order: string[], a: string, b: string): string {
  return order.indexOf(a) > order.indexOf(b) ? a : b;
}

/** Every documented config key of every stack (Pulumi.yaml's keys and the optional ones in its comment), and unknown keys. */
export function stackCases(): BadInput[] {
  const footprints = readFootprints(STACKS);
  return stackDirs().flatMap(({ dir, stack }) => {
    const { project } = readStackFiles(dir, stack);
    const self = footprints.find((footprint) => footprint.project === project && footprint.stack === stack)!;
    // Stacks of its exclusive group (config exclusiveGroup) are never up with it and may share host ports: not "others" here.
    const mates = footprints.filter((footprint) => exclusive(footprint, self));
    const others = footprints.filter((footprint) => footprint !== self && !exclusive(footprint, self));
    const keys = documentedConfigKeys(dir);
    // What the stack needs to run at all: a service checkout, and (offline) a Tekton release.
    const base: Record<string, unknown> = {};
    if (keys.includes("serviceRepository")) base[`${project}:serviceRepository`] = CHECKOUT;
    if (keys.includes("tektonManifest")) base[`${project}:tektonManifest`] = TEKTON_RELEASE;
    const cases: Case[] = keys.flatMap((key) => casesOfKey(key, project, self, others, mates));
    cases.push(
      [
        "a misspelled config key",
        { set: { [`${project}:clusterNmae`]: "x" } },
        {
          field: "a config key",
          value: JSON.stringify(`${project}:clusterNmae`),
          valid: `this stack reads no such key: did you mean ${project}:clusterName?`,
        },
      ],
      [
        "a config key in the wrong case",
        { set: { [`${project}:KubeconfigPath`]: "x" } },
        { field: "a config key", value: JSON.stringify(`${project}:KubeconfigPath`), valid: `did you mean ${project}:kubeconfigPath?` },
      ],
      [
        "a config key no stack reads",
        { set: { [`${project}:replicas`]: "2" } },
        { field: "a config key", value: JSON.stringify(`${project}:replicas`), valid: "this stack reads no such key (its keys: " },
      ],
    );
    return cases.map(([description, config, expected]) => stackCase(dir, stack, description, config, expected, base));
  });
}
