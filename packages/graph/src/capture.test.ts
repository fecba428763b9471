import * as command from "@pulumi/command";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { capture } from "./index";

class Pair extends pulumi.ComponentResource {
  readonly out: pulumi.Output<string>;
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super("test:index:Pair", name, {}, opts);
    const first = new command.local.Command(`${name}-first`, { create: "true" }, { parent: this });
    const second = new command.local.Command(`${name}-second`, { create: "true", environment: { X: first.stdout } }, { parent: this });
    this.out = second.stdout;
    this.registerOutputs({ out: this.out });
  }
}

describe("capture", () => {
  it("GIVEN a program WHEN captured THEN every request is recorded as sent: urn, parent, dependencies, property dependencies, provider, deletedWith", async () => {
    const { graph, outputs } = await capture(
      () => {
        const pair = new Pair("pair");
        const anchor = new command.local.Command("anchor", { create: "true" });
        const provider = new k8s.Provider("k8s", { kubeconfig: anchor.stdout });
        const cm = new k8s.core.v1.ConfigMap(
          "cm",
          { metadata: { name: "cm" }, data: { v: pair.out } },
          { provider, deletedWith: anchor, dependsOn: [pair] },
        );
        return { name: cm.metadata.name, secret: pulumi.secret("s3cret") };
      },
      { project: "proj", stack: "dev" },
    );

    const stack = graph.one({ type: "pulumi:pulumi:Stack" });
    expect(stack.urn).toBe("urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev");
    const pair = graph.one({ type: "test:index:Pair" });
    const first = graph.one({ name: "pair-first" });
    const second = graph.one({ name: "pair-second" });
    const anchor = graph.one({ name: "anchor" });
    const provider = graph.one({ type: "pulumi:providers:kubernetes" });
    const cm = graph.one({ type: "kubernetes:core/v1:ConfigMap" });

    expect(second.urn).toBe("urn:pulumi:dev::proj::test:index:Pair$command:local:Command::pair-second");
    expect(second.parent).toBe(pair.urn);
    expect(second.dependencies).toStrictEqual([first.urn]);
    expect(second.propertyDependencies).toStrictEqual({ create: [], environment: [first.urn] });
    expect(provider.dependencies).toStrictEqual([anchor.urn]);
    expect(cm.provider).toBe(provider.urn);
    expect(cm.deletedWith).toBe(anchor.urn);
    // dependsOn a component is sent as its custom descendants, plus the data edge of `data`.
    expect([...cm.dependencies].sort()).toStrictEqual([first.urn, second.urn].sort());
    expect(cm.propertyDependencies["data"]).toStrictEqual([second.urn]);
    expect(graph.dependsOn(cm, first)).toBe(true);
    expect(graph.independent(anchor, pair)).toBe(true);
    expect(outputs).toStrictEqual({ name: "cm", secret: "s3cret" });
  });

  it("GIVEN secrets and config WHEN captured THEN secret inputs are unwrapped and their paths listed; config is read as the CLI sets it", async () => {
    const { graph } = await capture(
      () => {
        const config = new pulumi.Config();
        new command.local.Command("cmd", {
          create: "true",
          environment: {
            PLAIN: config.require("plain"),
            PASSWORD: config.requireSecret("password"),
            PORT: String(config.requireNumber("port")),
          },
        });
      },
      { config: { plain: "p", password: "hunter2", port: 8080 }, secretConfig: ["password"] },
    );
    const cmd = graph.one({ name: "cmd" });
    expect(cmd.inputs["environment"]).toStrictEqual({ PLAIN: "p", PASSWORD: "hunter2", PORT: "8080" });
    expect(cmd.secretInputs).toStrictEqual(["environment.PASSWORD"]);
  });

  it("GIVEN an Output that resolves to undefined THEN the SDK drops the input and its edge: why the default mocks give realistic outputs", async () => {
    const withoutStdout = await capture(
      () => {
        const cmd = new command.local.Command("cmd", { create: "true" });
        new k8s.Provider("k8s", { kubeconfig: cmd.stdout });
      },
      { outputs: (args) => (args.type === "command:local:Command" ? { stdout: undefined } : undefined) },
    );
    expect(withoutStdout.graph.one({ name: "k8s" }).dependencies).toStrictEqual([]);

    const withDefaults = await capture(() => {
      const cmd = new command.local.Command("cmd", { create: "true" });
      new k8s.Provider("k8s", { kubeconfig: cmd.stdout });
    });
    expect(withDefaults.graph.one({ name: "k8s" }).dependencies).toStrictEqual([withDefaults.graph.one({ name: "cmd" }).urn]);
  });

  it("GIVEN a program that throws THEN the capture rejects with that error", async () => {
    await expect(
      capture(() => {
        throw new Error("bad argument");
      }),
    ).rejects.toThrow("bad argument");
    // ...and the next capture starts clean.
    const { graph } = await capture(() => new command.local.Command("ok", { create: "true" }));
    expect(graph.resources.map((r) => r.name)).toStrictEqual(["test-test", "ok"]);
  });

  it("GIVEN captures started together THEN they run one at a time and do not mix", async () => {
    const [one, two] = await Promise.all([
      capture(() => new command.local.Command("one", { create: "true" }), { stack: "a" }),
      capture(() => new command.local.Command("two", { create: "true" }), { stack: "b" }),
    ]);
    expect(one.graph.resources.map((r) => r.urn)).toStrictEqual([
      "urn:pulumi:a::test::pulumi:pulumi:Stack::test-a",
      "urn:pulumi:a::test::command:local:Command::one",
    ]);
    expect(two.graph.resources.map((r) => r.name)).toStrictEqual(["test-b", "two"]);
  });
});
