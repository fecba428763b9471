import { startPostgres, type LocalPostgres } from "@e2e-infra/testing";
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_INIT_SQL, READINESS_COMMAND } from "./index";

// The readiness probe and the init SQL, run for real against Debian's PostgreSQL.

let pg: LocalPostgres;
beforeAll(async () => {
  pg = await startPostgres();
});
afterAll(async () => {
  await pg?.stop();
});

function probe(port: number): number | null {
  const [cmd, ...args] = READINESS_COMMAND;
  return spawnSync(cmd!, args, { env: { ...process.env, PGPORT: String(port), POSTGRES_USER: "postgres", POSTGRES_DB: "postgres" } })
    .status;
}

describe("Postgres for real", () => {
  it("GIVEN a running server THEN the readiness command succeeds over TCP; GIVEN no server on the port THEN it fails", async () => {
    expect(probe(pg.port)).toBe(0);
    const other = await startPostgres();
    const port = other.port;
    await other.stop();
    expect(probe(port)).not.toBe(0);
  });

  it("GIVEN a fresh database WHEN the default init SQL runs as the application user THEN it succeeds", () => {
    pg.psql("CREATE ROLE slm_user LOGIN SUPERUSER; CREATE DATABASE action_history OWNER slm_user;");
    const result = spawnSync("psql", ["-X", "-v", "ON_ERROR_STOP=1", "-U", "slm_user", "-d", "action_history"], {
      input: DEFAULT_INIT_SQL,
      encoding: "utf8",
      env: { ...process.env, ...pg.env },
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});
