import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Throws unless `<packageDir>/README.md` shows `<packageDir>/src/example.ts` verbatim, so the
 * README's example is the one the tests run.
 */
export function assertReadmeShowsExample(packageDir: string): void {
  const example = readFileSync(join(packageDir, "src", "example.ts"), "utf8");
  const readme = readFileSync(join(packageDir, "README.md"), "utf8");
  if (!readme.includes("```ts\n" + example + "```")) {
    throw new Error(`${join(packageDir, "README.md")} does not show src/example.ts verbatim in a ts block; copy the file into the README`);
  }
}
