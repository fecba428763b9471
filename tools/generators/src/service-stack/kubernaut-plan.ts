import { objectKey, renderChart } from "@e2e-infra/chart";
import type { ManifestObject } from "@e2e-infra/core";
import { chartValues, KUBERNAUT_SERVICES, type ServiceDefinition } from "@e2e-infra/kubernaut";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

/** A host port of the generated stack: its config key, the node port the suite's kind config maps, its default, and what serves it. */
export interface PlannedPort {
  key: string;
  nodePort: number;
  hostPort: number;
  serves?: { service: string; port?: string };
}

/** A stack for a suite of the service repository, the kubernaut way (kubernautStack). */
export interface KubernautPlan {
  name: string;
  kindConfig: string;
  ports: PlannedPort[];
  /** The service's definition when the package does not know it (KUBERNAUT_SERVICES), read from the checkout's chart. */
  definition: ServiceDefinition | undefined;
}

const kindConfigOf = (name: string) => `test/infrastructure/kind-${name}-config.yaml`;
const templatesOf = (name: string) => `charts/kubernaut/templates/${name}`;

/** Whether the checkout has a suite for `name` with the chart's templates: its kind config and templates/<name>/. */
export function isKubernautSuite(checkout: string, name: string): boolean {
  return existsSync(join(checkout, kindConfigOf(name))) && existsSync(join(checkout, templatesOf(name)));
}

/**
 * The kubernaut-way stack of suite `name`, from the checkout: every port its kind config maps
 * (DataStorage's API on `dataStoragePort`, default 30081, and its health on 30281, as the HEAD
 * suites map them; the others bare, for the stack's author to attribute), and, for a service the
 * package does not know, its definition from the chart rendered with helm: the Deployment, the
 * Service selecting its pods and its port names, the image the chart renders, and the CRDs its
 * ClusterRole lets it watch.
 */
export function planKubernautStack(
  checkout: string,
  name: string,
  options: { dataStoragePort?: number; dockerfile?: string },
): KubernautPlan {
  const kindConfig = kindConfigOf(name);
  const config = parse(readFileSync(join(checkout, kindConfig), "utf8")) as {
    nodes?: { extraPortMappings?: { containerPort: number; hostPort: number }[] }[];
  };
  const mappings = (config.nodes ?? []).flatMap((node) => node.extraPortMappings ?? []);
  const dataStoragePort = options.dataStoragePort ?? 30081;
  if (!mappings.some((mapping) => mapping.containerPort === dataStoragePort)) {
    throw new Error(
      `dataStoragePort is ${dataStoragePort}; expected the node port of DataStorage's API that ${kindConfig} maps (it maps ${mappings.map((mapping) => mapping.containerPort).join(", ")}): --dataStoragePort <port>`,
    );
  }
  const ports = mappings.map(({ containerPort, hostPort }): PlannedPort => {
    if (containerPort === dataStoragePort)
      return { key: "dataStorageHostPort", nodePort: containerPort, hostPort, serves: { service: "datastorage" } };
    if (containerPort === 30281)
      return { key: "dataStorageHealthHostPort", nodePort: containerPort, hostPort, serves: { service: "datastorage", port: "health" } };
    return { key: `port${containerPort}HostPort`, nodePort: containerPort, hostPort };
  });
  return {
    name,
    kindConfig,
    ports,
    definition: Object.hasOwn(KUBERNAUT_SERVICES, name) ? undefined : readDefinition(checkout, name, options.dockerfile),
  };
}

function readDefinition(checkout: string, name: string, dockerfile: string | undefined): ServiceDefinition {
  const directory = templatesOf(name);
  const own = `${name}.yaml`;
  const files = readdirSync(join(checkout, directory)).filter((file) => file.endsWith(".yaml"));
  const templates = (files.includes(own) ? [own] : files).map((file) => `templates/${name}/${file}`);
  const subject = `service-stack ${name}`;
  const objects = renderChart(subject, {
    chart: join(checkout, "charts/kubernaut"),
    release: "kubernaut",
    namespace: "kubernaut-system",
    values: chartValues({ dataStorageNodePorts: { http: 30081 } }, []),
    templates,
    kubeVersion: "1.36.1",
  });
  const deployment = objects.find((object) => object.kind === "Deployment");
  if (deployment === undefined)
    throw new Error(`${subject}: ${directory} renders no Deployment; write the stack's service definition by hand`);
  const pod = (
    deployment["spec"] as { template: { metadata?: { labels?: Record<string, string> }; spec: { containers: { image: string }[] } } }
  ).template;
  const labels = pod.metadata?.labels ?? {};
  const service = objects.find(
    (object) =>
      object.kind === "Service" &&
      Object.entries((object["spec"] as { selector?: Record<string, string> }).selector ?? {}).every(
        ([key, value]) => labels[key] === value,
      ),
  );
  if (service === undefined)
    throw new Error(
      `${subject}: ${directory} renders no Service for ${objectKey(deployment)}; write the stack's service definition by hand`,
    );
  const crds = new Set(readdirSync(join(checkout, "charts/kubernaut/crds")).map((file) => /^kubernaut\.ai_(.+)\.yaml$/.exec(file)?.[1]));
  const image = /^localhost\/(.+):chart-placeholder$/.exec(pod.spec.containers[0]?.image ?? "")?.[1];
  const dockerfiles = [dockerfile, `docker/${name}-controller.Dockerfile`, `docker/${name}.Dockerfile`].filter(
    (file) => file !== undefined,
  );
  return {
    templates,
    dockerfile: dockerfiles.find((file) => existsSync(join(checkout, file))) ?? dockerfiles[0]!,
    goPackage: `cmd/${name}`,
    ...(image === undefined || image === name ? {} : { image }),
    service: service.metadata.name,
    ports: ((service["spec"] as { ports?: { name?: string }[] }).ports ?? []).map((port) => port.name ?? "").filter((port) => port !== ""),
    deployment: deployment.metadata.name,
    watches: [...new Set(objects.flatMap(watchedKinds))].filter((plural) => crds.has(plural)).map((plural) => `${plural}.kubernaut.ai`),
  };
}

/** The kubernaut.ai kinds (plural) a ClusterRole or Role lets its subject watch. */
function watchedKinds(object: ManifestObject): string[] {
  if (object.kind !== "ClusterRole" && object.kind !== "Role") return [];
  const rules = (object["rules"] as { apiGroups?: string[]; resources?: string[]; verbs?: string[] }[] | undefined) ?? [];
  return rules
    .filter(
      (rule) =>
        rule.apiGroups?.includes("kubernaut.ai") === true && (rule.verbs?.includes("watch") === true || rule.verbs?.includes("*") === true),
    )
    .flatMap((rule) => (rule.resources ?? []).filter((resource) => !resource.includes("/")));
}
