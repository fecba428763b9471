import { capture } from "@e2e-infra/testing";
import * as pulumi from "@pulumi/pulumi";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hostCommand, loadScript } from "./index";

describe("hostCommand", () => {
  it("GIVEN values WHEN constructed THEN they go through the environment, undefined ones are left out, stdout is not logged", async () => {
    const { graph } = await capture(() => {
      hostCommand(
        "cmd",
        { create: '#!/bin/sh\necho "$NAME"\n', environment: { NAME: "x", UNSET: undefined, FROM_OUTPUT: pulumi.output("y") } },
        {},
      );
    });
    const cmd = graph.one({ name: "cmd" });
    expect(cmd.inputs["environment"]).toStrictEqual({ NAME: "x", FROM_OUTPUT: "y" });
    expect(cmd.inputs["logging"]).toBe("stderr");
    expect(cmd.inputs["addPreviousOutputInEnv"]).toBe(false);
    expect(cmd.options.additionalSecretOutputs).toStrictEqual([]);
  });

  it("GIVEN secretStdout WHEN constructed THEN stdout is a secret output and nothing is logged", async () => {
    const { graph } = await capture(() => {
      hostCommand("cmd", { create: "#!/bin/sh\n", environment: {}, secretStdout: true }, {});
    });
    const cmd = graph.one({ name: "cmd" });
    expect(cmd.inputs["logging"]).toBe("none");
    expect(cmd.options.additionalSecretOutputs).toStrictEqual(["stdout"]);
  });

  it("GIVEN a lower-case environment name THEN it throws before registering", () => {
    expect(() => hostCommand("cmd", { create: "", environment: { name: "x" } }, {})).toThrow(/environment name "name" is not \[A-Z_\]/);
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
