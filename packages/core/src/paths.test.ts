import { homedir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { cacheDirectory, expandHome } from "./index";

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

describe("cacheDirectory", () => {
  afterEach(() => vi.unstubAllEnvs());
  it.each<[string | undefined, string]>([
    ["/var/cache/me", "/var/cache/me/e2e-infra/build-cache/go-mod"],
    [undefined, join(homedir(), ".cache", "e2e-infra", "build-cache", "go-mod")],
    // The XDG rule: a relative XDG_CACHE_HOME is ignored.
    ["relative/cache", join(homedir(), ".cache", "e2e-infra", "build-cache", "go-mod")],
  ])("GIVEN XDG_CACHE_HOME %s THEN %s", (xdg, expected) => {
    vi.stubEnv("XDG_CACHE_HOME", xdg);
    expect(cacheDirectory("build-cache", "go-mod")).toBe(expected);
  });
});
