import { HOST_COMMAND_TYPE } from "@e2e-infra/core";
import { footprintOf, readFootprints, type StackFootprint } from "@e2e-infra/stack-kit";
import { spawnSync } from "node:child_process";
import { existsSync, statfsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { readStackFiles, type ResourceGraph } from "@e2e-infra/graph";
import type { Io } from "./main";
import { withProgress } from "./progress";
import { captured, configEntries, STACKS_DIR, type StackRef } from "./stacks";
import { kindClusters, portChecks } from "./doctor-ports";

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

/**
 * The tools a stack runs on this machine, as its graph says: each check of `doctor <stack>` is
 * for one of these. Node and the Pulumi CLI run every stack; kubectl is at least a warning, as
 * `e2e-infra up` shows with it why a workload did not become ready.
 */
export interface ToolNeeds {
  /** kind: a KindCluster, or a host script that runs kind. */
  kind: boolean;
  /** Docker or Podman: kind's node containers, and image builds (ImageBuildLoad). */
  containerRuntime: boolean;
  /** helm: a chart rendered with `helm template` at program time (@e2e-infra/chart's ChartObjects registers its objects). */
  helm: boolean;
  /** curl: a host script runs it. */
  curl: boolean;
  /** kubectl required (a host script runs it), not only a warning. */
  kubectl: boolean;
}

/** Without a stack, or when its program failed (what it runs is unknown): every tool. */
const EVERY_TOOL: ToolNeeds = { kind: true, containerRuntime: true, helm: true, curl: true, kubectl: false };

/** Component types (their packages' `super(...)` calls) that tell what a stack runs. */
const KIND_CLUSTER_TYPE = "e2e-infra:index:KindCluster";
const IMAGE_BUILD_LOAD_TYPE = "e2e-infra:index:ImageBuildLoad";
const CHART_OBJECTS_TYPE = "e2e-infra:index:ChartObjects";

/**
 * What `graph` runs: its component types, and the tools its host commands' scripts look for
 * (each shipped script starts with `command -v <tool> >/dev/null ... || ...`).
 */
export function toolNeeds(graph: ResourceGraph): ToolNeeds {
  const scripts = graph
    .find({ type: HOST_COMMAND_TYPE })
    .flatMap((command) => ["create", "update", "delete", "check"].map((script) => command.inputs[script]))
    .filter((script): script is string => typeof script === "string");
  const runs = (tool: string) => scripts.some((script) => script.includes(`command -v ${tool} `));
  const has = (type: string) => graph.find({ type }).length > 0;
  const kind = has(KIND_CLUSTER_TYPE) || runs("kind");
  return {
    kind,
    containerRuntime: kind || has(IMAGE_BUILD_LOAD_TYPE),
    helm: has(CHART_OBJECTS_TYPE),
    curl: runs("curl"),
    kubectl: runs("kubectl"),
  };
}

function tools(containerRuntime: string | undefined, needs: ToolNeeds): Check[] {
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
  if (needs.kind) {
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
  }
  if (needs.helm) checks.push(helmCheck());
  if (needs.containerRuntime) checks.push(containerRuntimeCheck(containerRuntime));
  const kubectl = versionOf("kubectl", ["version", "--client"]);
  checks.push(
    kubectl === undefined
      ? {
          status: needs.kubectl ? "FAIL" : "warn",
          what: needs.kubectl
            ? "kubectl: not installed (the stack seeds objects with it)"
            : "kubectl: not installed (e2e-infra up uses it to show why a workload did not become ready)",
          fix: "see https://kubernetes.io/docs/tasks/tools/",
        }
      : { status: "ok", what: `kubectl: ${kubectl.line}` },
  );
  if (needs.curl) {
    const curl = versionOf("curl", ["--version"]);
    checks.push(
      curl === undefined
        ? {
            status: "FAIL",
            what: "curl: not installed (looked for it on PATH; a stack's host scripts run it)",
            fix: "sudo apt-get install curl (or your system's package manager)",
          }
        : { status: "ok", what: curl.line.split(" ").slice(0, 2).join(" ") },
    );
  }
  return checks;
}

/** Docker or Podman (the stack's `containerRuntime` if set), and whether its daemon answers `info`. */
function containerRuntimeCheck(containerRuntime: string | undefined): Check {
  const runtimes = containerRuntime === undefined ? ["docker", "podman"] : [containerRuntime];
  const found = runtimes.map((tool) => ({ tool, version: versionOf(tool, ["--version"]) })).filter((entry) => entry.version !== undefined);
  if (found.length === 0) {
    return {
      status: "FAIL",
      what: `${runtimes.join(" or ")}: not installed (looked for it on PATH)`,
      fix: "install Docker (https://docs.docker.com/engine/install/) or Podman (https://podman.io/docs/installation)",
    };
  }
  const answering = found.find((entry) => versionOf(entry.tool, ["info", "--format", "{{json .}}"])?.ok === true);
  return answering !== undefined
    ? { status: "ok", what: `${answering.version!.line}; its daemon answers` }
    : {
        status: "FAIL",
        what: `${found.map((entry) => entry.version!.line).join("; ")}: \`${found[0]!.tool} info\` fails: its daemon does not answer`,
        fix:
          found[0]!.tool === "docker" ? "sudo systemctl start docker (or start Docker Desktop)" : "podman machine start (macOS, Windows)",
      };
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

/**
 * The machine's cgroups: v2 (the unified hierarchy: `cgroup.controllers` at its root), or v1,
 * where kubelets of Kubernetes 1.35 and later refuse to start (KEP-5573) unless the stack sets
 * allowCgroupV1. `root` is where the hierarchy is mounted (E2E_CGROUP_ROOT, default
 * /sys/fs/cgroup); `allowed` is the stack's setting, undefined without a stack.
 */
export function cgroupCheck(root: string, allowed: boolean | undefined, stack: string | undefined): Check {
  if (existsSync(join(root, "cgroup.controllers"))) return { status: "ok", what: "cgroups: v2" };
  if (allowed === true) return { status: "ok", what: "cgroups: v1; the stack lets kubelets start on it (allowCgroupV1)" };
  return {
    status: stack === undefined ? "warn" : "FAIL",
    what: `cgroups: v1 (${root} has no cgroup.controllers): kubelets of Kubernetes 1.35 and later (the suites' node image runs 1.36) refuse to start on it`,
    fix:
      stack === undefined
        ? "set allowCgroupV1 in the stack: pulumi config set allowCgroupV1 true -s <stack> (or boot the machine with cgroup v2: systemd.unified_cgroup_hierarchy=1)"
        : `pulumi config set allowCgroupV1 true -s ${stack} (or e2e-infra up ${stack} --config allowCgroupV1=true; or boot the machine with cgroup v2: systemd.unified_cgroup_hierarchy=1)`,
  };
}

/**
 * kind's Podman provider mounts /lib/modules into every node (read-only), and Podman, unlike
 * Docker, which creates a missing bind source, refuses a missing one: a machine without kernel
 * modules installed (a container, a minimal VM) has none, and `kind create cluster` fails with
 * "statfs /lib/modules: no such file or directory". `modules` is that path (E2E_LIB_MODULES,
 * default /lib/modules).
 */
export function podmanModulesCheck(modules: string): Check {
  return existsSync(modules)
    ? { status: "ok", what: `${modules}: there (kind on Podman mounts it into its nodes)` }
    : {
        status: "FAIL",
        what: `${modules}: missing (no kernel modules installed); kind on Podman mounts it into its nodes, and Podman refuses a mount whose source is missing`,
        fix: `sudo mkdir ${modules} (empty is enough), or containerRuntime docker`,
      };
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

/**
 * The stack's program under mocks with its config: every check its preview makes, and what it
 * runs (undefined when the program failed).
 */
async function preview(ref: StackRef, entries: readonly string[], io: Io): Promise<{ check: Check; needs?: ToolNeeds }> {
  try {
    const graph = await withProgress(io.stderr, `doctor: running ${ref.stack}'s program under Pulumi's mocks`, () =>
      captured(ref, entries),
    );
    return {
      check: { status: "ok", what: `config and checkout: the preview's checks pass (${graph.resources.length} resources)` },
      needs: toolNeeds(graph),
    };
  } catch (error) {
    const message = (error as Error).message;
    // @e2e-infra/chart's renderChart, at program time: the helm check says it (and how to fix it).
    if (message.includes("helm is not installed"))
      return {
        check: {
          status: "warn",
          what: "config and checkout: not checked: the program renders a chart with helm, which is missing (above)",
        },
      };
    return {
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
  let allowCgroupV1: boolean | undefined;
  let footprint: StackFootprint | undefined;
  const footprints = ref === undefined ? [] : readFootprints(STACKS_DIR);
  if (ref !== undefined) {
    const files = readStackFiles(ref.dir, ref.stack);
    const configured =
      configEntries(entries, files.project)[`${files.project}:containerRuntime`] ?? files.config[`${files.project}:containerRuntime`];
    runtime = typeof configured === "string" ? configured : undefined;
    const allowed =
      configEntries(entries, files.project)[`${files.project}:allowCgroupV1`] ?? files.config[`${files.project}:allowCgroupV1`];
    allowCgroupV1 = String(allowed) === "true";
    // What the stack file says, with the --config entries over it (as `up` would run).
    const found = footprints.find((candidate) => candidate.stack === ref.stack && candidate.project === files.project);
    const given = footprintOf(files.project, ref.stack, { ...files.config, ...configEntries(entries, files.project) });
    footprint =
      found === undefined ? undefined : { ...found, clusterName: given.clusterName || found.clusterName, hostPorts: given.hostPorts };
  }
  // With a stack, its program first: what it runs is then known, and only that is checked.
  // Without a stack, or when its program failed (what it runs is unknown), every tool.
  const previewed = ref === undefined ? undefined : await preview(ref, entries, io);
  const needs = previewed?.needs ?? EVERY_TOOL;
  checks.push(...tools(runtime, needs));
  if (needs.kind) checks.push(cgroupCheck(process.env["E2E_CGROUP_ROOT"] ?? "/sys/fs/cgroup", allowCgroupV1, ref?.stack));
  if (needs.kind && runtime === "podman" && process.platform === "linux")
    checks.push(podmanModulesCheck(process.env["E2E_LIB_MODULES"] ?? "/lib/modules"));
  if (footprint !== undefined) {
    checks.push(...(await portChecks(footprint, footprints, kindClusters())));
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
