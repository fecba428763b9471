import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureDockerDaemon, nodeBaseImageStandIn } from "../src/docker";
import { REPO_ROOT, engineUser, kindClusters, pulumiStack, type EngineUser } from "../src/engine";

// Ctrl-C twice during `pulumi up` (cancel, then terminate), on the real engine: the CLI closes
// its plugins, which sends SIGINT to each plugin's process group and SIGKILL 5 s later. The
// image load is made slow (the stand-in's E2E_KIND_LOAD_SECONDS) so the interruption lands
// while its host script holds a temporary archive and runs `kind load`.
const dir = join(REPO_ROOT, "stacks", "demo");
const stack = "demo-e2e";
const prefix = "e2e-infra-demo-demo-e2e-app-image";
let user: EngineUser;

/** Processes whose command line contains `text`, as "pid args". */
function processes(text: string): string[] {
  const result = spawnSync("ps", ["-eo", "pid=,args="], { encoding: "utf8" });
  return result.stdout
    .split("\n")
    .filter((line) => line.includes(text) && !line.includes("ps -eo"))
    .map((line) => line.trim());
}

const leftovers = () => readdirSync(tmpdir()).filter((name) => name.startsWith(prefix));

async function until(what: string, condition: () => boolean, seconds: number): Promise<void> {
  for (let i = 0; i < seconds * 10; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what}: not within ${seconds} s`);
}

beforeAll(async () => {
  user = engineUser("interrupt", { E2E_KIND_LOAD_SECONDS: "60" });
  await ensureDockerDaemon(user.home);
  nodeBaseImageStandIn();
});

describe("demo-e2e interrupted (Ctrl-C twice) while an image loads, on the real engine", () => {
  it("GIVEN a load in progress WHEN the CLI is interrupted twice THEN no host script, kind load or temporary archive is left behind", async () => {
    const up = pulumiStack(user, { operation: "up", dir, stack }).then(
      () => "converged",
      (error: Error) => error.message,
    );
    // The load's host script has written its archive and runs the stand-in's `kind load`.
    await until("the load started", () => leftovers().some((name) => existsSync(join(tmpdir(), name, "image.tar"))), 300);
    await until("kind load running", () => processes("load image-archive").length > 0, 30);
    const cli = processes(`${user.bin}/pulumi up`).map((line) => Number(line.split(" ")[0]));
    expect(cli).toHaveLength(1);
    process.kill(cli[0]!, "SIGINT");
    await new Promise((resolve) => setTimeout(resolve, 500));
    process.kill(cli[0]!, "SIGINT");
    expect(await up).toMatch(/failed/);
    // The engine gives plugins 5 s after SIGINT before SIGKILL.
    await until("the load's processes gone", () => processes("load image-archive").length === 0, 15);
    await until("the temporary archive gone", () => leftovers().length === 0, 15);
  });

  it("GIVEN the interrupted run WHEN up again THEN it converges", async () => {
    user.env["E2E_KIND_LOAD_SECONDS"] = "0";
    const result = await pulumiStack(user, { operation: "up", dir, stack });
    expect(result.outputs["appUrl"]).toBe("http://localhost:18080");
    expect(leftovers()).toStrictEqual([]);
  });

  it("WHEN destroyed THEN the cluster is gone", async () => {
    await pulumiStack(user, { operation: "destroy", dir, stack });
    expect(kindClusters(user)).not.toContain(stack);
  });
});
