import { capture } from "@e2e-infra/testing";
import * as pulumi from "@pulumi/pulumi";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HOST_COMMAND_TYPE, hostCommand, hostCommandProvider, loadScript } from "./index";

describe("hostCommand", () => {
  it("GIVEN values WHEN constructed THEN they go through the environment, undefined ones are left out", async () => {
    const { graph } = await capture(() => {
      hostCommand(
        "cmd",
        { create: '#!/bin/sh\necho "$NAME"\n', environment: { NAME: "x", UNSET: undefined, FROM_OUTPUT: pulumi.output("y") } },
        {},
      );
    });
    const cmd = graph.one({ name: "cmd" });
    expect(cmd.type).toBe(HOST_COMMAND_TYPE);
    expect(cmd.inputs["environment"]).toStrictEqual({ NAME: "x", FROM_OUTPUT: "y" });
    expect(cmd.options.additionalSecretOutputs).toStrictEqual([]);
  });

  it("GIVEN secretStdout WHEN constructed THEN stdout is a secret output", async () => {
    const { graph } = await capture(() => {
      hostCommand("cmd", { create: "#!/bin/sh\n", environment: {}, secretStdout: true }, {});
    });
    const cmd = graph.one({ name: "cmd" });
    expect(cmd.inputs["secretStdout"]).toBeUndefined();
    expect(cmd.options.additionalSecretOutputs).toStrictEqual(["stdout"]);
  });

  it("GIVEN a lower-case environment name THEN it throws before registering", () => {
    expect(() => hostCommand("cmd", { create: "", environment: { name: "x" } }, {})).toThrow(/environment name "name" is not \[A-Z_\]/);
  });
});

// The provider's operations run for real here, with /bin/sh, as the engine's dynamic provider
// process runs them.
describe("hostCommandProvider", () => {
  const provider = hostCommandProvider;
  const dir = mkdtempSync(join(tmpdir(), "host-command-"));

  it("GIVEN a create script WHEN created THEN it runs with the environment and stdout is kept with the inputs", async () => {
    const inputs = { create: 'printf "%s" "$GREETING"; echo to-stderr >&2', environment: { GREETING: "it's $(not) run" } };
    const result = await provider.create(inputs);
    expect(result.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.outs).toStrictEqual({ ...inputs, stdout: "it's $(not) run" });
  });

  it("GIVEN a failing script THEN the error names the exit code and ends with stderr", async () => {
    await expect(provider.create({ create: "echo first >&2; echo the cause >&2; exit 3", environment: {} })).rejects.toThrow(
      /exit code 3\):\nfirst\nthe cause$/,
    );
  });

  it("GIVEN an update THEN the update script runs, else create runs again", async () => {
    const marker = join(dir, "updated");
    const olds = { create: "echo created", environment: {} };
    const withUpdate = { ...olds, update: 'echo updated > "$MARKER"; echo updated', environment: { MARKER: marker } };
    expect((await provider.update("id", olds, withUpdate)).outs).toMatchObject({ stdout: "updated\n" });
    expect(readFileSync(marker, "utf8")).toBe("updated\n");
    expect((await provider.update("id", olds, olds)).outs).toMatchObject({ stdout: "created\n" });
  });

  it("GIVEN a delete script THEN it runs with the environment the resource was created with", async () => {
    const marker = join(dir, "deleted");
    await provider.delete("id", {
      create: "true",
      delete: 'echo "$WHAT" > "$MARKER"',
      environment: { WHAT: "old", MARKER: marker },
      stdout: "",
    });
    expect(readFileSync(marker, "utf8")).toBe("old\n");
    await provider.delete("id", { create: "true", environment: {}, stdout: "" });
  });

  it("GIVEN a check WHEN refreshed THEN exit 0 keeps the resource, 3 removes it (empty id), anything else fails the refresh", async () => {
    const props = (check: string) => ({ create: "true", check, environment: { CODE: "x" }, stdout: "" });
    expect(await provider.read("id", props("exit 0"))).toStrictEqual({ id: "id", props: props("exit 0") });
    expect(await provider.read("id", props("exit 3"))).toStrictEqual({ id: "", props: {} });
    await expect(provider.read("id", props('echo "cannot tell $CODE" >&2; exit 1'))).rejects.toThrow("cannot tell x");
    expect(await provider.read("id", { create: "true", environment: {}, stdout: "" })).toMatchObject({ id: "id" });
  });

  it("GIVEN changed inputs THEN triggers replace, other inputs update, nothing changed is no change", async () => {
    const olds = { create: "a", environment: { X: "1" }, triggers: ["cluster-1"], stdout: "out" };
    expect(await provider.diff("id", olds, { create: "a", environment: { X: "1" }, triggers: ["cluster-1"] })).toStrictEqual({
      changes: false,
      replaces: [],
    });
    expect(await provider.diff("id", olds, { create: "a", environment: { X: "2" }, triggers: ["cluster-1"] })).toStrictEqual({
      changes: true,
      replaces: [],
    });
    expect(await provider.diff("id", olds, { create: "a", environment: { X: "1" }, triggers: ["cluster-2"] })).toStrictEqual({
      changes: true,
      replaces: ["triggers"],
    });
  });

  it("GIVEN two commands at once THEN they run concurrently (the first waits for a file only the second writes)", async () => {
    const flag = join(dir, "second-ran");
    const first = provider.run('i=0; while [ ! -e "$FLAG" ]; do i=$((i+1)); [ $i -lt 200 ] || exit 9; sleep 0.05; done; echo first', {
      FLAG: flag,
    });
    const second = provider.run('touch "$FLAG"; echo second', { FLAG: flag });
    expect(await Promise.all([first, second])).toStrictEqual(["first\n", "second\n"]);
  });
});

describe("loadScript", () => {
  it("GIVEN a file without a #!/bin/sh line THEN it is refused", () => {
    const path = join(mkdtempSync(join(tmpdir(), "script-")), "x.sh");
    writeFileSync(path, "echo hi\n");
    expect(() => loadScript(path)).toThrow("starts with #!/bin/sh");
    writeFileSync(path, "#!/bin/sh\necho hi\n");
    expect(loadScript(path)).toBe("#!/bin/sh\necho hi\n");
  });
});
