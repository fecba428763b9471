import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ENGINE_DIR, engineBin, engineUser, pulumiStack } from "../src/engine";

// The built toolchain: each binary reports the version build.sh pinned, and the CLI takes its
// plugins from PATH (ambient), never from a download.
const bin = engineBin();
const version = (binary: string, ...args: string[]) => {
  const result = spawnSync(join(bin, binary), args, { encoding: "utf8" });
  return `${result.stdout}${result.stderr}`.trim();
};

describe("the engine toolchain", () => {
  it("GIVEN the built binaries THEN each reports its pinned version", () => {
    expect(version("pulumi", "version")).toBe("v3.274.1");
    expect(version("kube-apiserver", "--version")).toBe("Kubernetes v1.36.3");
    expect(version("etcd", "--version")).toContain("etcd Version: 3.6.8");
    expect(version("kubectl", "version", "--client")).toContain("Client Version: v1.36.3");
    expect(version("kwokctl", "--version")).toContain("0.8.0");
  });

  it("GIVEN a stack WHEN previewed THEN the CLI runs the dynamic provider from PATH and installs no plugin", async () => {
    const user = engineUser("toolchain");
    const dir = join(ENGINE_DIR, "test", "fixtures", "host-command");
    await pulumiStack(user, { operation: "preview", dir, stack: "dev", config: { marker: join(user.home, "marker") } });
    const log = readFileSync(user.log, "utf8");
    expect(log).toContain(`using pulumi-resource-pulumi-nodejs from $PATH at ${join(ENGINE_DIR, "path", "pulumi-resource-pulumi-nodejs")}`);
    const plugins = spawnSync(join(bin, "pulumi"), ["plugin", "ls"], { encoding: "utf8", env: user.env });
    expect(plugins.status).toBe(0);
    // Nothing installed into the plugin cache: every plugin came from PATH.
    expect(plugins.stdout).not.toMatch(/kubernetes\s+resource/);
  });
});
