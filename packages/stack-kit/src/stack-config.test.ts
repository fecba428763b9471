import { capture, fixtureCheckout } from "@e2e-infra/testing";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readStackSettings, requireServiceRepository } from "./index";

const emptyStacks = mkdtempSync(join(tmpdir(), "no-stacks-"));
const base = { clusterName: "svc-e2e", kubeconfigPath: "~/.kube/svc-e2e-config", apiHostPort: 8080 };

function run(config: Record<string, unknown>, needs: string[] = ["docker/data-storage.Dockerfile"], env?: string) {
  return capture(
    () => {
      const before = process.env["E2E_SERVICE_REPOSITORY"];
      if (env === undefined) delete process.env["E2E_SERVICE_REPOSITORY"];
      else process.env["E2E_SERVICE_REPOSITORY"] = env;
      try {
        const settings = readStackSettings(emptyStacks, ["apiHostPort"]);
        const { config: _config, ...plain } = settings;
        return { repository: requireServiceRepository(settings, needs), settings: plain };
      } finally {
        if (before === undefined) delete process.env["E2E_SERVICE_REPOSITORY"];
        else process.env["E2E_SERVICE_REPOSITORY"] = before;
      }
    },
    { project: "svc", stack: "svc-e2e", config },
  );
}

describe("stack settings and the service repository", () => {
  it("GIVEN config THEN the settings; the repository from config or, unset, from E2E_SERVICE_REPOSITORY", async () => {
    const { outputs } = await run({ ...base, serviceRepository: fixtureCheckout() });
    expect(outputs).toStrictEqual({
      repository: fixtureCheckout(),
      settings: {
        project: "svc",
        stack: "svc-e2e",
        clusterName: "svc-e2e",
        kubeconfigPath: "~/.kube/svc-e2e-config",
        containerRuntime: undefined,
        coverage: false,
        hostPorts: { apiHostPort: 8080 },
        listenAddress: "127.0.0.1",
        nodeImage: undefined,
        allowCgroupV1: false,
        exclusiveGroup: undefined,
      },
    });
    expect((await run(base, [], fixtureCheckout())).outputs["repository"]).toBe(fixtureCheckout());
    // For machines unlike the suite authors' laptops: a node image built or mirrored locally, and
    // kubelets allowed on cgroup v1.
    const machine = await run({
      ...base,
      serviceRepository: fixtureCheckout(),
      nodeImage: "e2e-infra/kind-node:v1.36.3-abc",
      allowCgroupV1: "true",
    });
    expect(machine.outputs["settings"]).toMatchObject({ nodeImage: "e2e-infra/kind-node:v1.36.3-abc", allowCgroupV1: true });
  });

  it.each<[string, Record<string, unknown>, string[], RegExp]>([
    [
      "no repository",
      base,
      [],
      /Stack "svc-e2e": config svc:serviceRepository is missing; expected the path of a checkout of the service repository: pulumi config set serviceRepository/,
    ],
    [
      "a repository that does not exist",
      { ...base, serviceRepository: "/no/such/checkout" },
      [],
      /config svc:serviceRepository is "\/no\/such\/checkout"; expected an existing directory/,
    ],
    [
      "a repository without the Dockerfile",
      { ...base, serviceRepository: fixtureCheckout() },
      ["docker/nope.Dockerfile"],
      /config svc:serviceRepository is ".*kubernaut-checkout"; expected a checkout of the service repository; it has no docker\/nope.Dockerfile/,
    ],
    [
      "a bad cluster name",
      { ...base, clusterName: "svc;rm", serviceRepository: fixtureCheckout() },
      [],
      /config svc:clusterName is "svc;rm"; expected a DNS-1123 label/,
    ],
    [
      "a port out of range",
      { ...base, apiHostPort: 70000, serviceRepository: fixtureCheckout() },
      [],
      /config svc:apiHostPort is 70000; expected a port from 1 to 65535/,
    ],
  ])("GIVEN %s THEN the error names the key", async (_, config, needs, message) => {
    await expect(run(config, needs)).rejects.toThrow(message);
  });
});

describe("stack settings: every key checked before anything exists, naming it", () => {
  const files = mkdtempSync(join(tmpdir(), "settings-"));
  writeFileSync(join(files, "auth.txt"), "user: pass\n");
  writeFileSync(join(files, "release.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: tekton-pipelines\n");
  const read = (config: Record<string, unknown>, otherKeys: string[] = []) =>
    capture(() => void readStackSettings(emptyStacks, ["apiHostPort"], otherKeys), {
      project: "svc",
      stack: "svc-e2e",
      config: { ...base, ...config },
    });

  it.each<[string, Record<string, unknown>, string[], string]>([
    // Pulumi's own errors ("Missing required configuration variable") name no value and nothing valid.
    ["no cluster name", { clusterName: undefined }, [], "config svc:clusterName is missing; expected a DNS-1123 label"],
    ["no kubeconfig path", { kubeconfigPath: undefined }, [], "config svc:kubeconfigPath is missing; expected a file path on one line"],
    [
      "a kubeconfig path that is a directory",
      { kubeconfigPath: files },
      [],
      `config svc:kubeconfigPath is ${JSON.stringify(files)}; expected a file path; it is a directory`,
    ],
    ["coverage that is no boolean", { coverage: "yes" }, [], 'config svc:coverage is "yes"; expected true or false'],
    ["a cgroup v1 allowance that is no boolean", { allowCgroupV1: "v1" }, [], 'config svc:allowCgroupV1 is "v1"; expected true or false'],
    [
      "a node image that is no image reference",
      { nodeImage: "kindest/node:v1.36 1" },
      [],
      'config svc:nodeImage is "kindest/node:v1.36 1"; expected an image reference',
    ],
    [
      "an exclusive group that is no name",
      { exclusiveGroup: "Bad Group" },
      [],
      'config svc:exclusiveGroup is "Bad Group"; expected a group name, a DNS-1123 label (lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters) such as "kubernaut-head", or "" for none',
    ],
    ["a host port that is no number", { apiHostPort: "eighty" }, [], 'config svc:apiHostPort is "eighty"; expected a port from 1 to 65535'],
    ["no host port", { apiHostPort: undefined }, [], "config svc:apiHostPort is missing; expected a port from 1 to 65535"],
    // The optional keys a stack reads are checked with the rest, before its cluster is registered.
    [
      "a Tekton version that is no release",
      { tektonVersion: "1.7" },
      ["tektonVersion"],
      'config svc:tektonVersion is "1.7"; expected a Tekton release such as "v1.7.0"',
    ],
    [
      "a Tekton version and a manifest (the version would be ignored)",
      { tektonVersion: "v1.7.0", tektonManifest: join(files, "release.yaml") },
      ["tektonVersion", "tektonManifest"],
      'config svc:tektonVersion is "v1.7.0"; expected either tektonVersion or tektonManifest, not both',
    ],
    [
      "a Tekton manifest without the controller",
      { tektonManifest: join(files, "release.yaml") },
      ["tektonManifest"],
      "; expected a Tekton Pipelines release; it has no Deployment tekton-pipelines/tekton-pipelines-controller",
    ],
    [
      "credentials that are no JSON",
      { dockerConfigFile: join(files, "auth.txt") },
      ["dockerConfigFile"],
      '; expected a JSON file with an "auths" object',
    ],
  ])("GIVEN %s THEN the error names the key, the value and what is valid", async (_, config, otherKeys, message) => {
    const values = Object.fromEntries(Object.entries({ ...base, ...config }).filter(([, value]) => value !== undefined));
    const run = capture(() => void readStackSettings(emptyStacks, ["apiHostPort"], otherKeys), {
      project: "svc",
      stack: "svc-e2e",
      config: values,
    });
    await expect(run).rejects.toThrow(message);
  });

  it("GIVEN valid optional keys THEN they pass", async () => {
    const auth = join(files, "auth.json");
    writeFileSync(auth, JSON.stringify({ auths: {} }));
    await expect(read({ tektonVersion: "v1.7.0", dockerConfigFile: auth }, ["tektonVersion", "dockerConfigFile"])).resolves.toBeDefined();
  });
});

describe("stack settings: exclusiveGroup, from config or its project's default", () => {
  // svc's project declares the group's default (as the HEAD stacks' Pulumi.yaml do); other-e2e, in
  // that group too, maps svc's apiHostPort 8080.
  const stacks = mkdtempSync(join(tmpdir(), "grouped-stacks-"));
  const grouped = 'config:\n  exclusiveGroup:\n    type: string\n    description: "never up together"\n    default: suites\n';
  const projects: Record<string, Record<string, string>> = {
    svc: { "Pulumi.yaml": `name: svc\nruntime: nodejs\n${grouped}` },
    other: {
      "Pulumi.yaml": `name: other\nruntime: nodejs\n${grouped}`,
      "Pulumi.other-e2e.yaml": "config:\n  other:clusterName: other-e2e\n  other:apiHostPort: 8080\n",
    },
  };
  for (const [dir, files] of Object.entries(projects)) {
    mkdirSync(join(stacks, dir));
    for (const [file, text] of Object.entries(files)) writeFileSync(join(stacks, dir, file), text);
  }
  const group = (config: Record<string, unknown>) =>
    capture(() => ({ group: readStackSettings(stacks, ["apiHostPort"], []).exclusiveGroup }), {
      project: "svc",
      stack: "svc-e2e",
      config: { ...base, ...config },
    });

  it("GIVEN no exclusiveGroup in config THEN its project's default (the Pulumi CLI applies it; a program under mocks reads it from Pulumi.yaml): the group's host ports may overlap", async () => {
    expect((await group({})).outputs).toStrictEqual({ group: "suites" });
  });

  it("GIVEN exclusiveGroup in config (a stack file's, or --config) THEN it wins over the default; another group's, or none, may not share the port", async () => {
    expect((await group({ exclusiveGroup: "suites" })).outputs).toStrictEqual({ group: "suites" });
    await expect(group({ exclusiveGroup: "solo" })).rejects.toThrow(
      'config svc:apiHostPort is 8080; expected a host port no other stack maps; stack other-e2e maps it (other:apiHostPort); stacks never up at the same time may share host ports: both set the same exclusiveGroup (other-e2e\'s is "suites"; config svc:exclusiveGroup is "solo")',
    );
    await expect(group({ exclusiveGroup: "" })).rejects.toThrow("config svc:exclusiveGroup is none)");
  });

  it("GIVEN a group with the cluster name of another stack of it THEN refused all the same", async () => {
    await expect(group({ clusterName: "other-e2e" })).rejects.toThrow(
      'config svc:clusterName is "other-e2e"; expected a cluster name no other stack uses; stack other-e2e uses it too',
    );
  });
});
