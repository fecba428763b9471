import { capture } from "@e2e-infra/testing";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixtureCheckout, readStackSettings, requireServiceRepository } from "./index";

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
      },
    });
    expect((await run(base, [], fixtureCheckout())).outputs["repository"]).toBe(fixtureCheckout());
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
