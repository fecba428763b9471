import { HOST_COMMAND_TYPE } from "@e2e-infra/core";
import { readFootprints, type StackFootprint } from "@e2e-infra/stack-kit";
import { spawnSync } from "node:child_process";
import { statfsSync } from "node:fs";
import { createServer } from "node:net";
import { homedir } from "node:os";
import { readStackFiles } from "@e2e-infra/testing";
import type { Io } from "./main";
import { withProgress } from "./progress";
import { captured, STACKS_DIR, type StackRef } from "./stacks";

/** One line of the report: a problem (the stack cannot come up), a warning, or fine. */
export interface Check {
  status: "ok" | "warn" | "FAIL";
  what: string;
  /** The command or step that fixes it. */
  fix?: string;
}

/** Free space below this in the home directory (images, kind's node image, state) is a problem. */
export const MIN_FREE_GIB = 5;

/** The oldest Helm the stacks render the service repository's chart with (`helm template`). */
export const MIN_HELM: readonly [number, number] = [3, 14];
/** Node 22 LTS from 22.12 (the project's runtime). */
const MIN_NODE: readonly [number, number] = [22, 12];
/** kind 0.32: the node image the suites pin at HEAD (kindest/node v1.36.1) needs it. */
const MIN_KIND: readonly [number, number] = [0, 32];

/** Whether the major.minor version `pattern` reads at the start of `line` is at least `min`; undefined when it reads none. */
function atLeast(line: string, pattern: RegExp, min: readonly [number, number]): boolean | undefined {
  const match = pattern.exec(line);
  if (match === null) return undefined;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major > min[0] || (major === min[0] && minor >= min[1]);
}

/** `tool args...`: its first output line, or undefined when it is not installed or fails. */
function versionOf(tool: string, args: readonly string[]): { ok: boolean; line: string } | undefined {
  const result = spawnSync(tool, [...args], { encoding: "utf8", timeout: 20_000 });
  if (result.error !== undefined && "code" in result.error && result.error.code === "ENOENT") return undefined;
  const text = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim();
  return { ok: result.status === 0, line: text.split("\n")[0] ?? "" };
}

/** Whether something listens on the host port (kind maps ports on all addresses). */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "EADDRINUSE" || error.code === "EACCES"));
    server.listen({ port, host: "0.0.0.0", exclusive: true }, () => server.close(() => resolve(false)));
  });
}

function tools(containerRuntime: string | undefined, needsCurl: boolean, needsKubectl: boolean): Check[] {
  const checks: Check[] = [];
  checks.push(
    atLeast(process.versions.node, /^(\d+)\.(\d+)/, MIN_NODE) === true
      ? { status: "ok", what: `node v${process.versions.node}` }
      : {
          status: "FAIL",
          what: `node v${process.versions.node}: ${MIN_NODE.join(".")} or newer is needed`,
          fix: "install Node.js 22 LTS (https://nodejs.org)",
        },
  );
  const pulumi = versionOf("pulumi", ["version"]);
  checks.push(
    pulumi === undefined
      ? { status: "FAIL", what: "pulumi: not installed (looked for it on PATH)", fix: "curl -fsSL https://get.pulumi.com | sh" }
      : { status: "ok", what: `pulumi ${pulumi.line}` },
  );
  const kind = versionOf("kind", ["version"]);
  checks.push(
    kind === undefined
      ? {
          status: "FAIL",
          what: "kind: not installed (looked for it on PATH)",
          fix: "go install sigs.k8s.io/kind@v0.32.0 (or see https://kind.sigs.k8s.io/docs/user/quick-start/#installation)",
        }
      : kindVersionCheck(kind.line),
  );
  checks.push(helmCheck());
  const runtimes = containerRuntime === undefined ? ["docker", "podman"] : [containerRuntime];
  const found = runtimes.map((tool) => ({ tool, version: versionOf(tool, ["--version"]) })).filter((entry) => entry.version !== undefined);
  if (found.length === 0) {
    checks.push({
      status: "FAIL",
      what: `${runtimes.join(" or ")}: not installed (looked for it on PATH)`,
      fix: "install Docker (https://docs.docker.com/engine/install/) or Podman (https://podman.io/docs/installation)",
    });
  } else {
    const answering = found.find((entry) => versionOf(entry.tool, ["info", "--format", "{{json .}}"])?.ok === true);
    checks.push(
      answering !== undefined
        ? { status: "ok", what: `${answering.version!.line}; its daemon answers` }
        : {
            status: "FAIL",
            what: `${found.map((entry) => entry.version!.line).join("; ")}: \`${found[0]!.tool} info\` fails: its daemon does not answer`,
            fix:
              found[0]!.tool === "docker"
                ? "sudo systemctl start docker (or start Docker Desktop)"
                : "podman machine start (macOS, Windows)",
          },
    );
  }
  const kubectl = versionOf("kubectl", ["version", "--client"]);
  checks.push(
    kubectl === undefined
      ? {
          status: needsKubectl ? "FAIL" : "warn",
          what: needsKubectl
            ? "kubectl: not installed (the stack seeds objects with it)"
            : "kubectl: not installed (e2e-infra up uses it to show why a workload did not become ready)",
          fix: "see https://kubernetes.io/docs/tasks/tools/",
        }
      : { status: "ok", what: `kubectl: ${kubectl.line}` },
  );
  if (needsCurl) {
    const curl = versionOf("curl", ["--version"]);
    checks.push(
      curl === undefined
        ? {
            status: "FAIL",
            what: "curl: not installed (the stack posts its test workflows with it)",
            fix: "sudo apt-get install curl (or your system's package manager)",
          }
        : { status: "ok", what: curl.line.split(" ").slice(0, 2).join(" ") },
    );
  }
  return checks;
}

/**
 * kind at least MIN_KIND (the service repository checks it too, kind_cluster_helpers.go). A
 * version it cannot read is shown, not failed.
 */
function kindVersionCheck(line: string): Check {
  if (atLeast(line, /^kind v?(\d+)\.(\d+)/, MIN_KIND) !== false) return { status: "ok", what: line };
  return {
    status: "FAIL",
    what: `${line}: kind ${MIN_KIND.join(".")} or newer is needed (the suites' pinned node image, kindest/node v1.36.1)`,
    fix: "go install sigs.k8s.io/kind@v0.32.0 (or see https://kind.sigs.k8s.io/docs/user/quick-start/#installation)",
  };
}

/** helm on PATH, at least MIN_HELM: `helm version --short` prints e.g. `v3.18.6+g4bd9f12`. */
function helmCheck(): Check {
  const fix = `install helm ${MIN_HELM.join(".")}+ (https://helm.sh/docs/intro/install/) or \`bash tools/engine/build.sh --only helm\` and put its directory on PATH`;
  const helm = versionOf("helm", ["version", "--short"]);
  if (helm === undefined) return { status: "FAIL", what: "helm: not installed (looked for it on PATH)", fix };
  return helm.ok && atLeast(helm.line, /^v?(\d+)\.(\d+)/, MIN_HELM) === true
    ? { status: "ok", what: `helm ${helm.line}` }
    : {
        status: "FAIL",
        what: `helm ${helm.line || "(no version printed)"}: ${MIN_HELM.join(".")} or newer is needed (\`helm template\` renders the service repository's chart)`,
        fix,
      };
}

async function ports(footprint: StackFootprint, clusterUp: boolean): Promise<Check[]> {
  const checks: Check[] = [];
  for (const [key, port] of Object.entries(footprint.hostPorts)) {
    if (!(await portInUse(port))) continue;
    checks.push(
      clusterUp
        ? {
            status: "ok",
            what: `host port ${port} (${key}) is in use: by ${footprint.stack}'s cluster ${footprint.clusterName}, which is up`,
          }
        : {
            status: "FAIL",
            what: `host port ${port} (${key}) is in use by another program`,
            fix: `see who holds it: ss -ltnp 'sport = :${port}' (or lsof -i :${port}); or choose another: pulumi config set ${key} <port> -s ${footprint.stack}`,
          },
    );
  }
  if (checks.length === 0 && Object.keys(footprint.hostPorts).length > 0)
    checks.push({ status: "ok", what: `host ports free: ${Object.values(footprint.hostPorts).join(", ")}` });
  return checks;
}

function disk(): Check {
  const stats = statfsSync(homedir());
  const gib = (stats.bavail * stats.bsize) / 2 ** 30;
  return gib >= MIN_FREE_GIB
    ? { status: "ok", what: `disk: ${gib.toFixed(1)} GiB free in ${homedir()}` }
    : {
        status: "FAIL",
        what: `disk: ${gib.toFixed(1)} GiB free in ${homedir()}; at least ${MIN_FREE_GIB} GiB are needed (node image, service images, archives)`,
        fix: "docker system prune (or podman system prune), and remove old kind clusters: kind get clusters",
      };
}

/** The stack's program under mocks with its config: every check its preview makes, and its host commands' scripts. */
async function preview(ref: StackRef, entries: readonly string[], io: Io): Promise<{ check: Check; scripts: string[] }> {
  try {
    const graph = await withProgress(io.stderr, `doctor: running ${ref.stack}'s program under Pulumi's mocks`, () =>
      captured(ref, entries),
    );
    const scripts = graph
      .find({ type: HOST_COMMAND_TYPE })
      .flatMap((command) => ["create", "update", "delete", "check"].map((script) => command.inputs[script]))
      .filter((script): script is string => typeof script === "string");
    return {
      check: { status: "ok", what: `config and checkout: the preview's checks pass (${graph.resources.length} resources)` },
      scripts,
    };
  } catch (error) {
    const message = (error as Error).message;
    return {
      scripts: [],
      check: {
        status: "FAIL",
        what: `config and checkout: ${message}`,
        fix: message.includes(":serviceRepository ")
          ? `point it at a checkout of the service repository: e2e-infra up ${ref.stack} --config serviceRepository=/path/to/checkout (or export E2E_SERVICE_REPOSITORY)`
          : `set the config key it names: --config KEY=VALUE, or pulumi config set KEY VALUE -s ${ref.stack} in ${ref.dir}`,
      },
    };
  }
}

/** `e2e-infra doctor [<stack>]`: the checks, printed; exit code 1 when there is a problem. */
export async function doctor(ref: StackRef | undefined, entries: readonly string[], io: Io): Promise<number> {
  const checks: Check[] = [];
  let runtime: string | undefined;
  let footprint: StackFootprint | undefined;
  if (ref !== undefined) {
    const files = readStackFiles(ref.dir, ref.stack);
    const configured = files.config[`${files.project}:containerRuntime`];
    runtime = typeof configured === "string" ? configured : undefined;
    footprint = readFootprints(STACKS_DIR).find((candidate) => candidate.stack === ref.stack && candidate.project === files.project);
  }
  // With a stack, its program first: the tools its host scripts need are then known.
  const previewed = ref === undefined ? undefined : await preview(ref, entries, io);
  // Without a stack, or when its program failed (what it runs is unknown), curl is checked too.
  const known = previewed !== undefined && previewed.check.status === "ok";
  const needs = (tool: string) => known && previewed.scripts.some((script) => script.includes(`command -v ${tool} `));
  checks.push(...tools(runtime, !known || needs("curl"), needs("kubectl")));
  if (footprint !== undefined) {
    checks.push(...(await ports(footprint, kindClusters().includes(footprint.clusterName))));
  }
  checks.push(disk());
  if (previewed !== undefined) checks.push(previewed.check);
  const lines = [`e2e-infra doctor${ref === undefined ? "" : ` (${ref.stack})`}`];
  for (const check of checks)
    lines.push(`  ${check.status.padEnd(4)}  ${check.what}${check.fix === undefined ? "" : `\n        fix: ${check.fix}`}`);
  const problems = checks.filter((check) => check.status === "FAIL").length;
  lines.push(
    problems === 0
      ? `${ref === undefined ? "This machine" : ref.stack} can come up here.`
      : `${ref === undefined ? "Stacks" : ref.stack} cannot come up on this machine: ${problems} problem${problems === 1 ? "" : "s"} above.`,
  );
  io.stdout.write(lines.join("\n") + "\n");
  return problems === 0 ? 0 : 1;
}

function kindClusters(): string[] {
  const result = spawnSync("kind", ["get", "clusters"], { encoding: "utf8", timeout: 20_000 });
  return result.status === 0
    ? result.stdout
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line !== "")
    : [];
}
