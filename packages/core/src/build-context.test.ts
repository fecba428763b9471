import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildContextEntries, hashBuildContext } from "./index";

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
