import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

function docker(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  return spawnSync("docker", args, { encoding: "utf8", input });
}

/**
 * A Docker daemon to build with: the running one, else Debian's dockerd started here (as root)
 * with its log in `logDir`. Throws, saying why, when there is neither.
 */
export async function ensureDockerDaemon(logDir: string): Promise<string> {
  if (docker(["info", "--format", "{{.ServerVersion}}"]).status === 0) return "running";
  if (spawnSync("sh", ["-c", "command -v dockerd"]).status !== 0)
    throw new Error("no Docker daemon answers and dockerd is not installed (Debian: apt-get install docker.io)");
  mkdirSync(logDir, { recursive: true });
  const log = openSync(join(logDir, "dockerd.log"), "a");
  spawn("dockerd", [], { detached: true, stdio: ["ignore", log, log] }).unref();
  for (let i = 0; i < 120; i++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    if (docker(["info", "--format", "{{.ServerVersion}}"]).status === 0) return "started";
  }
  throw new Error(`dockerd did not answer within 30 s (log: ${join(logDir, "dockerd.log")})`);
}

/** The shared libraries an executable loads, from ldd. */
function sharedLibraries(executable: string): string[] {
  const result = spawnSync("ldd", [executable], { encoding: "utf8" });
  if (result.status !== 0) return []; // static
  return [...result.stdout.matchAll(/(\/\S+\.so[.\d]*)/g)].map((match) => match[1]!);
}

/**
 * Makes a local image named `reference` from host executables and their libraries, plus
 * `files` (path in the image to content; executable when it starts with "#!"). It stands in
 * for a base image from a registry, which cannot be pulled here: the build on top of it runs
 * for real (its RUN steps run the image's own tools).
 */
export function localBaseImage(reference: string, executables: Record<string, string>, files: Record<string, string> = {}): void {
  const root = mkdtempSync(join(tmpdir(), "e2e-base-"));
  try {
    for (const [inImage, onHost] of Object.entries(executables)) {
      for (const library of sharedLibraries(onHost)) {
        mkdirSync(join(root, dirname(library)), { recursive: true });
        copyFileSync(library, join(root, library));
      }
      mkdirSync(join(root, dirname(inImage)), { recursive: true });
      copyFileSync(onHost, join(root, inImage));
      chmodSync(join(root, inImage), 0o755);
    }
    for (const [inImage, content] of Object.entries(files)) {
      mkdirSync(join(root, dirname(inImage)), { recursive: true });
      writeFileSync(join(root, inImage), content);
      if (content.startsWith("#!")) chmodSync(join(root, inImage), 0o755);
    }
    const tar = spawnSync("tar", ["-C", root, "-cf", "-", "."], { maxBuffer: 512 * 1024 * 1024 });
    if (tar.status !== 0) throw new Error(`tar of ${root} failed`);
    const result = spawnSync("docker", ["import", "-", reference], { input: tar.stdout, encoding: "utf8" });
    if (result.status !== 0) throw new Error(`docker import ${reference} failed: ${result.stderr}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * A local image named docker.io/library/node:22-alpine, the demo's base, which cannot be pulled
 * here: BusyBox as the shell, a node user for `USER node`, and an `npm` that records its
 * arguments in /npm-calls.log and makes node_modules. The demo's build (COPY, RUN npm ci, USER)
 * runs for real on top of it.
 */
export function nodeBaseImageStandIn(): void {
  localBaseImage(
    "docker.io/library/node:22-alpine",
    { "/bin/busybox": "/bin/busybox", "/bin/sh": "/bin/busybox" },
    {
      "/usr/local/bin/npm": '#!/bin/sh\necho "npm $*" >> /npm-calls.log\n/bin/busybox mkdir -p node_modules\n',
      "/etc/passwd": "root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000:node:/home/node:/bin/sh\n",
      "/etc/group": "root:x:0:\nnode:x:1000:\n",
    },
  );
}
