import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { buildContextEntries, hashBuildContext } from "./index";

// Every directory the walk lists, to show which ones it never enters.
const listed = vi.hoisted(() => [] as string[]);
vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  const readdirSync = ((path: string, options?: unknown) => {
    listed.push(path);
    return (fs.readdirSync as (path: string, options?: unknown) => unknown)(path, options);
  }) as typeof fs.readdirSync;
  return { ...fs, readdirSync, default: { ...fs, readdirSync } };
});
beforeEach(() => {
  listed.length = 0;
});

function context(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "ctx-"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

describe("buildContextEntries", () => {
  it("GIVEN a .dockerignore with an exception THEN entries follow Docker's rules, in a stable order", () => {
    const dir = context({
      Dockerfile: "FROM scratch\n",
      ".dockerignore": "*.log\nbin/\n.git\ndocs/**\n!docs/keep.md\n",
      "main.go": "package main\n",
      "app.log": "x",
      "bin/app": "binary",
      ".git/HEAD": "ref",
      "docs/a.md": "a",
      "docs/keep.md": "keep",
      "pkg/z.go": "z",
      "pkg/a.go": "a",
    });
    const paths = buildContextEntries({ context: dir }).map((entry) => entry.split(" ").slice(0, 2).join(" "));
    expect(paths).toStrictEqual([
      "f .dockerignore",
      "f Dockerfile",
      "d docs",
      "f docs/keep.md",
      "f main.go",
      "d pkg",
      "f pkg/a.go",
      "f pkg/z.go",
    ]);
  });

  it("GIVEN <Dockerfile>.dockerignore THEN it wins over the context's .dockerignore", () => {
    const dir = context({
      "docker/app.Dockerfile": "FROM scratch\n",
      "docker/app.Dockerfile.dockerignore": "secret.txt\n",
      ".dockerignore": "main.go\n",
      "main.go": "m",
      "secret.txt": "s",
    });
    const paths = buildContextEntries({ context: dir, dockerfile: "docker/app.Dockerfile" }).map((entry) => entry.split(" ")[1]);
    expect(paths).toContain("main.go");
    expect(paths).not.toContain("secret.txt");
  });

  it("GIVEN a symlink and an executable THEN the link is recorded, not followed, and the mode counts", () => {
    const dir = context({ Dockerfile: "FROM scratch\n", "run.sh": "#!/bin/sh\n" });
    symlinkSync("/etc/passwd", join(dir, "link"));
    const before = buildContextEntries({ context: dir });
    expect(before).toContain("l link /etc/passwd");
    chmodSync(join(dir, "run.sh"), 0o755);
    expect(buildContextEntries({ context: dir })).not.toStrictEqual(before);
  });
});

describe("the walk of ignored directories", () => {
  const listedDirs = (dir: string) => listed.map((path) => relative(dir, path) || ".").sort();
  const gitObjects = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`.git/objects/${i}/obj`, `${i}`]));

  it("GIVEN .git with many files and a `!` exception elsewhere WHEN walked THEN .git is never listed", () => {
    const dir = context({
      Dockerfile: "FROM scratch\n",
      ".dockerignore": ".git\nvendor/\ndocs/**\n!docs/keep.md\n",
      ...gitObjects,
      "vendor/mod/a.go": "a",
      "docs/keep.md": "keep",
      "docs/drop.md": "drop",
      "main.go": "m",
    });
    const paths = buildContextEntries({ context: dir }).map((entry) => entry.split(" ")[1]);
    expect(paths).toStrictEqual([".dockerignore", "Dockerfile", "docs", "docs/keep.md", "main.go"]);
    expect(listedDirs(dir)).toStrictEqual([".", "docs"]);
  });

  it("GIVEN exceptions under ignored directories, one with a wildcard THEN only the directories they reach are entered", () => {
    const dir = context({
      Dockerfile: "FROM scratch\n",
      ".dockerignore": ".git\nbin/\n!bin/*-arm64\ntest/\n!test/services/\n",
      ...gitObjects,
      "bin/app-arm64": "arm",
      "bin/app": "x86",
      "test/e2e/suite.go": "e2e",
      "test/services/mock/main.go": "mock",
    });
    const paths = buildContextEntries({ context: dir }).map((entry) => entry.split(" ")[1]);
    expect(paths).toStrictEqual([
      ".dockerignore",
      "Dockerfile",
      "bin/app-arm64",
      "test/services",
      "test/services/mock",
      "test/services/mock/main.go",
    ]);
    expect(listedDirs(dir)).toStrictEqual([".", "bin", "test", "test/services", "test/services/mock"]);
  });

  it("GIVEN an exception with ** THEN every ignored directory may hold a match and is entered", () => {
    const dir = context({
      Dockerfile: "FROM scratch\n",
      ".dockerignore": "vendor/\n!**/LICENSE\n",
      "vendor/m/LICENSE": "l",
      "vendor/m/a.go": "a",
    });
    const paths = buildContextEntries({ context: dir }).map((entry) => entry.split(" ")[1]);
    expect(paths).toStrictEqual([".dockerignore", "Dockerfile", "vendor/m/LICENSE"]);
  });
});

describe("declared sources", () => {
  const repository = {
    Dockerfile: "FROM scratch\nCOPY . /src\n",
    ".dockerignore": ".git\n**/*.md\n",
    "go.mod": "module example.com/app\n",
    "go.sum": "",
    "cmd/gateway/main.go": "package main\n",
    "cmd/gateway/README.md": "docs",
    "cmd/datastorage/main.go": "package main\n",
    "pkg/shared/health.go": "package shared\n",
    "migrations/001_init.sql": "CREATE TABLE t ();\n",
  };
  const gateway = ["go.mod", "go.sum", "cmd/gateway", "pkg/shared"];

  it("GIVEN sources THEN the entries are those under them, each once, honouring the ignore file", () => {
    const dir = context(repository);
    const paths = buildContextEntries({ context: dir, sources: ["./go.mod", ...gateway, "cmd/gateway/main.go", "pkg/"] }).map(
      (entry) => entry.split(" ")[1],
    );
    expect(paths).toStrictEqual(["cmd/gateway", "cmd/gateway/main.go", "go.mod", "go.sum", "pkg", "pkg/shared", "pkg/shared/health.go"]);
  });

  it("GIVEN sources WHEN a file outside them changes THEN the same hash; WHEN one under them changes THEN a new one", () => {
    const dir = context(repository);
    const base = hashBuildContext({ context: dir, sources: gateway });
    writeFileSync(join(dir, "cmd/datastorage/main.go"), "package main\n\nfunc main() {}\n");
    writeFileSync(join(dir, "migrations/002_more.sql"), "SELECT 1;\n");
    writeFileSync(join(dir, "cmd/gateway/README.md"), "ignored by the builder");
    expect(hashBuildContext({ context: dir, sources: gateway })).toBe(base);
    writeFileSync(join(dir, "pkg/shared/health.go"), "package shared\n\nfunc Ready() {}\n");
    expect(hashBuildContext({ context: dir, sources: gateway })).not.toBe(base);
  });

  it("GIVEN sources THEN the Dockerfile, the ignore file, build args, target and platform still count", () => {
    const dir = context(repository);
    const base = hashBuildContext({ context: dir, sources: gateway });
    const variants = [
      hashBuildContext({ context: dir, sources: gateway, buildArgs: { GOFLAGS: "-cover" } }),
      hashBuildContext({ context: dir, sources: gateway, target: "runtime" }),
      hashBuildContext({ context: dir, sources: gateway, platform: "linux/arm64" }),
    ];
    writeFileSync(join(dir, ".dockerignore"), ".git\n**/*.md\ntmp/\n");
    variants.push(hashBuildContext({ context: dir, sources: gateway }));
    writeFileSync(join(dir, "Dockerfile"), "FROM scratch\nCOPY go.mod /src/\n");
    variants.push(hashBuildContext({ context: dir, sources: gateway }));
    expect(new Set([base, ...variants]).size).toBe(6);
  });

  it("GIVEN a source beneath an ignored directory that no exception reaches THEN nothing of it counts, and it is not listed", () => {
    const dir = context({ ...repository, "vendor/example.com/lib/lib.go": "package lib\n", ".dockerignore": "vendor/\n!go.sum\n" });
    expect(
      buildContextEntries({ context: dir, sources: ["go.mod", "vendor/example.com/lib"] }).map((entry) => entry.split(" ")[1]),
    ).toStrictEqual(["go.mod"]);
    expect(listed.some((path) => path.includes("vendor"))).toBe(false);
  });

  it("GIVEN a source outside the context or missing THEN it says so", () => {
    const dir = context(repository);
    expect(() => hashBuildContext({ context: dir, sources: ["../elsewhere"] })).toThrow(
      'source "../elsewhere" is not a path inside the build context',
    );
    expect(() => hashBuildContext({ context: dir, sources: ["cmd/nope"] })).toThrow(
      `source "cmd/nope" does not exist in the build context ${dir}`,
    );
  });
});

describe("hashBuildContext", () => {
  const files = { Dockerfile: "FROM scratch\nCOPY . /\n", ".dockerignore": "*.tmp\n", "a.txt": "a" };

  it("GIVEN the same content in two places THEN the same hash (paths are not part of it)", () => {
    expect(hashBuildContext({ context: context(files) })).toBe(hashBuildContext({ context: context(files) }));
  });

  it("GIVEN any change the builder sees THEN a new hash; a change it does not see THEN the same", () => {
    const dir = context(files);
    const base = hashBuildContext({ context: dir });
    writeFileSync(join(dir, "scratch.tmp"), "ignored");
    expect(hashBuildContext({ context: dir })).toBe(base);
    const variants = [
      hashBuildContext({ context: dir, buildArgs: { GOFLAGS: "-cover" } }),
      hashBuildContext({ context: dir, target: "runtime" }),
      hashBuildContext({ context: dir, platform: "linux/arm64" }),
    ];
    writeFileSync(join(dir, "a.txt"), "b");
    variants.push(hashBuildContext({ context: dir }));
    writeFileSync(join(dir, "new.txt"), "");
    variants.push(hashBuildContext({ context: dir }));
    expect(new Set([base, ...variants]).size).toBe(6);
  });

  it("GIVEN build args in another order THEN the same hash", () => {
    const dir = context(files);
    expect(hashBuildContext({ context: dir, buildArgs: { A: "1", B: "2" } })).toBe(
      hashBuildContext({ context: dir, buildArgs: { B: "2", A: "1" } }),
    );
  });

  it("GIVEN a Dockerfile outside the context THEN its content counts", () => {
    const dir = context({ "a.txt": "a" });
    const outside = context({ "x.Dockerfile": "FROM scratch\n" });
    const first = hashBuildContext({ context: dir, dockerfile: join(outside, "x.Dockerfile") });
    writeFileSync(join(outside, "x.Dockerfile"), "FROM scratch\nCOPY a.txt /\n");
    expect(hashBuildContext({ context: dir, dockerfile: join(outside, "x.Dockerfile") })).not.toBe(first);
  });

  it("GIVEN no such directory THEN it says so", () => {
    expect(() => hashBuildContext({ context: "/nonexistent/ctx" })).toThrow('build context "/nonexistent/ctx" is not a directory');
  });
});
