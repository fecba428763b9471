import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Throws unless `<packageDir>/README.md` shows `<packageDir>/<file>` (default src/example.ts)
 * verbatim, so the README's example is the one the tests run.
 */
export function assertReadmeShowsExample(packageDir: string, file = "src/example.ts"): void {
  const example = readFileSync(join(packageDir, file), "utf8");
  const readme = readFileSync(join(packageDir, "README.md"), "utf8");
  if (!readme.includes("```ts\n" + example + "```")) {
    throw new Error(`${join(packageDir, "README.md")} does not show ${file} verbatim in a ts block; copy the file into the README`);
  }
}
