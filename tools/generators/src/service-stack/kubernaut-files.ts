import { projectFiles, projectHeader, type StackPlan } from "./files";
import type { KubernautPlan } from "./kubernaut-plan";

const key = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name));

/** A service definition as TypeScript source, as prettier would lay it out: a property a line, lists of strings inline. */
function definitionSource(definition: object, indent: string): string {
  const lines = Object.entries(definition).map(
    ([name, value]) => `${indent}  ${key(name)}: ${JSON.stringify(value).replace(/","/g, '", "')},`,
  );
  return `{\n${lines.join("\n")}\n${indent}}`;
}

/** The generated stack of a suite of the service repository (kubernautStack); pure text, tested without Nx. */
export function kubernautStackFiles(plan: KubernautPlan, common: Pick<StackPlan, "collision">): Record<string, string> {
  const { name } = plan;
  const stack = `${name}-e2e`;
  const port = ({ key, nodePort, serves }: KubernautPlan["ports"][number]) =>
    serves === undefined
      ? `      ${key}: ${nodePort},`
      : `      ${key}: { nodePort: ${nodePort}, service: ${JSON.stringify(serves.service)}${serves.port === undefined ? "" : `, port: ${JSON.stringify(serves.port)}`} },`;
  const definition =
    plan.definition === undefined
      ? "{}"
      : `{
        // What the package does not know of it, read from the chart by the generator: review it.
        definition: ${definitionSource(plan.definition, "        ")},
      }`;
  const served = plan.ports.filter((planned) => planned.serves !== undefined);
  const urls = served
    .map((planned) => `    ${planned.key.replace(/HostPort$/, "Url")}: stack.url(${JSON.stringify(planned.key)}),`)
    .join("\n");
  return {
    "Pulumi.yaml": `${projectHeader(name, `${name}'s e2e environment at the service repository's HEAD: the suite's kind cluster, and the repository's chart with DataStorage and ${name} under test`)}
#   serviceRepository: Path of a checkout of the service repository (jordigilh/kubernaut); or set E2E_SERVICE_REPOSITORY
#   containerRuntime: docker or podman (KIND_EXPERIMENTAL_PROVIDER and the image builder); default kind's choice
#   listenAddress: host address the cluster's host ports bind; default 127.0.0.1 (this machine only); 0.0.0.0 publishes them, test credentials and all, to every network the machine is on
#   nodeImage: every node's image instead of the one the kind config pins (an air-gapped or mirrored machine, a node image built locally)
#   allowCgroupV1: true lets the kubelets start on a cgroup v1 machine (e2e-infra doctor proposes it there); default false
#   imageTag: take the service images built beforehand, localhost/<name>:<tag> from the host's image store (the service repository CI's KUBERNAUT_CI_ARTIFACT_TAG), instead of building them; default: build from the checkout
#   imageRegistry: with imageTag, <imageRegistry>/<name>:<tag> instead, pulled by the nodes (the CI's IMAGE_REGISTRY)
#   buildImages: with imageTag, the images built from the checkout all the same, comma-separated (e.g. gateway: the service you are changing, beside CI's images of the others)
#   builderImage: the image the repository's Dockerfiles build in (their BUILDER_IMAGE) instead of the UBI go-toolset they pin: a mirror of it, or an image of your own; with imageTag, only with buildImages
#   baseImage: the image they run on (their BASE_IMAGE) instead of the UBI minimal they pin; with imageTag, only with buildImages
config:
  clusterName:
    type: string
    description: "kind cluster name (DNS-1123, at most 48 characters)"
  kubeconfigPath:
    type: string
    description: 'Where the cluster''s kubeconfig is written, where the suite reads it ("~/" is your home)'
  coverage:
    type: boolean
    description: "Build with GOFLAGS=-cover and run with GOCOVERDIR=/coverdata (DD-TEST-007)"
    default: false
  exclusiveGroup:
    type: string
    description: "Stacks with the same group are never up at the same time, so their host ports may overlap (their cluster names may not); empty is none. kubernaut-head: the stacks of the service repository's HEAD suites, as each writes the inter-service CA its suite reads at ~/.kube/inter-service-ca.pem beside its kubeconfig, and their suites hard-code some of the same host ports (28091: DataStorage's metrics in datastorage-e2e, its health in gateway-e2e; 30281: DataStorage's health in most of the others)"
    default: kubernaut-head
${plan.ports.map((planned) => `  ${planned.key}:\n    type: integer\n    description: "Host port the suite's kind config maps to node port ${planned.nodePort}${planned.serves === undefined ? "" : ` (${planned.serves.service}${planned.serves.port === undefined ? "" : ` ${planned.serves.port}`})`}"`).join("\n")}
`,
    [`Pulumi.${stack}.yaml`]: `config:
  ${name}:clusterName: ${stack}
  ${name}:kubeconfigPath: ~/.kube/${stack}-config
${plan.ports.map((planned) => `  ${name}:${planned.key}: ${planned.hostPort}`).join("\n")}
`,
    "index.ts": `import { kubernautStack } from "@e2e-infra/kubernaut";
import { join } from "node:path";

// ${stack} at the service repository's HEAD, as \`nx g @e2e-infra/tools:service-stack\` wrote
// it: the suite's kind cluster and the repository's chart with DataStorage and ${name} under test.
export = () => {
  const stack = kubernautStack(join(__dirname, ".."), {
    kindConfig: ${JSON.stringify(plan.kindConfig)},
    workingDir: ".",
    // The stack's host port keys, each with the node port the suite's kind config maps to it. Say
    // what serves a bare one ({ nodePort, service, port }) to get its URL from stack.url(key).
    ports: {
${plan.ports.map(port).join("\n")}
    },
    services: {
      ${key(name)}: ${definition},
    },
  });
  const release = stack.release();
  return {
    kubeconfigPath: stack.cluster.kubeconfigPath,
    caFile: release.caFile,
${urls}
  };
};
`,
    "test/stack.test.ts": `import { fixtureCheckout } from "@e2e-infra/testing";
import { describeServiceStack } from "@e2e-infra/testing/vitest";
import { join } from "node:path";

// The ${stack} stack under mocks with its own stack file, against the stand-in checkout of the
// service repository.
describeServiceStack({
  dir: join(__dirname, ".."),
  project: ${JSON.stringify(name)},
  stack: ${JSON.stringify(stack)},
  checkout: fixtureCheckout(),
  helm: true, // KubernautRelease renders the checkout's chart with helm
  outputs: {
    kubeconfigPath: "/home/user/.kube/${stack}-config",
    caFile: "stdout of kubernaut-tls-ca-file",
${served.map((planned) => `    ${planned.key.replace(/HostPort$/, "Url")}: "${planned.serves?.service === "datastorage" && planned.serves.port === undefined ? "https" : "http"}://localhost:${planned.hostPort}",`).join("\n")}
  },
${common.collision === undefined ? "" : `  collidingPort: ["${plan.ports[0]!.key}", ${common.collision.port}, ${JSON.stringify(common.collision.stack)}],\n`}  golden: false, // Once the graph is reviewed, delete this line, then record the golden file: npx vitest run -u
});
`,
    ...projectFiles(
      name,
      `${stack} at the service repository's HEAD: the suite's cluster, the chart with DataStorage and ${name} under test`,
      ["kubernaut"],
    ),
  };
}
