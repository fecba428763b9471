import { homedir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expandHome } from "./index";

describe("expandHome", () => {
  it.each<[string, string]>([
    ["~", homedir()],
    ["~/.kube/gateway-e2e-config", join(homedir(), ".kube", "gateway-e2e-config")],
    ["/etc/x", "/etc/x"],
    ["relative/x", "relative/x"],
    ["~other/x", "~other/x"],
  ])("GIVEN %s THEN %s", (path, expanded) => {
    expect(expandHome(path)).toBe(expanded);
  });
});
