import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { logger } from "@nx/devkit";
import { describe, expect, it, vi } from "vitest";
import { footprints, planStack, serviceStack } from "../index";
import { STAND_IN_CHECKOUT, STAND_IN_DOCKERFILE, WROTE } from "./generator";
import { workspaceWithStacks } from "./workspace";

const root = join(__dirname, "..", "..", "..", "..");

const workspace = () => workspaceWithStacks(root);

describe("nx g @e2e-infra/tools:service-stack", () => {
  it("GIVEN a new service THEN stacks/<name> with a cluster name and host ports no stack uses", () => {
    const tree = workspace();
    serviceStack(tree, { name: "mailer", skipInstall: true });
    const files = tree
      .listChanges()
      .filter((change) => change.path.startsWith("stacks/mailer/"))
      .map((change) => change.path)
      .sort();
    expect(files).toStrictEqual(
      ["Pulumi.mailer-e2e.yaml", "Pulumi.yaml", "index.ts", "package.json", "test/stack.test.ts", "tsconfig.json", "vitest.config.mts"]
        .map((f) => `stacks/mailer/${f}`)
        .sort(),
    );
    const all = footprints(tree);
    const mine = all.find((f) => f.stack === "mailer-e2e")!;
    expect(mine).toStrictEqual({
      stack: "mailer-e2e",
      project: "mailer",
      clusterName: "mailer-e2e",
      kubeconfigPath: "~/.kube/mailer-e2e-config",
      hostPorts: { serviceHostPort: 20080, metricsHostPort: 20081, dataStorageHostPort: 20082 },
      exclusiveGroup: "",
    });
    // Its ports are its own: no other stack maps them.
    const others = all.filter((f) => f !== mine).flatMap((f) => Object.values(f.hostPorts));
    for (const port of Object.values(mine.hostPorts)) expect(others).not.toContain(port);
  });

  it("GIVEN a new service THEN it says which way it wrote the stack, and where the other way is", () => {
    const said: string[] = [];
    const spy = vi.spyOn(logger, "info").mockImplementation((message: unknown) => void said.push(String(message)));
    try {
      serviceStack(workspace(), { name: "mailer", skipInstall: true });
    } finally {
      spy.mockRestore();
    }
    expect(said).toStrictEqual([WROTE("mailer")]);
    expect(said[0]).toMatch(/component way.*kubernautStack \(packages\/kubernaut\/README\.md\)/);
  });

  it("GIVEN ports already taken THEN the next free ones", () => {
    const tree = workspace();
    serviceStack(tree, { name: "one", skipInstall: true });
    expect(planStack(tree, { name: "two" }).hostPorts).toStrictEqual({
      serviceHostPort: 20083,
      metricsHostPort: 20084,
      dataStorageHostPort: 20085,
    });
  });

  it.each<[string, string, RegExp]>([
    ["a name that is not DNS-1123", "Notification_Service", /name is "Notification_Service"; expected a DNS-1123 label/],
    ["an existing stack's name", "gateway", /name is "gateway"; stacks\/gateway already exists: choose another name/],
    [
      "a cluster name another stack uses",
      "ro",
      /name is "ro"; the stack remediationorchestrator-e2e \(remediationorchestrator\) already uses the cluster or stack name ro-e2e/,
    ],
  ])("GIVEN %s THEN a clear error and no files written", (_, name, message) => {
    const tree = workspace();
    const before = tree.listChanges().length;
    expect(() => serviceStack(tree, { name, skipInstall: true })).toThrow(message);
    expect(tree.listChanges()).toHaveLength(before);
  });

  it("GIVEN a new service THEN its Dockerfile in the bundled stand-in checkout, which the stack's tests and graph use; an existing one is kept", () => {
    const tree = workspace();
    serviceStack(tree, { name: "mailer", skipInstall: true });
    expect(tree.read(`${STAND_IN_CHECKOUT}/docker/mailer.Dockerfile`, "utf-8")).toBe(STAND_IN_DOCKERFILE);
    expect(tree.read("stacks/mailer/test/stack.test.ts", "utf-8")).toContain("checkout: fixtureCheckout(),");
    tree.write(`${STAND_IN_CHECKOUT}/docker/shared.Dockerfile`, "FROM busybox\n");
    serviceStack(tree, { name: "other", dockerfile: "docker/shared.Dockerfile", skipInstall: true });
    expect(tree.read(`${STAND_IN_CHECKOUT}/docker/shared.Dockerfile`, "utf-8")).toBe("FROM busybox\n");
    expect(existsSync(join(root, STAND_IN_CHECKOUT)), `${STAND_IN_CHECKOUT} moved: see fixtureCheckout()`).toBe(true);
  });

  it("GIVEN the generated stack THEN its package.json lists every package it imports and the README's step 1 names, each with a tsconfig reference", () => {
    const tree = workspace();
    serviceStack(tree, { name: "mailer", skipInstall: true });
    const read = (file: string) => tree.read(`stacks/mailer/${file}`, "utf-8")!;
    const pkg = JSON.parse(read("package.json")) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    const packageOf = (specifier: string) =>
      specifier
        .split("/")
        .slice(0, specifier.startsWith("@") ? 2 : 1)
        .join("/");
    const imports = (file: string) =>
      [...read(file).matchAll(/^import .* from "([^"]+)";$/gm)]
        .map((m) => m[1]!)
        .filter((s) => !s.startsWith("node:") && !s.startsWith("."));
    for (const name of imports("index.ts").map(packageOf)) expect(Object.keys(pkg.dependencies), name).toContain(name);
    for (const name of imports("test/stack.test.ts").map(packageOf))
      expect([...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)], name).toContain(name);
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const section = readme.slice(
      readme.indexOf("## Add a stack for your service"),
      readme.indexOf("\n## ", readme.indexOf("## Add a stack for your service")),
    );
    const named = [...section.matchAll(/`(@e2e-infra\/[a-z-]+)`/g)].map((m) => m[1]!);
    expect(named).toContain("@e2e-infra/crds");
    for (const name of named) expect(Object.keys(pkg.dependencies), name).toContain(name);
    const references = (JSON.parse(read("tsconfig.json")) as { references: Array<{ path: string }> }).references.map((r) => r.path);
    for (const name of [...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)].filter((n) => n.startsWith("@e2e-infra/")))
      expect(references, name).toContain(`../../packages/${name.slice("@e2e-infra/".length)}`);
  });

  it("GIVEN the generated stack THEN it records no golden file until the golden: false line is deleted, and its graph target hashes the checkout it is given", () => {
    const tree = workspace();
    serviceStack(tree, { name: "mailer", skipInstall: true });
    const test = tree.read("stacks/mailer/test/stack.test.ts", "utf-8")!;
    // The README's step 2 deletes this one line; nothing else may depend on it.
    expect(test.split("\n").filter((line) => line.includes("golden"))).toStrictEqual([
      "  golden: false, // Once the graph is reviewed, delete this line, then record the golden file: npx vitest run -u",
    ]);
    const graph = (
      JSON.parse(tree.read("stacks/mailer/package.json", "utf-8")!) as { nx: { targets: Record<string, { inputs: unknown[] }> } }
    ).nx.targets["graph"]!;
    expect(graph.inputs).toContainEqual({ env: "E2E_SERVICE_REPOSITORY" });
  });
});
