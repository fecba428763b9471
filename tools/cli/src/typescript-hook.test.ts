import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// bin/typescript-hook.cjs, as the bin registers it, in a separate process: each file's output is
// cached by its content, a changed file is transpiled again, and what is old goes.

const hook = join(__dirname, "..", "bin", "typescript-hook.cjs");
const tsconfig = join(__dirname, "..", "tsconfig.json");

/** Loads `file` through the hook with E2E_CLI_CACHE=`cache`: what it exports as `value`, or the error. */
function load(file: string, cache: string) {
  const script = `require(${JSON.stringify(hook)}).register(${JSON.stringify(tsconfig)}); console.log(JSON.stringify(require(${JSON.stringify(file)}).value));`;
  const result = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", env: { ...process.env, E2E_CLI_CACHE: cache } });
  return { status: result.status, value: result.status === 0 ? (JSON.parse(result.stdout) as unknown) : undefined, stderr: result.stderr };
}

const entries = (cache: string) => (existsSync(join(cache, "typescript")) ? readdirSync(join(cache, "typescript")).sort() : []);

describe("the CLI's TypeScript hook", () => {
  it("GIVEN a module WHEN loaded twice THEN transpiled once, the second time from the cache; WHEN it changes THEN transpiled again; a copy elsewhere shares the entry", () => {
    const dir = mkdtempSync(join(tmpdir(), "ts-hook-"));
    const cache = join(dir, "cache");
    const file = join(dir, "module.ts");
    writeFileSync(file, 'enum Kind { A = "a" }\nexport const value: string[] = [Kind.A, "one"];\n');
    expect(load(file, cache)).toStrictEqual({ status: 0, value: ["a", "one"], stderr: "" });
    const [entry] = entries(cache);
    expect(entries(cache)).toHaveLength(1);
    const written = statSync(join(cache, "typescript", entry!)).mtimeMs;
    expect(load(file, cache).value).toStrictEqual(["a", "one"]);
    expect(statSync(join(cache, "typescript", entry!)).mtimeMs).toBe(written);
    writeFileSync(file, 'export const value: string[] = ["two"];\n');
    expect(load(file, cache).value).toStrictEqual(["two"]);
    const [added] = entries(cache).filter((name) => name !== entry);
    expect(readFileSync(join(cache, "typescript", added!), "utf8")).toContain('"two"');
    // The same file in another directory (a clone of the checkout) shares the entry.
    const clone = mkdtempSync(join(tmpdir(), "ts-hook-clone-"));
    writeFileSync(join(clone, "module.ts"), readFileSync(file, "utf8"));
    expect(load(join(clone, "module.ts"), cache).value).toStrictEqual(["two"]);
    expect(entries(cache)).toHaveLength(2);
  });

  it("GIVEN cache files older than a week and no pruning today THEN a run removes them; a recent one stays", () => {
    const dir = mkdtempSync(join(tmpdir(), "ts-hook-"));
    const cache = join(dir, "cache");
    mkdirSync(join(cache, "typescript"), { recursive: true });
    mkdirSync(join(cache, "v8", "v22"), { recursive: true });
    const weekAgo = (Date.now() - 8 * 24 * 60 * 60 * 1000) / 1000;
    for (const old of [join(cache, "typescript", "old.js"), join(cache, "v8", "v22", "old")]) {
      writeFileSync(old, "");
      utimesSync(old, weekAgo, weekAgo);
    }
    writeFileSync(join(cache, "typescript", "recent.js"), "");
    const file = join(dir, "module.ts");
    writeFileSync(file, "export const value: number = 3;\n");
    expect(load(file, cache).value).toBe(3);
    expect(existsSync(join(cache, "typescript", "old.js"))).toBe(false);
    expect(existsSync(join(cache, "v8", "v22", "old"))).toBe(false);
    expect(existsSync(join(cache, "typescript", "recent.js"))).toBe(true);
    expect(existsSync(join(cache, ".pruned"))).toBe(true);
  });

  it("GIVEN E2E_CLI_CACHE=off THEN it transpiles and writes nothing", () => {
    const dir = mkdtempSync(join(tmpdir(), "ts-hook-"));
    const file = join(dir, "module.ts");
    writeFileSync(file, "export const value: number = 1;\n");
    const before = readdirSync(dir);
    expect(load(file, "off")).toStrictEqual({ status: 0, value: 1, stderr: "" });
    expect(readdirSync(dir)).toStrictEqual(before);
    expect(existsSync(join(process.cwd(), "off"))).toBe(false);
  });

  it("GIVEN a file that is not TypeScript THEN an error naming it, and nothing cached", () => {
    const dir = mkdtempSync(join(tmpdir(), "ts-hook-"));
    const cache = join(dir, "cache");
    const file = join(dir, "broken.ts");
    writeFileSync(file, "export const value = ;\n");
    const result = load(file, cache);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`could not transpile ${file}:`);
    expect(result.stderr).toMatch(/error TS1109: Expression expected/);
    expect(entries(cache)).toStrictEqual([]);
  });
});
