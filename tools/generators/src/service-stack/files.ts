/** What a generated stack is made of; pure text, so it is tested without Nx. */
export interface StackPlan {
  name: string;
  dockerfile: string;
  hostPorts: { serviceHostPort: number; metricsHostPort: number; dataStorageHostPort: number };
  /** Another stack's host port and that stack, for the generated collision test (none when there is no other stack). */
  collision?: { port: number; stack: string };
}

export function stackFiles(plan: StackPlan): Record<string, string> {
  const { name } = plan;
  const stack = `${name}-e2e`;
  return {
    "Pulumi.yaml": `${projectHeader(name, `${name}'s e2e environment: the data tier and ${name} under test`)}
#   serviceRepository: Path of a checkout of the service repository; or set E2E_SERVICE_REPOSITORY
#   containerRuntime: docker or podman; default kind's choice
#   listenAddress: host address the cluster's host ports bind; default 127.0.0.1 (this machine only); 0.0.0.0 publishes them, test credentials and all, to every network the machine is on
#   nodeImage: every node's image instead of the one the kind config pins (an air-gapped or mirrored machine, a node image built locally)
#   allowCgroupV1: true lets the kubelets start on a cgroup v1 machine (e2e-infra doctor proposes it there); default false
#   exclusiveGroup: a name this stack shares with stacks never up at the same time as it, whose host ports may then overlap (cluster names may not), e.g. kubernaut-head (the HEAD stacks'); default none
config:
  clusterName:
    type: string
    description: "kind cluster name (DNS-1123, at most 48 characters)"
  kubeconfigPath:
    type: string
    description: "Where the cluster's kubeconfig is written (\\"~/\\" is your home)"
  coverage:
    type: boolean
    default: false
  serviceHostPort:
    type: integer
    description: "Host port of ${name}'s API (NodePort 30080)"
  metricsHostPort:
    type: integer
    description: "Host port of ${name}'s metrics (NodePort 30190)"
  dataStorageHostPort:
    type: integer
    description: "Host port of DataStorage (NodePort 30081)"
`,
    [`Pulumi.${stack}.yaml`]: `config:
  ${name}:clusterName: ${stack}
  ${name}:kubeconfigPath: ~/.kube/${stack}-config
  ${name}:serviceHostPort: ${plan.hostPorts.serviceHostPort}
  ${name}:metricsHostPort: ${plan.hostPorts.metricsHostPort}
  ${name}:dataStorageHostPort: ${plan.hostPorts.dataStorageHostPort}
`,
    "index.ts": `import { inClusterOptions } from "@e2e-infra/core";
import { ServiceDeployment } from "@e2e-infra/service-deployment";
import { DATA_TIER_PATHS, DataTier, readStackSettings, referenceCluster, requireServiceRepository, serviceImage } from "@e2e-infra/stack-kit";
import * as k8s from "@pulumi/kubernetes";
import { join } from "node:path";

const DOCKERFILE = ${JSON.stringify(plan.dockerfile)};

// ${stack}: the data tier and ${name} under test, the component way (for a service without a
// chart; a suite of the service repository is built with kubernautStack, packages/kubernaut).
// Add its CRDs (CustomResourceDefinitions from @e2e-infra/crds), RBAC rules, config and probes as
// the service needs; each component waits only for what it uses.
export = () => {
  const settings = readStackSettings(join(__dirname, ".."), ["serviceHostPort", "metricsHostPort", "dataStorageHostPort"]);
  const repository = requireServiceRepository(settings, [DOCKERFILE, ...Object.values(DATA_TIER_PATHS)]);
  const cluster = referenceCluster(settings, { serviceHostPort: 30080, metricsHostPort: 30190, dataStorageHostPort: 30081 }, join(repository, "coverdata"));
  const namespace = new k8s.core.v1.Namespace("namespace", { metadata: { name: "kubernaut-system" } }, inClusterOptions(cluster, cluster)).metadata.name;
  const data = new DataTier("data", { cluster, namespace, repository, coverage: settings.coverage });
  // With goPackage: "cmd/${name}" (if that is its main package) the image's tag covers only what its go build reads, so other services' changes do not rebuild it.
  const image = serviceImage(${JSON.stringify(`${name}-image`)}, { cluster, repository, imageName: ${JSON.stringify(`localhost/${name}`)}, dockerfile: DOCKERFILE, coverage: settings.coverage });

  const service = new ServiceDeployment(${JSON.stringify(name)}, {
    cluster,
    namespace,
    image,
    // It calls DataStorage and retries: it does not wait for it. Use startAfter: { datastorage: data.dataStorage.url } if it must.
    env: { DATA_STORAGE_URL: data.dataStorage.endpoint },
    ports: [
      { name: "http", containerPort: 8080, nodePort: 30080 },
      { name: "metrics", containerPort: 9090, nodePort: 30190 },
    ],
    readinessProbe: { path: "/readyz", port: "http" },
    livenessProbe: { path: "/healthz", port: "http" },
    coverage: settings.coverage,
  });

  return {
    kubeconfigPath: cluster.kubeconfigPath,
    serviceUrl: service.hostUrls["http"],
    metricsUrl: service.hostUrls["metrics"],
    dataStorageUrl: data.dataStorage.hostUrl,
  };
};
`,
    "test/stack.test.ts": `import { fixtureCheckout } from "@e2e-infra/testing";
import { describeServiceStack } from "@e2e-infra/testing/vitest";
import { join } from "node:path";

// The ${stack} stack under mocks with its own stack file, against the stand-in checkout of the
// service repository (it has ${plan.dockerfile}, as the generator wrote it).
describeServiceStack({
  dir: join(__dirname, ".."),
  project: ${JSON.stringify(name)},
  stack: ${JSON.stringify(stack)},
  checkout: fixtureCheckout(),
  outputs: {
    kubeconfigPath: "/home/user/.kube/${stack}-config",
    serviceUrl: "http://localhost:${plan.hostPorts.serviceHostPort}",
    metricsUrl: "http://localhost:${plan.hostPorts.metricsHostPort}",
    dataStorageUrl: "http://localhost:${plan.hostPorts.dataStorageHostPort}",
  },
  serviceUnderTest: ${JSON.stringify(name)},
${plan.collision === undefined ? "" : `  collidingPort: ["serviceHostPort", ${plan.collision.port}, ${JSON.stringify(plan.collision.stack)}],\n`}  golden: false, // Once the graph is reviewed, delete this line, then record the golden file: npx vitest run -u
});
`,
    ...projectFiles(name, `${stack}: the data tier and ${name} under test`, ["core", "crds", "service-deployment", "stack-kit"]),
  };
}

/**
 * The files every generated stack has besides its program and config: package.json (its packages,
 * `@e2e-infra/<name>` for each of `packages`, with the Nx graph, up and destroy targets),
 * tsconfig.json and vitest.config.mts.
 */
export function projectFiles(name: string, description: string, packages: readonly string[]): Record<string, string> {
  const stack = `${name}-e2e`;
  const json = (value: unknown) => JSON.stringify(value, null, 2) + "\n";
  const cli = (command: string) => ({ command: `node ../../tools/cli/bin/e2e-infra.cjs ${command}`, options: { cwd: "{projectRoot}" } });
  return {
    "package.json": json({
      name: `@e2e-infra/stack-${name}`,
      version: "0.1.0",
      private: true,
      description,
      license: "Apache-2.0",
      main: "index.ts",
      engines: { node: ">=22.12.0" },
      dependencies: {
        ...Object.fromEntries(packages.map((p) => [`@e2e-infra/${p}`, "0.1.0"])),
        "@pulumi/kubernetes": "4.25.0",
        "@pulumi/pulumi": "3.270.0",
      },
      devDependencies: { "@e2e-infra/testing": "0.1.0" },
      nx: {
        tags: ["type:stack"],
        targets: {
          graph: {
            ...cli("graph . --json"),
            cache: true,
            // The checkout is given as --config serviceRepository=... (hashed with the args) or in this environment variable.
            inputs: ["default", "^production", { env: "E2E_SERVICE_REPOSITORY" }],
            dependsOn: [],
          },
          up: { ...cli(`up . --stack ${stack}`), cache: false },
          destroy: { ...cli(`down . --stack ${stack}`), cache: false },
        },
      },
    }),
    "tsconfig.json": json({
      extends: "../../tsconfig.base.json",
      compilerOptions: { outDir: "out-tsc", rootDir: ".", tsBuildInfoFile: "out-tsc/tsconfig.tsbuildinfo" },
      include: ["index.ts", "test/**/*.ts"],
      references: [...packages, "testing"].map((p) => ({ path: `../../packages/${p}` })),
    }),
    "vitest.config.mts": `import { defineProject, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared.mts";

export default mergeConfig(shared, defineProject({ test: { name: ${JSON.stringify(`stack-${name}`)} } }));
`,
  };
}

/** The start of a generated stack's Pulumi.yaml: its name, description, runtime and backend, up to its optional settings. */
export function projectHeader(name: string, description: string): string {
  return `name: ${name}
description: ${JSON.stringify(description)}
runtime:
  name: nodejs
  options:
    typescript: true
    packagemanager: npm
main: index.ts
# State in a local file backend, per user; no \`pulumi login\`. Secrets use the passphrase
# provider: export PULUMI_CONFIG_PASSPHRASE="" (any value; empty is fine for test stacks).
backend:
  url: file://~/.pulumi-e2e-infra
# Optional settings (\`pulumi config set KEY VALUE\`). Not declared below: the CLI requires a value for
# every declared key without a default.`;
}
