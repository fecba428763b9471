import { capture, USERS_KUBECONFIG } from "@e2e-infra/testing";
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import * as YAML from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KindCluster } from "./index";
import {
  entriesOf,
  hasEntries,
  kubeconfigFileProvider as provider,
  kubeconfigProblem,
  mergeKubeconfig,
  removeKubeconfigEntries,
} from "./kubeconfig-file";

/** A kubeconfig as `kind get kubeconfig` prints it. */
function kindKubeconfig(cluster: string, port = 40001): string {
  const name = `kind-${cluster}`;
  return `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ${Buffer.from(`ca of ${cluster} `.repeat(20)).toString("base64")}
    server: https://127.0.0.1:${port}
  name: ${name}
contexts:
- context:
    cluster: ${name}
    user: ${name}
  name: ${name}
current-context: ${name}
kind: Config
preferences: {}
users:
- name: ${name}
  user:
    client-certificate-data: ${Buffer.from(`certificate of ${cluster}`).toString("base64")}
    client-key-data: ${Buffer.from(`key of ${cluster}`).toString("base64")}
`;
}

const USERS = USERS_KUBECONFIG;

const parsed = (text: string) => YAML.parse(text) as Record<string, unknown>;
const names = (text: string, list: string) => ((parsed(text)[list] as Array<{ name: string }> | null) ?? []).map((entry) => entry.name);

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "kubeconfig-file-"));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("merging entries (kind's semantics)", () => {
  it("GIVEN a user's kubeconfig WHEN merged THEN exactly the cluster's three entries are added; the user's entries, comment and current context stay", () => {
    const merged = mergeKubeconfig(YAML, USERS, kindKubeconfig("gateway-e2e"));

    expect(names(merged, "clusters")).toStrictEqual(["prod", "kind-gateway-e2e"]);
    expect(names(merged, "contexts")).toStrictEqual(["prod", "kind-gateway-e2e"]);
    expect(names(merged, "users")).toStrictEqual(["admin", "kind-gateway-e2e"]);
    expect(parsed(merged)["current-context"]).toBe("prod");
    expect(merged.startsWith("# my clusters\n")).toBe(true);
    const ours = parsed(kindKubeconfig("gateway-e2e"));
    expect((parsed(merged)["users"] as unknown[])[1]).toStrictEqual((ours["users"] as unknown[])[0]);
  });

  it("GIVEN entries of the same name WHEN merged again with a new kubeconfig THEN they are replaced, not repeated", () => {
    const once = mergeKubeconfig(YAML, USERS, kindKubeconfig("gateway-e2e", 40001));
    const twice = mergeKubeconfig(YAML, once, kindKubeconfig("gateway-e2e", 40002));

    expect(names(twice, "clusters")).toStrictEqual(["prod", "kind-gateway-e2e"]);
    expect(twice).toContain("https://127.0.0.1:40002");
    expect(twice).not.toContain("https://127.0.0.1:40001");
  });

  it("GIVEN merged entries WHEN removed THEN the file means what it meant before, comment included", () => {
    const merged = mergeKubeconfig(YAML, USERS, kindKubeconfig("gateway-e2e"));
    const removed = removeKubeconfigEntries(YAML, merged, entriesOf(YAML, kindKubeconfig("gateway-e2e")));

    expect(removed.changed).toBe(true);
    expect(removed.empty).toBe(false);
    expect(parsed(removed.text)).toStrictEqual(parsed(USERS));
    expect(removed.text.startsWith("# my clusters\n")).toBe(true);
  });

  it("GIVEN no file or an empty one WHEN merged THEN the cluster's kubeconfig with its context current; removed THEN nothing is left", () => {
    for (const existing of [undefined, "", "\n# nothing yet\n"]) {
      const merged = mergeKubeconfig(YAML, existing, kindKubeconfig("gateway-e2e"));
      expect(parsed(merged)).toStrictEqual(parsed(kindKubeconfig("gateway-e2e")));
      const removed = removeKubeconfigEntries(YAML, merged, entriesOf(YAML, kindKubeconfig("gateway-e2e")));
      expect(removed.empty).toBe(true);
      expect(parsed(removed.text)["current-context"]).toBe("");
    }
  });

  it("GIVEN the cluster's context is current WHEN removed THEN current-context is cleared, as kind does; another stack's entries make it not empty", () => {
    const both = mergeKubeconfig(YAML, mergeKubeconfig(YAML, undefined, kindKubeconfig("a")), kindKubeconfig("b"));
    expect(parsed(both)["current-context"]).toBe("kind-a");
    const removed = removeKubeconfigEntries(YAML, both, entriesOf(YAML, kindKubeconfig("a")));
    expect(parsed(removed.text)["current-context"]).toBe("");
    expect(names(removed.text, "contexts")).toStrictEqual(["kind-b"]);
    expect(removed.empty).toBe(false);
  });

  it("GIVEN empty lists written as [] or null WHEN merged THEN block lists hold the entries", () => {
    const merged = mergeKubeconfig(YAML, "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: null\nusers:\n", kindKubeconfig("x"));
    expect(names(merged, "clusters")).toStrictEqual(["kind-x"]);
    expect(names(merged, "contexts")).toStrictEqual(["kind-x"]);
    expect(names(merged, "users")).toStrictEqual(["kind-x"]);
    expect(merged).toContain("clusters:\n- cluster:");
  });

  it.each([
    ["a shell profile", 'export PATH="$HOME/bin:$PATH"\nalias ll="ls -l"\n', /is not a kubeconfig \(its YAML is not a mapping\)/],
    ["a mapping of something else", "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n", /kind: "Pod", a kubeconfig has kind: Config/],
    ["a mapping with no kubeconfig keys", "name: x\nvalue: 1\n", /no kind: Config, no clusters, contexts or users/],
    ["two documents", "kind: Config\n---\nkind: Config\n", /holds 2 YAML documents/],
    ["clusters as a mapping", "kind: Config\nclusters: {a: 1}\n", /its clusters is not a list/],
    ["an entry without a name", "kind: Config\nusers:\n- user: {}\n", /an entry of its users has no name/],
    ["broken YAML", "kind: Config\nclusters: [\n", /is not YAML/],
  ])("GIVEN %s THEN it is not a kubeconfig to merge into, and merging refuses it", (_what, text, reason) => {
    expect(kubeconfigProblem(YAML, text)).toMatch(reason);
    expect(() => mergeKubeconfig(YAML, text, kindKubeconfig("x"))).toThrow(/it was left as it is/);
  });

  it("GIVEN kubeconfigs kubectl and kind write THEN they are kubeconfigs", () => {
    expect(kubeconfigProblem(YAML, USERS)).toBeUndefined();
    expect(kubeconfigProblem(YAML, kindKubeconfig("x"))).toBeUndefined();
    expect(kubeconfigProblem(YAML, "apiVersion: v1\nclusters: null\ncontexts: null\ncurrent-context: \"\"\nkind: Config\npreferences: {}\nusers: null\n")).toBeUndefined();
  });
});

describe("the provider on real files", () => {
  const inputs = (path: string, cluster = "gateway-e2e", port = 40001) => ({ path, content: kindKubeconfig(cluster, port) });

  it("GIVEN a user's kubeconfig (mode 0640) WHEN created, updated, deleted THEN the user's file is back as it was, mode kept, nothing else left beside it", async () => {
    const path = join(mkdtempSync(join(scratch, "kube-")), "config");
    writeFileSync(path, USERS);
    chmodSync(path, 0o640);

    const { outs } = await provider.create(inputs(path));
    expect(outs.created).toBe(false);
    expect(names(readFileSync(path, "utf8"), "contexts")).toStrictEqual(["prod", "kind-gateway-e2e"]);
    expect(parsed(readFileSync(path, "utf8"))["current-context"]).toBe("prod");
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect((await provider.read(outs.absolutePath, outs)).id).toBe(path);

    const updated = await provider.update(outs.absolutePath, outs, inputs(path, "gateway-e2e", 40002));
    expect(readFileSync(path, "utf8")).toContain("https://127.0.0.1:40002");
    expect(names(readFileSync(path, "utf8"), "clusters")).toStrictEqual(["prod", "kind-gateway-e2e"]);

    await provider.delete(outs.absolutePath, updated.outs);
    expect(parsed(readFileSync(path, "utf8"))).toStrictEqual(parsed(USERS));
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(readdirNames(path)).toStrictEqual(["config"]);
  });

  it("GIVEN no file WHEN created THEN it is the cluster's kubeconfig, mode 0600, in a new directory; deleted THEN the file is gone", async () => {
    const path = join(scratch, "new-home", ".kube", "gateway-e2e-config");
    const { outs } = await provider.create(inputs(path));

    expect(outs.created).toBe(true);
    expect(parsed(readFileSync(path, "utf8"))).toStrictEqual(parsed(kindKubeconfig("gateway-e2e")));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    await provider.delete(outs.absolutePath, outs);
    expect(existsSync(path)).toBe(false);
  });

  it("GIVEN a file this stack created that another stack merged into WHEN deleted THEN the file stays with the other's entries", async () => {
    const path = join(mkdtempSync(join(scratch, "kube-")), "shared");
    const mine = (await provider.create(inputs(path, "a"))).outs;
    const theirs = (await provider.create(inputs(path, "b"))).outs;
    expect(theirs.created).toBe(false);

    await provider.delete(mine.absolutePath, mine);
    expect(names(readFileSync(path, "utf8"), "contexts")).toStrictEqual(["kind-b"]);
    await provider.delete(theirs.absolutePath, theirs);
    expect(existsSync(path)).toBe(true);
    expect(names(readFileSync(path, "utf8"), "contexts")).toStrictEqual([]);
  });

  it("GIVEN the entries taken out by hand (or the file removed) WHEN refreshed THEN the resource is gone, so the next up merges again", async () => {
    const path = join(mkdtempSync(join(scratch, "kube-")), "config");
    writeFileSync(path, USERS);
    const { outs } = await provider.create(inputs(path));
    writeFileSync(path, USERS);
    expect((await provider.read(outs.absolutePath, outs)).id).toBe("");
    rmSync(path);
    expect((await provider.read(outs.absolutePath, outs)).id).toBe("");
  });

  it("GIVEN the path is a symbolic link WHEN merged THEN the link stays and its target gets the entries", async () => {
    const dir = mkdtempSync(join(scratch, "kube-"));
    writeFileSync(join(dir, "real-config"), USERS);
    symlinkSync("real-config", join(dir, "config"));
    const { outs } = await provider.create(inputs(join(dir, "config")));

    expect(names(readFileSync(join(dir, "real-config"), "utf8"), "contexts")).toStrictEqual(["prod", "kind-gateway-e2e"]);
    await provider.delete(outs.absolutePath, outs);
    expect(parsed(readFileSync(join(dir, "config"), "utf8"))).toStrictEqual(parsed(USERS));
    expect(readdirNames(join(dir, "config")).sort()).toStrictEqual(["config", "real-config"]);
  });

  it("GIVEN a file that became something else than a kubeconfig WHEN merged THEN it fails and the file is untouched", async () => {
    const path = join(mkdtempSync(join(scratch, "kube-")), "config");
    writeFileSync(path, "alias ll='ls -l'\n");
    await expect(provider.create(inputs(path))).rejects.toThrow(/is not a kubeconfig.*it was left as it is/);
    expect(readFileSync(path, "utf8")).toBe("alias ll='ls -l'\n");
    expect(readdirNames(path)).toStrictEqual(["config"]);
  });

  it("GIVEN kubectl holds the file's lock WHEN merged THEN the merge waits for it, then keeps what kubectl wrote", async () => {
    const path = join(mkdtempSync(join(scratch, "kube-")), "config");
    writeFileSync(path, USERS);
    writeFileSync(`${path}.lock`, "");
    const merging = provider.create(inputs(path));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(readFileSync(path, "utf8")).toBe(USERS);

    // What kubectl wrote meanwhile, then its lock released.
    writeFileSync(path, USERS.replace("a-token", "a-new-token"));
    rmSync(`${path}.lock`);
    await merging;
    expect(readFileSync(path, "utf8")).toContain("a-new-token");
    expect(names(readFileSync(path, "utf8"), "users")).toStrictEqual(["admin", "kind-gateway-e2e"]);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });
});

// The provider as Pulumi serializes it into the state, run the way the Node.js dynamic provider
// process runs it (require-from-string), in processes of their own: two stacks at once.
describe("the serialized provider, two stacks at once", () => {
  const LOADER = `"use strict";
const [requireFromString, text, path, prefix, count] = [require(process.argv[2]), require("node:fs").readFileSync(process.argv[3], "utf8"), process.argv[4], process.argv[5], Number(process.argv[6])];
const provider = requireFromString(text).handler();
(async () => {
  for (let i = 0; i < count; i++) await provider.create({ path, content: process.argv[7].replaceAll("NAME", prefix + i) });
})().then(() => console.log("done"), (error) => { console.log(error.message); process.exit(1); });
`;

  it("GIVEN two processes merging 15 clusters each into one file at once THEN every entry of both is there", async () => {
    let serialized = "";
    await capture(() => new KindCluster("gw", { name: "gateway-e2e", kubeconfigPath: join(scratch, "unused") }), {
      outputs: (args) => {
        if (args.name === "gw-kubeconfig-file") serialized = (args.inputs as Record<string, string>)["__provider"]!;
        return undefined;
      },
    });
    expect(serialized).toContain("mergeKubeconfig");
    expect(serialized).not.toContain(join(__dirname, ".."));
    const dir = mkdtempSync(join(scratch, "two-"));
    writeFileSync(join(dir, "provider.js"), serialized);
    writeFileSync(join(dir, "loader.cjs"), LOADER);
    const path = join(dir, "config");
    writeFileSync(path, USERS);
    const requireFromString = createRequire(require.resolve("@pulumi/pulumi")).resolve("require-from-string");

    const run = (prefix: string) =>
      new Promise<string>((resolve) => {
        const child = spawn(process.execPath, [join(dir, "loader.cjs"), requireFromString, join(dir, "provider.js"), path, prefix, "15", kindKubeconfig("NAME")], {
          cwd: join(__dirname, ".."),
          stdio: ["ignore", "pipe", "inherit"],
        });
        let out = "";
        child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
        child.on("close", () => resolve(out.trim()));
      });
    expect(await Promise.all([run("a"), run("b")])).toStrictEqual(["done", "done"]);

    const expected = ["prod", ...Array.from({ length: 15 }, (_, i) => [`kind-a${i}`, `kind-b${i}`]).flat()].sort();
    for (const list of ["clusters", "contexts"]) expect(names(readFileSync(path, "utf8"), list).sort()).toStrictEqual(expected);
    expect(parsed(readFileSync(path, "utf8"))["current-context"]).toBe("prod");
  });
});

describe("KindCluster at preview", () => {
  it("GIVEN kubeconfigPath naming a shell profile THEN it is refused before anything is registered, naming the file and why", async () => {
    const profile = join(mkdtempSync(join(scratch, "home-")), ".bashrc");
    writeFileSync(profile, 'export PATH="$HOME/bin:$PATH"\n');
    await expect(capture(() => new KindCluster("gw", { name: "gateway-e2e", kubeconfigPath: profile }))).rejects.toThrow(
      /KindCluster "gw": kubeconfigPath is ".*\.bashrc"; expected a new file or a kubeconfig to add the cluster's entries to; .*\.bashrc is not a kubeconfig \(its YAML is not a mapping\), and a stack never changes a file it did not write/,
    );
    expect(readFileSync(profile, "utf8")).toBe('export PATH="$HOME/bin:$PATH"\n');
  });

  it("GIVEN kubeconfigPath naming a user's kubeconfig THEN it is accepted, and the context to use with it is kind-<name>", async () => {
    const path = join(mkdtempSync(join(scratch, "home-")), "config");
    writeFileSync(path, USERS);
    let cluster: KindCluster | undefined;
    const { graph } = await capture(() => (cluster = new KindCluster("gw", { name: "gateway-e2e", kubeconfigPath: path })));
    expect(graph.one({ name: "gw-kubeconfig-file" }).type).toBe("pulumi-nodejs:dynamic:KubeconfigFile");
    expect(cluster!.kubeContext).toBe("kind-gateway-e2e");
  });

  it("GIVEN hasEntries THEN it tells a file with the entries from one without", () => {
    const entries = entriesOf(YAML, kindKubeconfig("x"));
    expect(hasEntries(YAML, mergeKubeconfig(YAML, USERS, kindKubeconfig("x")), entries)).toBe(true);
    expect(hasEntries(YAML, USERS, entries)).toBe(false);
  });
});

/** The names in the directory holding `path`. */
function readdirNames(path: string): string[] {
  return readdirSync(dirname(path));
}
