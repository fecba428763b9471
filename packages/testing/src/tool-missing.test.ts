import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { hermeticPath, notRunHere, toolMissing } from "./index";

const path = process.env["PATH"];
afterEach(() => {
  process.env["PATH"] = path;
  vi.restoreAllMocks();
});

describe("toolMissing", () => {
  it("GIVEN a PATH without helm THEN why the tests that need it cannot run, with how to get it", () => {
    process.env["PATH"] = hermeticPath({ utilities: ["sh"] });
    expect(toolMissing("helm")).toBe(
      "helm is not on PATH; install helm 3.14+ (https://helm.sh/docs/intro/install/), or build the pinned one with " +
        "`bash tools/engine/build.sh --only helm` and put its directory on PATH",
    );
    expect(toolMissing("opa")).toMatch(/^opa is not on PATH; build the pinned one with `bash tools\/engine\/build.sh --only opa`/);
  });

  it("GIVEN a helm on PATH, even one that fails THEN undefined: the tests run (and fail on their own if it is broken)", () => {
    const dir = mkdtempSync(join(tmpdir(), "tool-missing-"));
    writeFileSync(join(dir, "helm"), "#!/bin/sh\nexit 3\n");
    chmodSync(join(dir, "helm"), 0o755);
    process.env["PATH"] = hermeticPath({ standIns: [dir], utilities: ["sh"] });
    expect(toolMissing("helm")).toBeUndefined();
  });
});

describe("notRunHere", () => {
  it("GIVEN a reason THEN one line saying what does not run and why, and true; GIVEN none THEN nothing, and false", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    expect(notRunHere("renderChart with the real helm", undefined)).toBe(false);
    expect(warn).not.toHaveBeenCalled();
    expect(notRunHere("renderChart with the real helm", "helm is not on PATH; ...")).toBe(true);
    expect(warn.mock.calls).toStrictEqual([["renderChart with the real helm: not run: helm is not on PATH; ..."]]);
  });
});
