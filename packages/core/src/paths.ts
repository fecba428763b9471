import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";

/** A path from config with "~" or "~/..." meaning the home directory, as a shell reads it; others unchanged. */
export function expandHome(path: string): string {
  return path === "~" || path.startsWith("~/") ? join(homedir(), path.slice(1)) : path;
}

/**
 * A directory of this project's in the user's cache: `$XDG_CACHE_HOME/e2e-infra/<parts>` when
 * XDG_CACHE_HOME is an absolute path (the XDG rule: a relative one is ignored), else
 * `~/.cache/e2e-infra/<parts>`.
 */
export function cacheDirectory(...parts: string[]): string {
  const xdg = process.env["XDG_CACHE_HOME"];
  return join(xdg !== undefined && isAbsolute(xdg) ? xdg : join(homedir(), ".cache"), "e2e-infra", ...parts);
}
