import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hermeticPath, MACHINE_TOOLS, SCRIPT_UTILITIES } from "./index";

/** A directory with an executable for each of `tools` that prints "decoy <tool> reached" and exits 99. */
function decoys(tools: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "decoys-"));
  for (const tool of tools) {
    writeFileSync(join(dir, tool), `#!/bin/sh\necho "decoy ${tool} reached" >&2\nexit 99\n`);
    chmodSync(join(dir, tool), 0o755);
  }
  return dir;
}

describe("hermeticPath", () => {
  it("GIVEN a stand-in directory THEN the PATH is it, then one directory of exactly node and the script utilities", () => {
    const standIn = decoys(["kind"]);
    const [first, utilities, ...rest] = hermeticPath({ standIns: [standIn] }).split(":");
    expect(first).toBe(standIn);
    expect(rest).toStrictEqual([]);
    expect(readdirSync(utilities!).sort()).toStrictEqual(["node", ...SCRIPT_UTILITIES].sort());
  });

  it("GIVEN a stand-in for podman WHEN a script looks for the machine tools on a hermetic PATH THEN it finds the stand-in and none of this machine's", () => {
    const standIn = decoys(["podman"]);
    const script = MACHINE_TOOLS.map((tool) => `command -v ${tool} || echo "${tool}: absent"`).join("\n");
    const result = spawnSync("/bin/sh", ["-c", script], {
      encoding: "utf8",
      env: { PATH: hermeticPath({ standIns: [standIn] }) },
    });
    expect(result.stdout).toBe(
      MACHINE_TOOLS.map((tool) => (tool === "podman" ? join(standIn, "podman") : `${tool}: absent`)).join("\n") + "\n",
    );
  });

  it("GIVEN only some utilities THEN only they and node are there; the same set twice is the same directory", () => {
    const path = hermeticPath({ utilities: ["cat", "sh"] });
    expect(readdirSync(path).sort()).toStrictEqual(["cat", "node", "sh"]);
    expect(hermeticPath({ utilities: ["sh", "cat"] })).toBe(path);
    expect(readdirSync(hermeticPath({ utilities: [] }))).toStrictEqual(["node"]);
  });

  it("GIVEN a machine tool, or a utility the system does not have, as a utility THEN it throws naming it", () => {
    expect(() => hermeticPath({ utilities: ["sh", "kubectl"] })).toThrow(
      /utilities include "kubectl"; expected system utilities .*: stand it in instead/,
    );
    expect(() => hermeticPath({ utilities: ["no-such-utility-e2e"] })).toThrow(
      /utility "no-such-utility-e2e" is not installed \(looked in \/usr\/bin, \/bin\)/,
    );
  });
});
