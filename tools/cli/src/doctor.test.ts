import { spawnSync } from "node:child_process";
import { fixtureCheckout } from "@e2e-infra/testing";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { HOST_COMMAND_TYPE } from "@e2e-infra/core";
import { capturedResource, freePort, notRunHere, ResourceGraph, toolMissing } from "@e2e-infra/testing";
import { footprintOf } from "@e2e-infra/stack-kit";
import { toolNeeds } from "./doctor";
import { portChecks } from "./doctor-ports";

// `e2e-infra doctor` as users run it, on a PATH of stand-ins: which tools a machine has is the
// input here. Ports are real: the test holds one.

const root = join(__dirname, "..", "..", "..");
const bin = join(__dirname, "..", "bin", "e2e-infra.cjs");

/** A PATH holding only these tools, each printing `version` and exiting with `status` for `info`. */
// The real helm (a stack's program renders its chart with it), behind the version the test gives.
const realHelm = spawnSync("sh", ["-c", "command -v helm"], { encoding: "utf8" }).stdout.trim();
const noHelm = notRunHere("doctor's checks that run gateway's program (it renders the chart with the real helm)", toolMissing("helm"));

function toolbox(tools: Record<string, { version: string; infoStatus?: number }>): string {
  const dir = mkdtempSync(join(tmpdir(), "doctor-path-"));
  for (const [tool, { version, infoStatus = 0 }] of Object.entries(tools)) {
    const helm =
      realHelm === ""
        ? `echo "helm is not installed (looked for it on PATH): this test's helm hands the program's helm template to the real one" >&2; exit 127`
        : `exec '${realHelm}' "$@"`;
    const other = tool === "helm" ? helm : `echo "${version}"`;
    writeFileSync(
      join(dir, tool),
      `#!/bin/sh\ncase "$1" in info) exit ${infoStatus} ;; get) exit 0 ;; version) echo "${version}"; exit 0 ;; esac\n${other}\n`,
    );
    chmodSync(join(dir, tool), 0o755);
  }
  return dir;
}

/** A cgroup hierarchy's root as doctor reads it: v2 has cgroup.controllers, v1 has not. */
function cgroupRoot(version: 1 | 2): string {
  const dir = mkdtempSync(join(tmpdir(), `doctor-cgroup-v${version}-`));
  if (version === 2) writeFileSync(join(dir, "cgroup.controllers"), "cpuset cpu io memory pids\n");
  return dir;
}
const cgroupV2 = cgroupRoot(2);

/** doctor on `path`, on a machine with cgroup v2 unless `E2E_CGROUP_ROOT` says otherwise in `env`. */
// The demo's host ports are in the ephemeral range, where any connection of the machine (or a
// test running beside these) may hold one for a while: doctor demo gets ports free a moment ago,
// for each key the test does not set itself.
const DEMO_PORT_KEYS = ["appHostPort", "postgresHostPort"];
let demoPorts: Record<string, number> = {};
beforeAll(async () => {
  demoPorts = Object.fromEntries(await Promise.all(DEMO_PORT_KEYS.map(async (key) => [key, await freePort()] as const)));
});

function doctorIn(env: Record<string, string>, path: string, ...given: string[]) {
  const unset = given[0] === "demo" ? DEMO_PORT_KEYS.filter((key) => !given.some((arg) => arg.startsWith(`${key}=`))) : [];
  const args = [...given, ...unset.flatMap((key) => ["--config", `${key}=${demoPorts[key]}`])];
  const result = spawnSync(process.execPath, [bin, "doctor", ...args], {
    encoding: "utf8",
    cwd: root,
    env: { ...process.env, E2E_CGROUP_ROOT: cgroupV2, ...env, PATH: path },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function doctor(path: string, ...args: string[]) {
  return doctorIn({}, path, ...args);
}

const helmFix =
  "        fix: install helm 3.14+ (https://helm.sh/docs/intro/install/) or `bash tools/engine/build.sh --only helm` and put its directory on PATH\n";

const complete = {
  pulumi: { version: "v3.274.1" },
  kind: { version: "kind v0.32.0 go1.26.0 linux/amd64" },
  helm: { version: "v3.18.6+g4bd9f12" },
  docker: { version: "Docker version 28.2.2, build e6534b4" },
  kubectl: { version: "Client Version: v1.36.3" },
  curl: { version: "curl 8.14.1 (x86_64-pc-linux-gnu)" },
};

let held: Server | undefined;
afterEach(() => held?.close());

describe("e2e-infra doctor", () => {
  it("GIVEN every tool and free ports THEN each with its version, and exit code 0", () => {
    const { appHostPort: app, postgresHostPort: postgres } = demoPorts;
    const result = doctor(toolbox(complete), "demo");
    expect(result.stdout).toContain("  ok    pulumi v3.274.1\n");
    expect(result.stdout).toContain("  ok    kind v0.32.0 go1.26.0 linux/amd64\n");
    expect(result.stdout).toContain("  ok    Docker version 28.2.2, build e6534b4; its daemon answers\n");
    expect(result.stdout).toContain(`  ok    host ports free: ${app}, ${postgres}\n`);
    expect(result.stdout).toContain("  ok    cgroups: v2\n");
    expect(result.stdout).toMatch(/ {2}ok {4}disk: \d+\.\d GiB free in /);
    expect(result.stdout).toMatch(/demo-e2e can come up here\.\n$/);
    expect(result.status).toBe(0);
  });

  it("GIVEN a machine without kind, a Docker daemon that does not answer and a busy port THEN each problem with its fix, and exit code 1", async () => {
    held = createServer();
    await new Promise<void>((resolve) => held!.listen(0, "0.0.0.0", resolve));
    const busy = (held.address() as { port: number }).port;
    const { kind: _, ...withoutKind } = complete;
    const result = doctor(
      toolbox({ ...withoutKind, docker: { ...complete.docker, infoStatus: 1 } }),
      "demo",
      "--config",
      `appHostPort=${busy}`,
    );
    expect(result.stdout).toContain(
      "  FAIL  kind: not installed (looked for it on PATH)\n        fix: go install sigs.k8s.io/kind@v0.32.0",
    );
    expect(result.stdout).toContain(
      "  FAIL  Docker version 28.2.2, build e6534b4: `docker info` fails: its daemon does not answer\n        fix: sudo systemctl start docker",
    );
    expect(result.stdout).toContain(
      `  FAIL  host port ${busy} (appHostPort) is in use by another program\n        fix: see who holds it: ss -ltnp 'sport = :${busy}' (or lsof -i :${busy}); or choose another: pulumi config set appHostPort <port> -s demo-e2e\n`,
    );
    expect(result.stdout).toMatch(/demo-e2e cannot come up on this machine: 3 problems above\.\n$/);
    expect(result.status).toBe(1);
  });

  // Without a stack doctor checks every tool and runs no program: the helm check alone, quickly.
  it("GIVEN no helm, or a helm older than 3.14 THEN a problem with its fix; a helm built from source without its version stamped (`v3.18`) passes", () => {
    const { helm: _, ...withoutHelm } = complete;
    const missing = doctor(toolbox(withoutHelm));
    expect(missing.stdout).toContain(`  FAIL  helm: not installed (looked for it on PATH)\n${helmFix}`);
    expect(missing.stdout).toMatch(/Stacks cannot come up on this machine: 1 problem above\.\n$/);
    expect(missing.status).toBe(1);
    const old = doctor(toolbox({ ...complete, helm: { version: "v3.13.3+gc8b9489" } }));
    expect(old.stdout).toContain(
      `  FAIL  helm v3.13.3+gc8b9489: 3.14 or newer is needed (\`helm template\` renders the service repository's chart)\n${helmFix}`,
    );
    expect(old.status).toBe(1);
    expect(doctor(toolbox({ ...complete, helm: { version: "v2.17.0+ga690bad" } })).status).toBe(1);
    const unpatched = doctor(toolbox({ ...complete, helm: { version: "v3.18" } }));
    expect(unpatched.stdout).toContain("  ok    helm v3.18\n");
    expect(unpatched.status).toBe(0);
  });

  it("GIVEN a machine on cgroup v1 THEN a problem proposing allowCgroupV1 for the stack (a warning without one); with it set, fine", () => {
    const v1 = { E2E_CGROUP_ROOT: cgroupRoot(1) };
    const refused = doctorIn(v1, toolbox(complete), "demo");
    expect(refused.stdout).toContain(
      `  FAIL  cgroups: v1 (${v1.E2E_CGROUP_ROOT} has no cgroup.controllers): kubelets of Kubernetes 1.35 and later (the suites' node image runs 1.36) refuse to start on it\n` +
        "        fix: pulumi config set allowCgroupV1 true -s demo-e2e (or e2e-infra up demo-e2e --config allowCgroupV1=true; or boot the machine with cgroup v2: systemd.unified_cgroup_hierarchy=1)\n",
    );
    expect(refused.status).toBe(1);
    const allowed = doctorIn(v1, toolbox(complete), "demo", "--config", "allowCgroupV1=true");
    expect(allowed.stdout).toContain("  ok    cgroups: v1; the stack lets kubelets start on it (allowCgroupV1)\n");
    expect(allowed.status).toBe(0);
    const anyStack = doctorIn(v1, toolbox(complete));
    expect(anyStack.stdout).toContain("  warn  cgroups: v1 (");
  });

  it("GIVEN a stack on Podman and a machine without /lib/modules THEN one problem: kind on Podman mounts it; with it there, fine; on Docker, no such check", () => {
    const modules = join(mkdtempSync(join(tmpdir(), "doctor-modules-")), "modules");
    const podman = toolbox({ ...complete, podman: { version: "podman version 4.3.1" } });
    const missing = doctorIn({ E2E_LIB_MODULES: modules }, podman, "demo", "--config", "containerRuntime=podman");
    expect(missing.stdout).toContain(
      `  FAIL  ${modules}: missing (no kernel modules installed); kind on Podman mounts it into its nodes, and Podman refuses a mount whose source is missing\n` +
        `        fix: sudo mkdir ${modules} (empty is enough), or containerRuntime docker\n`,
    );
    expect(missing.status).toBe(1);
    mkdirSync(modules);
    const there = doctorIn({ E2E_LIB_MODULES: modules }, podman, "demo", "--config", "containerRuntime=podman");
    expect(there.stdout).toContain(`  ok    ${modules}: there (kind on Podman mounts it into its nodes)\n`);
    expect(there.status).toBe(0);
    rmSync(modules, { recursive: true });
    expect(doctorIn({ E2E_LIB_MODULES: modules }, toolbox(complete), "demo").stdout).not.toContain(modules);
  });

  it("GIVEN demo (it renders no chart) and no helm WHEN doctor demo THEN no helm check, and it can come up", () => {
    const { helm: _, ...withoutHelm } = complete;
    const result = doctor(toolbox(withoutHelm), "demo");
    expect(result.stdout).not.toContain("helm");
    expect(result.stdout).toMatch(/demo-e2e can come up here\.\n$/);
    expect(result.status).toBe(0);
  });

  it("GIVEN gateway (it renders the service repository's chart) and no helm THEN one problem, naming helm, with its fix", () => {
    const { helm: _, ...withoutHelm } = complete;
    const result = doctor(toolbox(withoutHelm), "gateway", "--config", `serviceRepository=${fixtureCheckout()}`);
    expect(result.stdout).toContain(`  FAIL  helm: not installed (looked for it on PATH)\n${helmFix}`);
    expect(result.stdout).toContain(
      "  warn  config and checkout: not checked: the program renders a chart with helm, which is missing (above)\n",
    );
    expect(result.stdout).toMatch(/gateway-e2e cannot come up on this machine: 1 problem above\.\n$/);
    expect(result.status).toBe(1);
  });

  it("GIVEN kind older than 0.32 THEN a problem naming the version it needs", () => {
    const result = doctor(toolbox({ ...complete, kind: { version: "kind v0.20.0 go1.20.4 linux/amd64" } }), "demo");
    expect(result.stdout).toContain(
      "  FAIL  kind v0.20.0 go1.20.4 linux/amd64: kind 0.32 or newer is needed (the suites' pinned node image, kindest/node v1.36.1)",
    );
    expect(result.status).toBe(1);
  });

  it("GIVEN no kubectl THEN a warning saying what it is for, not a problem", () => {
    const { kubectl: _, ...withoutKubectl } = complete;
    const result = doctor(toolbox(withoutKubectl), "demo");
    expect(result.stdout).toContain("  warn  kubectl: not installed (e2e-infra up uses it to show why a workload did not become ready)");
    expect(result.status).toBe(0);
  });

  it("GIVEN a checkout without two paths gateway reads THEN both named, with the commit the stack was verified against", () => {
    const checkout = mkdtempSync(join(tmpdir(), "doctor-checkout-"));
    cpSync(fixtureCheckout(), checkout, { recursive: true, verbatimSymlinks: true });
    rmSync(join(checkout, "docker", "gateway.Dockerfile"));
    rmSync(join(checkout, "migrations"), { recursive: true });
    const missing = doctor(toolbox(complete), "gateway", "--config", `serviceRepository=${checkout}`);
    expect(missing.stdout).toContain(
      `  FAIL  config and checkout: Stack "gateway-e2e": config gateway:serviceRepository is ${JSON.stringify(checkout)}; expected a checkout of the service repository; it has no migrations, docker/gateway.Dockerfile (2 of the 15 paths this stack reads; it was verified against jordigilh/kubernaut d5a4a8709 of 2026-08-22)\n        fix: point it at a checkout of the service repository: e2e-infra up gateway-e2e --config serviceRepository=/path/to/checkout`,
    );
    expect(missing.status).toBe(1);
  });

  it.skipIf(noHelm)("GIVEN gateway and the stand-in checkout THEN the preview's checks pass", () => {
    const fine = doctor(toolbox(complete), "gateway", "--config", `serviceRepository=${fixtureCheckout()}`);
    expect(fine.stdout).toMatch(/ {2}ok {4}config and checkout: the preview's checks pass \(\d+ resources\)\n/);
    expect(fine.status).toBe(0);
  });

  it.skipIf(noHelm)("GIVEN gateway (its ActionType seed runs kubectl) THEN kubectl is required, not a warning", () => {
    const { kubectl: _, ...withoutKubectl } = complete;
    const result = doctor(toolbox(withoutKubectl), "gateway", "--config", `serviceRepository=${fixtureCheckout()}`);
    expect(result.stdout).toContain("  FAIL  kubectl: not installed (the stack seeds objects with it)");
    expect(result.status).toBe(1);
  });

  it("GIVEN a stack whose program fails (workflowexecution without a checkout) THEN every tool, curl too; demo's scripts run no curl; without a stack, every tool", () => {
    const { curl: _, ...withoutCurl } = complete;
    expect(doctor(toolbox(withoutCurl), "workflowexecution").stdout).toContain(
      "  FAIL  curl: not installed (looked for it on PATH; a stack's host scripts run it)",
    );
    expect(doctor(toolbox(withoutCurl), "demo").stdout).not.toContain("curl");
    expect(doctor(toolbox(complete)).stdout).toContain("  ok    curl 8.14.1\n");
  });
});

describe("toolNeeds: what a stack's graph runs", () => {
  const graph = (...resources: ReturnType<typeof capturedResource>[]) => new ResourceGraph("p", "s", resources);
  const script = (name: string, create: string) => capturedResource(`urn:${name}`, HOST_COMMAND_TYPE, name, { inputs: { create } });

  it("GIVEN a kind cluster and a script running kubectl THEN kind, a container runtime and kubectl, no helm nor curl; GIVEN an image alone THEN a container runtime", () => {
    expect(
      toolNeeds(
        graph(
          capturedResource("urn:c", "e2e-infra:index:KindCluster", "cluster", { custom: false }),
          script("seed", 'command -v kubectl >/dev/null 2>&1 || exit 127\nkubectl apply -f "$FILE"\n'),
        ),
      ),
    ).toStrictEqual({ kind: true, containerRuntime: true, helm: false, curl: false, kubectl: true });
    expect(toolNeeds(graph(capturedResource("urn:i", "e2e-infra:index:ImageBuildLoad", "image", { custom: false })))).toStrictEqual({
      kind: false,
      containerRuntime: true,
      helm: false,
      curl: false,
      kubectl: false,
    });
  });

  it("GIVEN a chart's objects (ChartObjects: rendered with helm template) THEN helm", () => {
    expect(toolNeeds(graph(capturedResource("urn:o", "e2e-infra:index:ChartObjects", "release", { custom: false }))).helm).toBe(true);
    expect(toolNeeds(graph()).helm).toBe(false);
  });
});

describe("doctor's host port checks", () => {
  // gateway-e2e and datastorage-e2e map the same port, as the HEAD stacks do: one exclusiveGroup.
  const stack = (project: string, port: number, exclusiveGroup: string) =>
    footprintOf(project, `${project}-e2e`, {
      [`${project}:clusterName`]: `${project}-e2e`,
      [`${project}:healthHostPort`]: port,
      [`${project}:exclusiveGroup`]: exclusiveGroup,
    });
  let port = 0;
  let server: Server | undefined;
  afterEach(() => server?.close());
  const hold = async () => {
    server = createServer();
    await new Promise<void>((resolve) => server!.listen(0, "0.0.0.0", resolve));
    port = (server.address() as { port: number }).port;
  };

  it("GIVEN a port held while a stack of its exclusive group is up THEN a problem naming that stack: it comes down first", async () => {
    await hold();
    const [gateway, datastorage] = [stack("gateway", port, "kubernaut-head"), stack("datastorage", port, "kubernaut-head")];
    expect(await portChecks(datastorage, [datastorage, gateway], ["gateway-e2e"])).toStrictEqual([
      {
        status: "FAIL",
        what: `host port ${port} (healthHostPort) is in use: by gateway-e2e's cluster gateway-e2e, which is up (exclusiveGroup kubernaut-head: the two are never up together)`,
        fix: "take it down first: e2e-infra down gateway-e2e",
      },
    ]);
  });

  it("GIVEN a port held while another stack mapping it is up (no group) THEN a problem naming it, or another port; by no stack: another program; by its own cluster: fine", async () => {
    await hold();
    const [other, mine] = [stack("other", port, ""), stack("mine", port, "")];
    expect(await portChecks(mine, [mine, other], ["other-e2e"])).toStrictEqual([
      {
        status: "FAIL",
        what: `host port ${port} (healthHostPort) is in use: by other-e2e's cluster other-e2e, which is up`,
        fix: "take it down first: e2e-infra down other-e2e; or choose another: pulumi config set healthHostPort <port> -s mine-e2e",
      },
    ]);
    expect((await portChecks(mine, [mine, other], []))[0]).toMatchObject({
      status: "FAIL",
      what: `host port ${port} (healthHostPort) is in use by another program`,
    });
    expect((await portChecks(mine, [mine, other], ["mine-e2e"]))[0]).toMatchObject({ status: "ok" });
  });
});
