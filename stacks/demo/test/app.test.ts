import { captureStack, freePort, hermeticPath, startPostgres, startRedis, type LocalPostgres, type LocalServer } from "@e2e-infra/testing";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The demo service and its migrations, for real: the migrations through the exact ConfigMap the
// stack gives its Job, then app/server.js against Debian's PostgreSQL and Redis.

const dir = join(__dirname, "..");
let pg: LocalPostgres;
let redis: LocalServer;
let app: ChildProcess;
let base = "";

beforeAll(async () => {
  [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  pg.psql("CREATE DATABASE demo;");
  const { graph } = await captureStack(dir, "demo-e2e");
  const data = graph.one({ type: "kubernetes:core/v1:ConfigMap", name: "migrations-files" }).inputs["data"] as Record<string, string>;
  const mount = mkdtempSync(join(tmpdir(), "demo-migrations-"));
  for (const [key, value] of Object.entries(data)) writeFileSync(join(mount, key), value);
  const migrated = spawnSync("/bin/sh", [join(mount, "apply.sh")], {
    encoding: "utf8",
    env: { PATH: pg.scriptPath(), ...pg.env, PGDATABASE: "demo", MIGRATIONS_DIR: mount, TERMINATION_LOG: join(mount, "log") },
  });
  if (migrated.status !== 0) throw new Error(`migrations failed: ${migrated.stderr}`);

  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  app = spawn(process.execPath, [join(dir, "app", "server.js")], {
    // The server runs no program: node alone on its PATH.
    env: {
      PATH: hermeticPath({ utilities: [] }),
      ...pg.env,
      PGDATABASE: "demo",
      REDIS_ADDR: `127.0.0.1:${redis.port}`,
      PORT: String(port),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    app.stdout?.on("data", (chunk: Buffer) => chunk.toString().includes("listening") && resolve());
    app.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
});

afterAll(async () => {
  app?.kill("SIGTERM");
  await Promise.all([pg?.stop(), redis?.stop()]);
});

async function get(path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(base + path);
  return { status: response.status, body: await response.json() };
}

describe("the demo service, for real", () => {
  it("GIVEN Postgres, Redis and the migrations THEN /health is ok and /visits counts in Redis and records in Postgres", async () => {
    expect(await get("/health")).toStrictEqual({ status: 200, body: { status: "ok" } });
    expect(await get("/visits")).toStrictEqual({ status: 200, body: { visits: 1, recorded: 1 } });
    expect(await get("/visits")).toStrictEqual({ status: 200, body: { visits: 2, recorded: 2 } });
    expect(pg.psql("SELECT string_agg(visit::text, ',' ORDER BY id) FROM visits;", "demo").trim()).toBe("1,2");
    expect(await get("/nope")).toStrictEqual({ status: 404, body: { error: "not found" } });
  });

  it("GIVEN Redis gone THEN /health fails, so the readiness probe takes the pod out", async () => {
    await redis.stop();
    const health = await get("/health");
    expect(health.status).toBe(503);
  });
});
