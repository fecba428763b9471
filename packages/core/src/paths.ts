import { homedir } from "node:os";
import { join } from "node:path";

/** A path from config with "~" or "~/..." meaning the home directory, as a shell reads it; others unchanged. */
export function expandHome(path: string): string {
  return path === "~" || path.startsWith("~/") ? join(homedir(), path.slice(1)) : path;
}
