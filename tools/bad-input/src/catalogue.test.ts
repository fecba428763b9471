import { documentedConfigKeys, notRunHere, readStackFiles, toolMissing } from "@e2e-infra/testing";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { argumentNames } from "./arguments";
import { stackCases, stackDirs } from "./cases/stacks";
import { ROOT } from "./fakes";
import { components, problemsOf, tryBadInput, type BadInput } from "./index";

const tally = { tried: 0, good: 0 };

/** Components the catalogue does not cover yet, and why. */
const NOT_YET_CATALOGUED: Record<string, string> = {};

/** The class names of every `super("e2e-infra:index:<Class>", ...)` in packages/<pkg>/src (tests aside). */
function componentTypes(): string[] {
  const packages = join(ROOT, "packages");
  return readdirSync(packages)
    .flatMap((pkg) => {
      const src = join(packages, pkg, "src");
      if (!existsSync(src)) return [];
      return readdirSync(src)
        .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"))
        .flatMap((file) =>
          [...readFileSync(join(src, file), "utf8").matchAll(/super\("e2e-infra:index:([A-Za-z]+)"/g)].map((match) => match[1]!),
        );
    })
    .sort();
}
const stacks = stackCases();

/** The argument a field path starts with: `nodes[0].role` -> `nodes`, `env["PORT"]` -> `env`. */
const argumentOf = (field: string) => field.split(/[.[]/)[0]!;

// A stack's serviceRepository may also come from the environment; the cases set it, or leave it out on purpose.
let savedRepository: string | undefined;
beforeAll(() => {
  savedRepository = process.env["E2E_SERVICE_REPOSITORY"];
  delete process.env["E2E_SERVICE_REPOSITORY"];
});

afterAll(() => {
  if (savedRepository !== undefined) process.env["E2E_SERVICE_REPOSITORY"] = savedRepository;
  process.stderr.write(`catalogue: ${tally.tried} inputs tried, ${tally.good} rejected at preview with field, value and what is valid\n`);
});

async function check(input: BadInput): Promise<void> {
  tally.tried++;
  const problems = problemsOf(input, await tryBadInput(input));
  // Thrown as one message, so a failure shows every problem and the component's message in full.
  if (problems.length > 0) throw new Error(`${input.component}: ${input.description}:\n${problems.join("\n")}`);
  tally.good++;
}

describe.each(components.map((component) => [component.component, component] as const))("%s", (_, component) => {
  const needs = component.baselineNeeds;
  const baselineCannotRun = needs !== undefined && notRunHere(`${component.component}'s baseline (it runs ${needs})`, toolMissing(needs));
  it.skipIf(baselineCannotRun)(
    "GIVEN the arguments every case starts from THEN it accepts them (it registers itself): a case fails on its bad argument alone",
    async () => {
      const { registered, error } = await component.baseline();
      expect(
        registered.filter((resource) => resource.startsWith(`e2e-infra:index:${component.component}::`)),
        String(error),
      ).toHaveLength(1);
      expect((error as Error | undefined)?.name).not.toBe("ArgumentError");
    },
  );

  it.each(component.cases.map((input) => [input.description, input] as const))(
    "GIVEN %s THEN the preview fails before anything is registered, naming the field, the value and what is valid",
    async (_, input) => check(input),
  );
});

describe.each(stackDirs().map(({ dir, stack }) => [readStackFiles(dir, stack).project, dir] as const))("stack %s", (project, dir) => {
  const cases = stacks.filter((input) => input.component === `stack ${project}`);

  it.each(cases.map((input) => [input.description, input] as const))(
    "GIVEN %s THEN the preview fails before anything is registered, naming the key, the value and what is valid",
    async (_, input) => check(input),
  );

  it("GIVEN its Pulumi.yaml THEN every config key it documents (declared, or listed as optional) has a case", () => {
    const covered = new Set(cases.map((input) => input.expected.field.replace(`config ${project}:`, "")));
    expect(documentedConfigKeys(dir).filter((key) => !covered.has(key))).toStrictEqual([]);
  });
});

describe("coverage", () => {
  it("GIVEN each component's arguments interface THEN every argument has at least one case", () => {
    const names = argumentNames(components.map((component) => component.args));
    const uncovered = components.flatMap((component) => {
      const covered = new Set(component.cases.map((input) => argumentOf(input.expected.field)));
      return names
        .get(component.args.type)!
        .filter((name) => !covered.has(name))
        .map((name) => `${component.component}.${name}`);
    });
    expect(uncovered).toStrictEqual([]);
  }, 120_000);

  it("GIVEN every ComponentResource under packages/ THEN each has its bad inputs here (or is listed as not yet catalogued, with why)", () => {
    const found = componentTypes();
    const catalogued = components.map((component) => component.component);
    expect(found.filter((type) => !catalogued.includes(type) && NOT_YET_CATALOGUED[type] === undefined)).toStrictEqual([]);
    // An exemption for a component that no longer exists, or now has cases, is stale.
    expect(Object.keys(NOT_YET_CATALOGUED).filter((type) => !found.includes(type) || catalogued.includes(type))).toStrictEqual([]);
  });

  it("GIVEN the catalogue THEN it tries at least 150 inputs", () => {
    expect(components.reduce((total, component) => total + component.cases.length, 0) + stacks.length).toBeGreaterThanOrEqual(150);
  });
});
