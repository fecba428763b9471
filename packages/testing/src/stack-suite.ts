// The vitest suite every service stack runs (a separate entry: it imports vitest, the rest of this package must not).
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ResourceGraph } from "@e2e-infra/graph";
import { captureStack, documentedConfigKeys, loadWithTsNode, missingDeclaredConfig } from "@e2e-infra/graph";
import { assertStackInvariants, hostPortMappings, plainSecretInputs } from "./stack-invariants";
import { notRunHere, toolMissing } from "./tool-missing";

/** What a service stack's tests need to know about it. */
export interface ServiceStackSpec {
  /** The stack's project directory. */
  dir: string;
  project: string;
  stack: string;
  /** A stand-in checkout of the service repository (@e2e-infra/testing's fixtureCheckout). */
  checkout: string;
  /** Config besides the checkout, e.g. a local Tekton manifest. */
  config?: Record<string, unknown>;
  /** The stack outputs with its own stack file, under mocks. */
  outputs: Record<string, unknown>;
  /** The resource name prefix of the service under test's ImageBuildLoad (`<name>-image`), if it has one. */
  serviceUnderTest?: string;
  /** Names of objects of custom resource kinds (no official schema), expected. */
  withoutSchema?: string[];
  /** A host port key of this stack and a port another stack's defaults use, and that stack (omit when there is no other stack). */
  collidingPort?: [key: string, port: number, otherStack: string];
  /** Compare the graph with test/<stack>.graph.json. Default true; a new stack records its golden file with `vitest run -u` once reviewed. */
  golden?: boolean;
  /**
   * The program renders the service repository's chart with `helm template` (a KubernautRelease,
   * as every stack at HEAD): where helm is not on PATH, the tests that run the whole program say in
   * one line that they do not run; its config checks run either way.
   */
  helm?: boolean;
}

/**
 * The tests every service stack gets: its graph against a reviewed golden file
 * (`test/<stack>.graph.json`), the stack invariants, the data tier's true edges, the service
 * under test's edges, its outputs, and bad config failing at preview naming the key.
 */
export function describeServiceStack(spec: ServiceStackSpec): void {
  const { dir, project, stack } = spec;
  const whole = it.skipIf(
    spec.helm === true &&
      notRunHere(`${stack}: the tests that run its whole program (it renders the chart with helm)`, toolMissing("helm")),
  );
  const config = { [`${project}:serviceRepository`]: spec.checkout, ...spec.config };
  const run = (extra: Record<string, unknown> = {}) => captureStack(dir, stack, { config: { ...config, ...extra } });
  // The stack with its own stack file, captured once for every check that reads it.
  let own: ReturnType<typeof run> | undefined;
  const ownStack = () => (own ??= run());

  describe(stack, () => {
    if (spec.golden !== false) {
      whole("GIVEN its stack file WHEN the program runs under mocks THEN its graph is the golden one", async () => {
        const { graph } = await ownStack();
        await expect(JSON.stringify(graph.edgesByName(), null, 2) + "\n").toMatchFileSnapshot(join(dir, "test", `${stack}.graph.json`));
      });
    }

    whole(
      "GIVEN its stack file WHEN captured THEN no build waits for the cluster, everything in-cluster goes with it, every object is valid, no secret is in a plain input, and the outputs are the suite's",
      async () => {
        const { graph, outputs } = await ownStack();
        const names = (await assertStackInvariants(graph)).map((urn) => graph.get(urn).name).sort();
        expect(names).toStrictEqual([...(spec.withoutSchema ?? [])].sort());
        assertDataTierEdges(graph);
        expect(plainSecretInputs(graph)).toStrictEqual([]);
        expect(outputs).toStrictEqual(spec.outputs);
      },
    );

    whole("GIVEN listenAddress 0.0.0.0 THEN every host port the suite maps is published on every network, and only then", async () => {
      const { graph } = await run({ [`${project}:listenAddress`]: "0.0.0.0" });
      const mappings = hostPortMappings(graph);
      expect(mappings.length).toBeGreaterThan(0);
      expect(new Set(mappings.map((mapping) => mapping.listenAddress))).toStrictEqual(new Set(["0.0.0.0"]));
      expect(new Set(hostPortMappings((await ownStack()).graph).map((mapping) => mapping.listenAddress))).toStrictEqual(
        new Set(["127.0.0.1"]),
      );
    });

    it("GIVEN its project file THEN every declared config key has a default or a value in the stack file (the CLI requires one)", () => {
      expect(missingDeclaredConfig(dir, stack)).toStrictEqual([]);
    });

    whole(
      "GIVEN Pulumi's Node.js runtime (ts-node, type-checked) THEN the program loads and runs",
      () => {
        expect(loadWithTsNode(dir, stack, config)).toStrictEqual(Object.keys(spec.outputs).sort());
      },
      120_000,
    );

    if (spec.serviceUnderTest !== undefined) {
      const prefix = spec.serviceUnderTest;
      whole(
        "GIVEN its stack file WHEN captured THEN the service under test waits for its CRDs and image, and for nothing of the data tier",
        async () => {
          const { graph } = await ownStack();
          const deployment = graph.one({
            type: "kubernetes:apps/v1:Deployment",
            under: graph.one({ type: "e2e-infra:index:ServiceDeployment" }),
          });
          for (const crd of graph.find({ type: "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition" })) {
            expect(graph.dependsOn(deployment, crd), crd.name).toBe(true);
          }
          expect(graph.dependsOn(deployment, graph.one({ name: `${prefix}-image-load` }))).toBe(true);
          for (const part of graph.descendants(graph.one({ type: "e2e-infra:index:DataTier" })))
            expect(graph.dependsOn(deployment, part), part.name).toBe(false);
        },
      );
    }
  });

  describe(`${stack} bad config`, () => {
    it("GIVEN no service repository (config or E2E_SERVICE_REPOSITORY) THEN the preview fails naming the key", async () => {
      const saved = process.env["E2E_SERVICE_REPOSITORY"];
      delete process.env["E2E_SERVICE_REPOSITORY"];
      try {
        await expect(run({ [`${project}:serviceRepository`]: "" })).rejects.toThrow(
          `Stack "${stack}": config ${project}:serviceRepository is ""; expected the path of a checkout`,
        );
      } finally {
        if (saved !== undefined) process.env["E2E_SERVICE_REPOSITORY"] = saved;
      }
    });

    it("GIVEN a checkout without the expected Dockerfile THEN the preview fails naming the key and the file", async () => {
      const checkout = mkdtempSync(join(tmpdir(), "checkout-"));
      cpSync(spec.checkout, checkout, { recursive: true, verbatimSymlinks: true });
      rmSync(join(checkout, "docker", "data-storage.Dockerfile"));
      await expect(run({ [`${project}:serviceRepository`]: checkout })).rejects.toThrow(
        `config ${project}:serviceRepository is ${JSON.stringify(checkout)}; expected a checkout of the service repository; it has no docker/data-storage.Dockerfile`,
      );
    });

    const cases: Array<[string, Record<string, unknown>, string]> = [
      [
        "an invalid cluster name",
        { [`${project}:clusterName`]: "Bad_Name" },
        `config ${project}:clusterName is "Bad_Name"; expected a DNS-1123 label`,
      ],
    ];
    if (spec.collidingPort !== undefined) {
      const [key, port, other] = spec.collidingPort;
      cases.push([
        "a host port another stack's defaults use",
        { [`${project}:${key}`]: port },
        `config ${project}:${key} is ${port}; expected a host port no other stack maps; stack ${other} maps it`,
      ]);
    }
    cases.push([
      "a listen address that is no IP address",
      { [`${project}:listenAddress`]: "localhost" },
      `config ${project}:listenAddress is "localhost"; expected an IPv4 or IPv6 address`,
    ]);
    cases.push([
      "a misspelled config key",
      { [`${project}:clusterNmae`]: "x" },
      `a config key is "${project}:clusterNmae"; this stack reads no such key: did you mean ${project}:clusterName?`,
    ]);
    it.each(cases)("GIVEN %s THEN the preview fails naming the key, before any resource", async (_, bad, message) => {
      await expect(run(bad)).rejects.toThrow(message);
    });

    it("GIVEN an unknown config key THEN the keys it lists as valid are exactly those Pulumi.yaml documents", async () => {
      const error = await run({ [`${project}:zzz`]: "1" }).then(
        () => undefined,
        (thrown: unknown) => thrown as Error,
      );
      const listed = /\(its keys: ([^)]*)\)/.exec(error?.message ?? "")?.[1]?.split(", ");
      expect(listed).toStrictEqual(documentedConfigKeys(dir));
    });
  });
}

/**
 * DataStorage starts after its migrations and its image load; the migrations wait for no image
 * of a service. At HEAD (the repository's chart, KubernautRelease) the migrations Job also waits
 * for the database's claim and its own goose image, and DataStorage for no CRD.
 */
type PodSpec = { containers: { image: string }[]; volumes?: { configMap?: { name: string }; secret?: { secretName: string } }[] };
const objectName = (object: { inputs: Record<string, unknown> }) => (object.inputs["metadata"] as { name?: unknown } | undefined)?.name;

function assertDataTierEdges(graph: ResourceGraph): void {
  const releases = graph.find({ type: "e2e-infra:index:KubernautRelease" });
  const data = releases[0] ?? graph.one({ type: "e2e-infra:index:DataTier" });
  const job = graph.one({ type: "kubernetes:batch/v1:Job", under: data });
  const dataStorage = graph.one({
    type: "kubernetes:apps/v1:Deployment",
    ...(releases.length > 0 ? { name: /-deployment-datastorage$/ } : {}),
    under: releases.length > 0 ? data : graph.one({ type: "e2e-infra:index:DataStorage", under: data }),
  });
  expect(graph.dependsOn(dataStorage, job)).toBe(true);
  expect(
    graph.dependsOn(dataStorage, graph.one({ type: "pulumi-nodejs:dynamic:HostCommand", name: /-datastorage-image-load$/, under: data })),
  ).toBe(true);
  const ownBuild = /-db-migrate-image-build$/;
  for (const build of graph.find({ name: /-image-build$/ }).filter((build) => !ownBuild.test(build.name))) {
    expect(graph.dependsOn(job, build), build.name).toBe(false);
  }
  if (releases.length > 0) {
    expect(graph.dependsOn(job, graph.one({ name: /-persistentvolumeclaim-postgresql-data$/, under: data }))).toBe(true);
    expect(graph.dependsOn(job, graph.one({ name: /-db-migrate-image-load$/, under: data }))).toBe(true);
    const crds = graph.find({ type: "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition" });
    for (const crd of crds) expect(graph.dependsOn(dataStorage, crd), crd.name).toBe(false);
    // Each service under test (its pods name the CRDs its informers watch): exactly those CRDs and
    // its own image, and nothing of the data tier (its readiness waits for DataStorage by itself).
    // The Gateway's informer watches RemediationRequests alone.
    // (The release's CRDs: a stack's own, such as kubernautagent-e2e's TestWidgets, a service may
    // wait for through its waitsFor.)
    const releaseCrds = graph.find({ type: "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition", under: data });
    const services = graph
      .find({ type: "kubernetes:apps/v1:Deployment", under: data })
      .filter((deployment) => !/-deployment-(datastorage|postgresql|valkey)$/.test(deployment.name));
    for (const service of services) {
      const pod = (service.inputs["spec"] as { template: { metadata?: { annotations?: Record<string, string> }; spec: PodSpec } }).template;
      const watched = pod.metadata?.annotations?.["e2e-infra.dev/crds"];
      expect(watched, service.name).toBeDefined();
      if (watched === undefined) continue;
      if (/-deployment-gateway$/.test(service.name)) expect(watched).toBe("remediationrequests.kubernaut.ai");
      for (const crd of releaseCrds) {
        expect(graph.dependsOn(service, crd), `${service.name} on ${crd.name}`).toBe(
          watched.split(",").some((name) => crd.name.endsWith(`-${name}`)),
        );
      }
      const image = /^localhost\/kubernaut-([a-z]+):/.exec(pod.spec.containers[0]!.image)![1]!;
      expect(graph.dependsOn(service, graph.one({ name: new RegExp(`-${image}-image-load$`), under: data })), service.name).toBe(true);
      // Every ConfigMap and Secret its pods mount that the stack makes (the inter-service CA, its
      // certificates from that CA): it waits for each.
      for (const volume of pod.spec.volumes ?? []) {
        const [kind, name] = volume.configMap !== undefined ? ["ConfigMap", volume.configMap.name] : ["Secret", volume.secret?.secretName];
        const makers = graph.find({ type: `kubernetes:core/v1:${kind}` }).filter((object) => objectName(object) === name);
        for (const maker of makers) expect(graph.dependsOn(service, maker), `${service.name} on ${maker.name}`).toBe(true);
      }
      for (const part of [dataStorage, job, graph.one({ name: /-deployment-postgresql$/, under: data })]) {
        expect(graph.dependsOn(service, part), `${service.name} on ${part.name}`).toBe(false);
      }
    }
  }
}
