import { notRunHere, toolMissing } from "@e2e-infra/testing";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// The stack's classification policy under a real OPA (`opa test`): the cases of test/policy_test.rego.
const dir = join(__dirname, "..");
const noOpa = notRunHere("signalprocessing-e2e's Rego policy (opa test)", toolMissing("opa"));

describe("signalprocessing-e2e's Rego policy", () => {
  it.skipIf(noOpa)("GIVEN OPA WHEN opa test runs the policy's cases THEN every case passes", () => {
    const result = spawnSync("opa", ["test", "-v", "policies/policy.rego", "test/policy_test.rego"], {
      cwd: dir,
      encoding: "utf8",
    });
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toMatch(/PASS: 8\/8/);
  });
});
