import { isDns1123Label } from "@e2e-infra/core";
import { readFootprints, type StackFootprint } from "@e2e-infra/stack-kit";
import { installPackagesTask, logger, workspaceRoot, type Tree } from "@nx/devkit";
import { join } from "node:path";
import { stackFiles, type StackPlan } from "./files";
import { kubernautStackFiles } from "./kubernaut-files";
import { isKubernautSuite, planKubernautStack } from "./kubernaut-plan";

export interface ServiceStackOptions {
  /** The service's name: the stack is `<name>-e2e` in stacks/<name>. */
  name: string;
  /** Its Dockerfile in the service repository. Default: docker/<name>.Dockerfile. */
  dockerfile?: string;
  skipInstall?: boolean;
  /** The service repository's checkout the generator reads. Default: the bundled stand-in checkout. */
  repository?: string;
  /** For a suite of the service repository: the node port of DataStorage's API its kind config maps. Default 30081. */
  dataStoragePort?: number;
}

/**
 * The first port a generated stack maps; ports in use by any stack file are skipped. Below the
 * Linux ephemeral range (32768-60999), where any outgoing connection may hold a port for a while.
 */
export const FIRST_HOST_PORT = 20080;

/** Every stack file's footprint in the workspace `tree`. */
export function footprints(tree: Tree): StackFootprint[] {
  return readFootprints("stacks", {
    exists: (path) => tree.exists(path),
    list: (dir) => tree.children(dir),
    read: (path) => tree.read(path, "utf-8") ?? "",
  });
}

/**
 * Checks the options against the workspace and decides the new stack's cluster name, host ports
 * (free ones, none another stack maps) and files. Throws, writing nothing, for a name that is not
 * a DNS-1123 label or that a stack already has.
 */
export function planStack(tree: Tree, options: ServiceStackOptions): StackPlan {
  const { name } = options;
  if (typeof name !== "string" || !isDns1123Label(name, 40)) {
    throw new Error(
      `name is ${JSON.stringify(name)}; expected a DNS-1123 label: lower-case letters, digits and "-", starting and ending with a letter or digit, at most 40 characters (the cluster is <name>-e2e)`,
    );
  }
  if (tree.exists(`stacks/${name}`)) throw new Error(`name is ${JSON.stringify(name)}; stacks/${name} already exists: choose another name`);
  const others = footprints(tree);
  const taken = others.find((footprint) => footprint.clusterName === `${name}-e2e` || footprint.stack === `${name}-e2e`);
  if (taken !== undefined)
    throw new Error(
      `name is ${JSON.stringify(name)}; the stack ${taken.stack} (${taken.project}) already uses the cluster or stack name ${name}-e2e`,
    );
  const dockerfile = options.dockerfile ?? `docker/${name}.Dockerfile`;
  if (dockerfile.startsWith("/") || dockerfile.split("/").includes("..") || /[\n\r\0"]/.test(dockerfile)) {
    throw new Error(
      `dockerfile is ${JSON.stringify(dockerfile)}; expected a path inside the service repository, e.g. docker/${name}.Dockerfile`,
    );
  }
  const used = new Set(others.flatMap((footprint) => Object.values(footprint.hostPorts)));
  let next = FIRST_HOST_PORT;
  const free = () => {
    while (used.has(next)) next += 1;
    used.add(next);
    return next;
  };
  const hostPorts = { serviceHostPort: free(), metricsHostPort: free(), dataStorageHostPort: free() };
  const neighbour = others.find((footprint) => Object.keys(footprint.hostPorts).length > 0);
  return {
    name,
    dockerfile,
    hostPorts,
    ...(neighbour === undefined ? {} : { collision: { port: Object.values(neighbour.hostPorts)[0]!, stack: neighbour.stack } }),
  };
}

/** The bundled stand-in checkout of the service repository (@e2e-infra/stack-kit's fixtureCheckout()), from the workspace root. */
export const STAND_IN_CHECKOUT = "packages/testing/examples/kubernaut-checkout";

/** What the generator says it wrote the kubernaut way. */
export const WROTE_KUBERNAUT = (name: string, kindConfig: string): string =>
  `stacks/${name}: written the kubernaut way (kubernautStack, packages/kubernaut/README.md), for the suite of the service repository whose kind config is ${kindConfig}: review the service's definition and attribute its bare ports.`;

/** What the generator says it wrote the component way: and where the other way is. */
export const WROTE = (name: string): string =>
  `stacks/${name}: written the component way (the reference cluster, the data tier and ${name} as a ServiceDeployment), for a service without a chart. For a suite of the service repository, build the stack with kubernautStack (packages/kubernaut/README.md): the suite's kind config and the repository's chart.`;

/** What a stand-in Dockerfile holds, as the bundled checkout's others do: nothing is built from it under mocks. */
export const STAND_IN_DOCKERFILE = "FROM scratch\nCOPY go.mod /\n";

/**
 * `nx g @e2e-infra/tools:service-stack <name>`: a new stacks/<name> that passes its tests as
 * generated, and the service's Dockerfile in the bundled stand-in checkout (its tests and its
 * `graph` target run against that checkout, as every stack's do). Then `npm install`, so the new
 * workspace is in package-lock.json and `npm ci` passes.
 */
export default function serviceStack(tree: Tree, options: ServiceStackOptions): (() => void) | undefined {
  const checkout = options.repository ?? join(workspaceRoot, STAND_IN_CHECKOUT);
  const plan = planStack(tree, options);
  if (isKubernautSuite(checkout, plan.name)) {
    const suite = planKubernautStack(checkout, plan.name, options);
    // Its host ports are the suite's own; one a stack outside its exclusiveGroup maps would be refused.
    const outside = new Set(
      footprints(tree)
        .filter((footprint) => footprint.exclusiveGroup !== "kubernaut-head")
        .flatMap((footprint) => Object.values(footprint.hostPorts)),
    );
    for (const port of suite.ports.filter((planned) => outside.has(planned.hostPort))) {
      throw new Error(
        `${suite.kindConfig} maps host port ${port.hostPort}, which a stack outside the kubernaut-head group maps too: change one of them`,
      );
    }
    const neighbour = footprints(tree).find((footprint) => footprint.exclusiveGroup === "" && Object.keys(footprint.hostPorts).length > 0);
    const collision = neighbour === undefined ? undefined : { port: Object.values(neighbour.hostPorts)[0]!, stack: neighbour.stack };
    for (const [file, content] of Object.entries(kubernautStackFiles(suite, { ...(collision === undefined ? {} : { collision }) })))
      tree.write(`stacks/${plan.name}/${file}`, content);
    logger.info(WROTE_KUBERNAUT(plan.name, suite.kindConfig));
  } else {
    for (const [file, content] of Object.entries(stackFiles(plan))) tree.write(`stacks/${plan.name}/${file}`, content);
    logger.info(WROTE(plan.name));
    const standIn = `${STAND_IN_CHECKOUT}/${plan.dockerfile}`;
    if (!tree.exists(standIn)) tree.write(standIn, STAND_IN_DOCKERFILE);
  }
  // installPackagesTask installs only when the root package.json changed, unless told to: a new
  // workspace changes only its own package.json, and the lockfile must still list it.
  return options.skipInstall === true ? undefined : () => installPackagesTask(tree, true);
}
