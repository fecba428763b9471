import { renderChart } from "@e2e-infra/chart";
import { chartValues } from "@e2e-infra/kubernaut";
import { fixtureCheckout } from "@e2e-infra/testing";
import { startPostgres, type LocalPostgres } from "@e2e-infra/testing";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engineBin } from "../src/engine";

// The migrations as the HEAD environments run them: the chart's own migration Job, its command
// and its ConfigMap's files (what the Job mounts at /migrations), run on the host with goose
// v3.27.2 (built from Go modules with the toolchain) and psql against a real PostgreSQL. The Job
// itself runs no container on the engine harness (kwok); this is what it would run. The
// stand-in checkout's migrations always; a real checkout's (E2E_KUBERNAUT_CHECKOUT) when given.
const real = process.env["E2E_KUBERNAUT_CHECKOUT"];
const checkouts = [
  { what: "the stand-in checkout", path: fixtureCheckout() },
  ...(real !== undefined && existsSync(join(real, "charts", "kubernaut", "Chart.yaml"))
    ? [{ what: "a real HEAD checkout", path: real }]
    : []),
];
if (checkouts.length === 1)
  console.log(
    "goose-migrations: a real checkout's migrations not run: E2E_KUBERNAUT_CHECKOUT is not a HEAD checkout (none can be fetched here)",
  );

type Job = { spec: { template: { spec: { containers: { name: string; command?: string[]; args?: string[] }[] } } } };

/** The migrate container's script and the migration files, as the chart renders them for `checkout`. */
function rendered(checkout: string): { script: string; files: Record<string, string> } {
  const objects = renderChart('Test "goose"', {
    chart: join(checkout, "charts", "kubernaut"),
    release: "kubernaut",
    namespace: "datastorage-e2e",
    values: chartValues({ dataStorageNodePorts: { http: 30081 } }, []),
    templates: ["templates/hooks/migration-job.yaml"],
    kubeVersion: "1.36.1",
  });
  const job = objects.find((object) => object.kind === "Job") as unknown as Job;
  const migrate = job.spec.template.spec.containers.find((container) => container.name === "migrate")!;
  const argv = [...(migrate.command ?? []), ...(migrate.args ?? [])];
  expect(argv.slice(0, 2)).toStrictEqual(["/bin/sh", "-c"]);
  const configMap = objects.find((object) => object.kind === "ConfigMap")!;
  return { script: argv[2]!, files: configMap["data"] as Record<string, string> };
}

let pg: LocalPostgres;
beforeAll(async () => {
  pg = await startPostgres();
});
afterAll(async () => {
  await pg?.stop();
});

describe.each(checkouts)("the chart's migration Job with goose, for $what", ({ path }) => {
  it("GIVEN a new database WHEN the Job's command runs THEN goose applies every file, records it in goose_db_version and grants; a second run applies nothing", () => {
    const database = `db_${Math.random().toString(36).slice(2, 10)}`;
    pg.psql(`DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'slm_user') THEN CREATE ROLE slm_user LOGIN; END IF; END $$;`);
    pg.psql(`CREATE DATABASE ${database} OWNER slm_user;`);
    const { script, files } = rendered(path);
    // The Job mounts its ConfigMap at /migrations: here a directory of the same files.
    const migrations = mkdtempSync(join(tmpdir(), "migrations-"));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(migrations, name), text);
    expect(script).toContain("goose -dir /migrations postgres");
    const env = { PATH: `${engineBin()}:/usr/bin:/bin`, ...pg.env, PGUSER: "slm_user", PGPASSWORD: "test_password", PGDATABASE: database };
    const run = (text: string) =>
      spawnSync("/bin/sh", ["-c", text], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 120_000, env });
    const job = () => run(script.replaceAll("-dir /migrations", `-dir '${migrations}'`));
    const first = job();
    expect(first.status, first.stderr + first.stdout).toBe(0);
    const versions = Object.keys(files)
      .map((name) => Number(/^(\d+)_/.exec(name)?.[1]))
      .sort((a, b) => a - b);
    expect(pg.psql("SELECT version_id FROM goose_db_version WHERE is_applied AND version_id > 0 ORDER BY version_id;", database)).toBe(
      versions.map((version) => `${version}\n`).join(""),
    );
    // Again (a new Job for the same database): goose finds nothing to apply.
    const second = run(
      `goose -dir '${migrations}' postgres "host=$PGHOST port=$PGPORT user=$PGUSER dbname=$PGDATABASE sslmode=disable" up`,
    );
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout + second.stderr).toMatch(/no migrations to run/);
    console.log(`goose-migrations: ${versions.length} migrations applied with goose for ${path}`);
  });
});
