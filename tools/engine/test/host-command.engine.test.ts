import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ENGINE_DIR, engineUser, pulumiStack, stepNames, type EngineUser } from "../src/engine";

// The host command every component runs (a Pulumi dynamic resource of @e2e-infra/core) on the
// real engine and its Node.js dynamic provider process: what runs when, with which environment,
// and what the state keeps.
const dir = join(ENGINE_DIR, "test", "fixtures", "host-command");
const stack = "dev";
let user: EngineUser;
let marker: string;

beforeAll(() => {
  user = engineUser("host-command");
  marker = join(user.home, "marker");
});

const lines = () => readFileSync(marker, "utf8").trim().split("\n");

describe("host commands on the real engine", () => {
  it("GIVEN a new stack WHEN up THEN create runs, with a secret stdout passed through the environment and never stored in plain text", async () => {
    const result = await pulumiStack(user, { operation: "up", dir, stack, config: { marker } });
    expect(stepNames(result)).toStrictEqual({ create: ["first", "second"] });
    expect(result.outputs).toStrictEqual({ token: "[secret]", second: "done" });
    expect(lines()).toStrictEqual(["create token-a"]);
    const state = readdirSync(join(user.home, ".pulumi-e2e-infra", ".pulumi", "stacks", "host-command"))
      .map((file) => readFileSync(join(user.home, ".pulumi-e2e-infra", ".pulumi", "stacks", "host-command", file), "utf8"))
      .join("\n");
    expect(state).not.toContain("token-a");
  });

  it("GIVEN nothing changed THEN preview --expect-no-changes passes and nothing runs", async () => {
    await pulumiStack(user, { operation: "preview", dir, stack, expectNoChanges: true });
    expect(lines()).toStrictEqual(["create token-a"]);
  });

  it("GIVEN a changed value WHEN up THEN the commands that read it update, in order", async () => {
    const result = await pulumiStack(user, { operation: "up", dir, stack, config: { value: "b" } });
    expect(stepNames(result)["update"]).toStrictEqual(expect.arrayContaining(["first", "second"]));
    expect(result.outputs["second"]).toBe("updated");
    expect(lines()).toStrictEqual(["create token-a", "update token-b"]);
  });

  it("GIVEN a changed trigger WHEN up THEN the command is replaced: the new one created, the old one deleted with its own environment", async () => {
    const result = await pulumiStack(user, { operation: "up", dir, stack, config: { generation: "2" } });
    expect(stepNames(result)["replace"]).toStrictEqual(["second"]);
    expect(lines()).toStrictEqual(["create token-a", "update token-b", "create token-b", "delete token-b"]);
  });

  it("GIVEN a failing command WHEN up THEN the error shows its stderr, and a fixed one converges", async () => {
    await expect(pulumiStack(user, { operation: "up", dir, stack, config: { marker: "/nonexistent/dir/marker" } })).rejects.toThrow(
      /host command failed \(exit code 2\):\n.*\/nonexistent\/dir\/marker/,
    );
    await pulumiStack(user, { operation: "up", dir, stack, config: { marker } });
    await pulumiStack(user, { operation: "preview", dir, stack, expectNoChanges: true });
  });

  it("GIVEN the stack WHEN destroyed THEN delete runs once and the stack is empty", async () => {
    const result = await pulumiStack(user, { operation: "destroy", dir, stack });
    expect(stepNames(result)["delete"]).toStrictEqual(["first", "second"]);
    expect(lines().filter((line) => line.startsWith("delete"))).toHaveLength(2);
  });
});
