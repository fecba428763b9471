import { KindCluster } from "@e2e-infra/kind-cluster";
import { Postgres } from "@e2e-infra/postgres";
import { capture, startPostgres, type LocalPostgres } from "@e2e-infra/testing";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Migrations } from "./index";

// The Job's script, manifest and files exactly as the Migrations component puts them in its
// ConfigMap (taken from the captured request), mounted into a directory as the kubelet mounts a
// ConfigMap, and run with /bin/sh against Debian's PostgreSQL.

const fixtures = join(__dirname, "..", "test", "fixtures");
let pg: LocalPostgres;
beforeAll(async () => {
  pg = await startPostgres();
});
afterAll(async () => {
  await pg?.stop();
});

async function mounted(directory: string): Promise<string> {
  const { graph } = await capture(() => {
    const cluster = new KindCluster("kind", { name: "mig-e2e" });
    const database = new Postgres("pg", { cluster, namespace: "ns" });
    new Migrations("migrations", { cluster, namespace: "ns", database, directory });
  });
  const data = graph.one({ type: "kubernetes:core/v1:ConfigMap", name: "migrations-files" }).inputs["data"] as Record<string, string>;
  const mount = mkdtempSync(join(tmpdir(), "migrations-mount-"));
  for (const [key, value] of Object.entries(data)) writeFileSync(join(mount, key), value);
  return mount;
}

/**
 * A PATH where the tools the script uses are BusyBox applets, as in the postgres:16-alpine image
 * the Job runs (psql and pg_isready stay Debian's).
 */
function busyboxPath(): string {
  const bin = mkdtempSync(join(tmpdir(), "busybox-"));
  for (const applet of ["sh", "awk", "grep", "cut", "sha256sum", "mktemp", "rm", "sleep", "cat", "printf"]) {
    symlinkSync(busybox, join(bin, applet));
  }
  for (const tool of ["psql", "pg_isready"]) symlinkSync(`/usr/bin/${tool}`, join(bin, tool));
  return bin;
}
const busybox = "/bin/busybox";

function apply(mount: string, database: string, shell: "dash" | "busybox" = "dash") {
  const log = join(mount, "termination-log");
  const path = shell === "busybox" ? busyboxPath() : process.env["PATH"];
  const result = spawnSync(shell === "busybox" ? busybox : "/bin/sh", [...(shell === "busybox" ? ["sh"] : []), join(mount, "apply.sh")], {
    encoding: "utf8",
    env: { PATH: path, ...pg.env, PGDATABASE: database, MIGRATIONS_DIR: mount, TERMINATION_LOG: log },
  });
  let termination = "";
  try {
    termination = readFileSync(log, "utf8");
  } catch {
    /* written only on failure */
  }
  return { ...result, termination };
}

const schema = (database: string) =>
  spawnSync("pg_dump", ["--schema-only", "--no-owner", "-d", database], { encoding: "utf8", env: { ...process.env, ...pg.env } })
    // pg_dump guards its output with a random \restrict key per run.
    .stdout.replace(/^\\(un)?restrict .*$/gm, "");

describe("the migrations Job's script, for real", () => {
  it("GIVEN goose-annotated migrations THEN the Up sections run in numeric order and the schema ends as expected; a second run changes nothing", async () => {
    pg.psql("CREATE DATABASE good;");
    const mount = await mounted(join(fixtures, "goose"));

    const first = apply(mount, "good");
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    expect(first.stdout).toContain("migrations: 5 applied, 0 already applied");

    expect(
      pg
        .psql(
          "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'public';",
          "good",
        )
        .trim(),
    ).toBe("audit_events,e2e_infra_migrations,users");
    expect(
      pg
        .psql(
          "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'users';",
          "good",
        )
        .trim(),
    ).toBe("id,email,status");
    expect(pg.psql("SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE tablename = 'users';", "good").trim()).toBe(
      "idx_users_email,idx_users_status,users_pkey",
    );
    expect(pg.psql("SELECT bool_and(indisvalid) FROM pg_index;", "good").trim()).toBe("t");
    // The StatementBegin block's function and its trigger work.
    expect(pg.psql("INSERT INTO users (email) VALUES ('Ada@Example.COM') RETURNING email;", "good").trim()).toBe("ada@example.com");
    expect(pg.psql("SELECT string_agg(version || ' ' || file, ',' ORDER BY version) FROM e2e_infra_migrations;", "good").trim()).toBe(
      "1 001_initial_schema.sql,2 002_stored_procedures.sql,3 003_concurrent_index.sql,9 9_add_status.sql,10 10_no_transaction.sql",
    );

    const before = schema("good");
    const second = apply(mount, "good");
    expect(second.status).toBe(0);
    expect(second.stdout).toBe("migrations: 0 applied, 5 already applied\n");
    expect(schema("good")).toBe(before);
  });

  it("GIVEN BusyBox's sh, awk and coreutils (the Alpine image's) THEN the same migrations apply the same way", async () => {
    expect(existsSync(busybox), "busybox is installed (apt-get install busybox)").toBe(true);
    pg.psql("CREATE DATABASE alpine;");
    pg.psql("CREATE DATABASE reference;");
    const mount = await mounted(join(fixtures, "goose"));
    const result = apply(mount, "alpine", "busybox");
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain("migrations: 5 applied, 0 already applied");
    expect(apply(mount, "reference").status).toBe(0);
    expect(schema("alpine")).toBe(schema("reference"));
    expect(apply(mount, "alpine", "busybox").stdout).toBe("migrations: 0 applied, 5 already applied\n");
  });

  it("GIVEN a broken migration THEN the run fails naming the file with psql's error, its transaction is rolled back, earlier ones stay", async () => {
    pg.psql("CREATE DATABASE broken;");
    const directory = mkdtempSync(join(tmpdir(), "migrations-broken-"));
    cpSync(join(fixtures, "goose"), directory, { recursive: true });
    cpSync(join(fixtures, "broken", "11_broken.sql"), join(directory, "11_broken.sql"));
    const mount = await mounted(directory);

    const result = apply(mount, "broken");
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /^migration 11_broken.sql \(version 11\) failed: psql:.*11_broken.sql:3: ERROR: {2}syntax error at or near "TABEL"/m,
    );
    expect(result.termination).toBe(result.stderr);
    expect(pg.psql("SELECT count(*) FROM e2e_infra_migrations;", "broken").trim()).toBe("5");
    expect(pg.psql("SELECT to_regclass('public.partial') IS NULL;", "broken").trim()).toBe("t");
  });

  it.each(["dash", "busybox"] as const)(
    "GIVEN a migration with Windows line endings (CRLF) and %s THEN its Up section runs, and only it",
    async (shell) => {
      const database = `crlf_${shell}`;
      pg.psql(`CREATE DATABASE ${database};`);
      const directory = mkdtempSync(join(tmpdir(), "migrations-crlf-"));
      writeFileSync(
        join(directory, "001_crlf.sql"),
        ["-- +goose Up", "CREATE TABLE crlf (id int);", "-- +goose Down", "DROP TABLE crlf;", ""].join("\r\n"),
      );
      const result = apply(await mounted(directory), database, shell);
      expect(result.status, result.stderr).toBe(0);
      expect(pg.psql("SELECT to_regclass('public.crlf') IS NOT NULL;", database).trim()).toBe("t");
    },
  );

  it("GIVEN an applied migration whose content changed THEN the run fails saying so", async () => {
    pg.psql("CREATE DATABASE changed;");
    const directory = mkdtempSync(join(tmpdir(), "migrations-changed-"));
    writeFileSync(join(directory, "001_a.sql"), "CREATE TABLE a (id int);\n");
    expect(apply(await mounted(directory), "changed").status).toBe(0);
    writeFileSync(join(directory, "001_a.sql"), "CREATE TABLE a (id bigint);\n");
    const result = apply(await mounted(directory), "changed");
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /^migration 001_a.sql \(version 1\) was applied with other content \(sha256 [0-9a-f]{64}, now [0-9a-f]{64}\): migrations run once/,
    );
  });
});
