import { spawnSync } from "node:child_process";
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { STAND_IN_CHECKOUT } from "./generator";

// The root README's "Add a stack for your service", run as written, from a fresh clone of this
// repository (with the working tree's uncommitted changes copied over it, so this tests the
// working tree): `npm ci`, then every command of the section's sh blocks in their order, with
// `npm ci` again right after the generator, as CI does on the commit that adds the stack. The
// commands are read from the README, so the README and this test cannot drift apart.

const NAME = "mailer";
const SECTION = "## Add a stack for your service";
const NPM_CI = "npm ci --prefer-offline --no-audit --no-fund";

const here = __dirname;
const git = (cwd: string, ...args: string[]) => spawnSync("git", ["-C", cwd, ...args], { encoding: "utf8" });
const toplevel = git(here, "rev-parse", "--show-toplevel");
const root = toplevel.status === 0 ? toplevel.stdout.trim() : "";
const npmVersion = spawnSync("npm", ["--version"], { encoding: "utf8" });
const cannotRun =
  toplevel.status !== 0
    ? `no git repository around ${here} (${toplevel.error?.message ?? toplevel.stderr.trim()})`
    : npmVersion.status !== 0
      ? `no npm on PATH (${npmVersion.error?.message ?? npmVersion.stderr.trim()})`
      : undefined;
if (cannotRun !== undefined) console.log(`journey: CANNOT RUN HERE, the README journey test is skipped: ${cannotRun}`);

/** The commands of the README section's sh blocks, in order: one per line (continuations joined), comments and blank lines dropped. */
function journeyCommands(readme: string, name: string): string[] {
  const start = readme.indexOf(`\n${SECTION}\n`);
  if (start < 0) throw new Error(`README.md has no "${SECTION}" section`);
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const commands: string[] = [];
  for (const block of section.matchAll(/^([ \t]*)```sh\n([\s\S]*?)^[ \t]*```$/gm)) {
    const lines = block[2]!
      .replace(/\\\n[ \t]*/g, " ")
      .split("\n")
      .map((line) => line.trim());
    commands.push(...lines.filter((line) => line !== "" && !line.startsWith("#")).map((line) => line.replaceAll("<name>", name)));
  }
  return commands;
}

/** The environment of a developer's shell in the clone: no CI, nothing of the npm, Nx or vitest process running this test. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(CI|INIT_CWD|NODE_ENV|TEST|FORCE_COLOR)$/i.test(key) || /^(NX_|VITEST)/i.test(key)) continue;
    if (/^npm_/i.test(key) && !/^npm_config_(cache|registry|userconfig)$/i.test(key)) continue;
    env[key] = value;
  }
  // The same Node as this test; not this workspace's node_modules/.bin that `npm test` puts first.
  const path = (process.env["PATH"] ?? "")
    .split(":")
    .filter((dir) => !(dir.startsWith(`${root}/`) && dir.endsWith("node_modules/.bin") && !dir.includes("/.tools/")));
  env["PATH"] = [dirname(process.execPath), ...path].join(":");
  return { ...env, NX_DAEMON: "false", NX_NO_CLOUD: "true", NX_TUI: "false", NO_COLOR: "1" };
}

const plain = (text: string) => text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, "");
let workdir = "";
let passed = false;
const timings: Array<[string, number]> = [];

afterAll(() => {
  if (workdir !== "" && passed) {
    const started = Date.now();
    rmSync(workdir, { recursive: true, force: true });
    timings.push([`rm -r ${workdir} (its node_modules)`, (Date.now() - started) / 1000]);
  }
  if (timings.length > 0)
    console.log(
      `journey: ${timings.reduce((sum, [, s]) => sum + s, 0).toFixed(0)} s in all\n` +
        timings.map(([command, s]) => `  ${s.toFixed(1).padStart(6)} s  ${command}`).join("\n"),
    );
  if (workdir !== "" && !passed) console.log(`journey: the clone is kept for a look: ${workdir}/repo`);
}, 300_000);

describe(`README "${SECTION.slice(3)}", from a fresh clone`, () => {
  it.skipIf(cannotRun !== undefined)(
    "GIVEN a clean clone WHEN npm ci, the generator, npm ci, then the README's commands in its order THEN all pass and the golden graph is recorded",
    () => {
      const commands = journeyCommands(readFileSync(join(root, "README.md"), "utf8"), NAME);
      const generate = commands.findIndex((command) => command.startsWith(`npx nx g @e2e-infra/tools:service-stack ${NAME}`));
      expect(generate, `the section's commands: ${JSON.stringify(commands)}`).toBe(0);

      workdir = mkdtempSync(join(tmpdir(), "journey-"));
      const clone = join(workdir, "repo");
      const cloned = spawnSync("git", ["clone", "--quiet", root, clone], { encoding: "utf8" });
      expect(cloned.status, cloned.stderr).toBe(0);
      // The working tree's changes over HEAD: changed and deleted tracked files, and untracked ones.
      const changed = [
        ...git(root, "diff", "HEAD", "--name-only", "--no-renames", "-z").stdout.split("\0"),
        ...git(root, "ls-files", "--others", "--exclude-standard", "-z").stdout.split("\0"),
      ].filter((path) => path !== "");
      for (const path of changed) {
        const source = join(root, path);
        const target = join(clone, path);
        if (lstatSync(source, { throwIfNoEntry: false })?.isSymbolicLink() === true) {
          mkdirSync(dirname(target), { recursive: true });
          rmSync(target, { force: true });
          symlinkSync(readlinkSync(source), target);
        } else if (existsSync(source)) {
          mkdirSync(dirname(target), { recursive: true });
          cpSync(source, target);
        } else rmSync(target, { force: true });
      }
      console.log(`journey: a clone of ${root} at HEAD with ${changed.length} uncommitted file(s) of its working tree, in ${clone}`);

      const env = cleanEnv();
      const run = (command: string) => {
        const started = Date.now();
        const result = spawnSync("bash", ["-c", command], { cwd: clone, env, encoding: "utf8", timeout: 900_000 });
        timings.push([command, (Date.now() - started) / 1000]);
        const output = plain(`${result.stdout}${result.stderr}`);
        expect(result.status, `\`${command}\` in ${clone} exited with ${result.status ?? result.signal}:\n${output.slice(-6000)}`).toBe(0);
        return output;
      };
      const results = () =>
        JSON.parse(readFileSync(join(clone, "stacks", NAME, ".vitest", "results.json"), "utf8")) as {
          numTotalTests: number;
          numPassedTests: number;
          testResults: Array<{ assertionResults: Array<{ title: string; status: string }> }>;
        };
      const golden = join(clone, "stacks", NAME, "test", `${NAME}-e2e.graph.json`);

      run(NPM_CI);
      let testsAsGenerated = 0;
      let graph = "";
      for (const [index, command] of commands.entries()) {
        const output = run(command);
        if (index === generate) {
          // What the stack's author commits: the stack, the lockfile listing it, the stand-in Dockerfile.
          const status = git(clone, "status", "--porcelain", "--untracked-files=all").stdout;
          expect(status).toMatch(/^ M package-lock\.json$/m);
          expect(status).toMatch(new RegExp(`^\\?\\? stacks/${NAME}/package\\.json$`, "m"));
          expect(status).toContain(`?? ${STAND_IN_CHECKOUT}/docker/${NAME}.Dockerfile`);
          expect(JSON.parse(readFileSync(join(clone, "package-lock.json"), "utf8")).packages[`stacks/${NAME}`]).toMatchObject({
            name: `@e2e-infra/stack-${NAME}`,
          });
          // CI's clean install on that commit.
          run(NPM_CI);
        } else if (/^npx nx test @e2e-infra\/stack-/.test(command)) {
          const { numTotalTests, numPassedTests } = results();
          expect(numPassedTests).toBe(numTotalTests);
          if (testsAsGenerated === 0) {
            testsAsGenerated = numTotalTests;
            expect(existsSync(golden), "no golden file before it is recorded").toBe(false);
          }
        } else if (/^npx nx run @e2e-infra\/stack-[a-z0-9-]+:graph\b/.test(command)) {
          graph = output;
        }
      }

      // The golden file is recorded and the last test run compared the graph with it.
      expect(existsSync(golden), `${golden} was not written`).toBe(true);
      expect(readFileSync(join(clone, "stacks", NAME, "test", "stack.test.ts"), "utf8")).not.toContain("golden: false");
      const last = results();
      expect(last.numTotalTests).toBe(testsAsGenerated + 1);
      expect(
        last.testResults.flatMap((file) => file.assertionResults).find((test) => test.title.endsWith("its graph is the golden one"))
          ?.status,
      ).toBe("passed");
      // The graph reviewed is the one recorded.
      const reviewed = JSON.parse(graph.slice(graph.indexOf("{\n"), graph.lastIndexOf("\n}") + 2)) as {
        resources: Array<{ name: string }>;
      };
      const names = new Set(reviewed.resources.map((resource) => resource.name));
      const recorded = Object.keys(JSON.parse(readFileSync(golden, "utf8")) as Record<string, string[]>);
      expect(recorded.length).toBeGreaterThan(10);
      expect(recorded.filter((name) => !names.has(name))).toStrictEqual([]);
      expect(recorded).toContain(`${NAME}-image-load`);

      // And what `npm test` runs besides the tests: the new stack typechecks and lints.
      run(`npx nx run-many -t typecheck lint -p @e2e-infra/stack-${NAME}`);
      passed = true;
    },
    2_400_000,
  );
});
