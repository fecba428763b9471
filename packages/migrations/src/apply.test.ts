import { KindCluster } from "@e2e-infra/kind-cluster";
import { Postgres } from "@e2e-infra/postgres";
import { capture, startPostgres, type LocalPostgres } from "@e2e-infra/testing";
import { shellcheck } from "@e2e-infra/testing";
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APPLY_SCRIPT, Migrations } from "./index";

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
 * A mount as the kubelet would make of a ConfigMap written by hand, not by the component: its
 * preview checks do not stand in the way, the script alone has to be safe.
 */
function handMounted(files: Record<string, string>): string {
  const mount = mkdtempSync(join(tmpdir(), "migrations-hand-"));
  writeFileSync(join(mount, "apply.sh"), APPLY_SCRIPT);
  writeFileSync(
    join(mount, "manifest"),
    Object.keys(files)
      .map((file) => `${Number(/^\d+/.exec(file)![0])} ${file}\n`)
      .join(""),
  );
  for (const [file, content] of Object.entries(files)) writeFileSync(join(mount, file), content);
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

type Shell = "dash" | "busybox";

function command(mount: string, database: string, shell: Shell, log: string, extra: Record<string, string> = {}) {
  const path = shell === "busybox" ? busyboxPath() : pg.scriptPath();
  return {
    file: shell === "busybox" ? busybox : "/bin/sh",
    args: [...(shell === "busybox" ? ["sh"] : []), join(mount, "apply.sh")],
    env: { PATH: path, ...pg.env, PGDATABASE: database, MIGRATIONS_DIR: mount, TERMINATION_LOG: log, ...extra },
  };
}

function apply(mount: string, database: string, shell: Shell = "dash", extra: Record<string, string> = {}) {
  const log = join(mount, "termination-log");
  const { file, args, env } = command(mount, database, shell, log, extra);
  const result = spawnSync(file, args, { encoding: "utf8", env });
  let termination = "";
  try {
    termination = readFileSync(log, "utf8");
  } catch {
    /* written only on failure */
  }
  return { ...result, termination };
}

/** Runs at once, one per shell, started together (their commands prepared first). */
function applyAtOnce(mount: string, database: string, shells: readonly Shell[]) {
  const commands = shells.map((shell) => command(mount, database, shell, join(mkdtempSync(join(tmpdir(), "termination-")), "log")));
  return Promise.all(commands.map(inBackground));
}

function inBackground({
  file,
  args,
  env,
}: {
  file: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
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
      /^migration 11_broken.sql \(version 11\) failed: 11_broken.sql:3: ERROR: {2}syntax error at or near "TABEL"\nLINE 1: CREATE TABEL oops/m,
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

  it.each(["dash", "busybox"] as const)(
    "GIVEN statements with semicolons, quotes, backslashes, BEGIN and COMMIT inside strings, comments and bodies, and %s THEN they run as written",
    async (shell) => {
      const database = `lexing_${shell}`;
      pg.psql(`CREATE DATABASE ${database};`);
      const result = apply(await mounted(join(fixtures, "lexing")), database, shell);
      expect(result.stderr).toBe("");
      expect(result.stdout).toBe("applied 001_lexing.sql\nmigrations: 1 applied, 0 already applied\n");
      expect(pg.psql(`SELECT id, "odd;""name", a$b FROM lexing ORDER BY id;`, database)).toBe(
        [
          "1|it's; COMMIT;|tab\t; quote ' ; backslash \\",
          "2|C:\\temp\\; ROLLBACK;|a $$ nested; COMMIT;\n\\! not a meta-command\n",
          "3|after a comment|",
          "5|from DO; END;|",
          "6|many; COMMIT|",
          "",
        ].join("\n"),
      );
    },
  );

  // Issue 12, defect 6: two runs at once applied a NO TRANSACTION file twice (each read "not
  // recorded" before the other recorded it), and transactional ones failed on each other.
  it(
    "GIVEN 4 runs at once on a fresh database, 20 times over, with a NO TRANSACTION file THEN every file is applied exactly once and recorded once",
    { timeout: 180_000 },
    async () => {
      const mount = handMounted({
        "001_counter.sql": "-- +goose Up\nCREATE TABLE applied (file text NOT NULL);\nINSERT INTO applied VALUES ('001');\n",
        "002_no_transaction.sql":
          "-- +goose NO TRANSACTION\n-- +goose Up\nINSERT INTO applied VALUES ('002');\nCREATE INDEX CONCURRENTLY applied_file ON applied (file);\n",
        "003_more.sql": "INSERT INTO applied VALUES ('003');\n",
      });
      const started = Date.now();
      for (let trial = 1; trial <= 20; trial++) {
        const database = `concurrent_${trial}`;
        pg.psql(`CREATE DATABASE ${database};`);
        const runs = await applyAtOnce(mount, database, ["dash", "busybox", "dash", "busybox"]);
        for (const run of runs) {
          expect(run.stderr, `trial ${trial}`).toBe("");
          expect(run.status, `trial ${trial}`).toBe(0);
          expect(run.stdout, `trial ${trial}`).toMatch(/^migrations: \d applied, \d already applied$/m);
        }
        const applied = runs.flatMap((run) => run.stdout.split("\n").filter((line) => line.startsWith("applied ")));
        expect(applied.sort(), `trial ${trial}: each file applied by one run`).toStrictEqual([
          "applied 001_counter.sql",
          "applied 002_no_transaction.sql",
          "applied 003_more.sql",
        ]);
        expect(pg.psql("SELECT file, count(*) FROM applied GROUP BY file ORDER BY file;", database), `trial ${trial}`).toBe(
          "001|1\n002|1\n003|1\n",
        );
        expect(pg.psql("SELECT string_agg(version || ' ' || file, ',' ORDER BY version) FROM e2e_infra_migrations;", database).trim()).toBe(
          "1 001_counter.sql,2 002_no_transaction.sql,3 003_more.sql",
        );
        expect(pg.psql("SELECT bool_and(indisvalid) FROM pg_index WHERE indexrelid = 'applied_file'::regclass;", database).trim()).toBe(
          "t",
        );
      }
      console.log(`20 trials of 4 concurrent runs: ${Date.now() - started} ms`);
    },
  );

  // Issue 12, defect 6: CREATE TABLE IF NOT EXISTS e2e_infra_migrations raced (a unique violation
  // in pg_type) when runs started together on a fresh database.
  it(
    "GIVEN 4 runs at once on a fresh database with nothing to apply, 20 times over THEN none fails creating e2e_infra_migrations",
    { timeout: 120_000 },
    async () => {
      const mount = handMounted({});
      for (let trial = 1; trial <= 20; trial++) {
        const database = `race_${trial}`;
        pg.psql(`CREATE DATABASE ${database};`);
        const runs = await applyAtOnce(mount, database, ["dash", "busybox", "dash", "busybox"]);
        for (const run of runs) {
          expect(run.stderr, `trial ${trial}`).toBe("");
          expect(run.status, `trial ${trial}`).toBe(0);
        }
        expect(pg.psql("SELECT count(*) FROM e2e_infra_migrations;", database).trim()).toBe("0");
      }
    },
  );

  // Issue 12, defect 6: a COMMIT in a transactional file ended the wrapping transaction, and a
  // failure after it left the file half-applied, unrecorded, and silent about it. Such a file
  // (the service repository's 006_effectiveness_assessment.sql at snapshot A ends with one) now
  // runs statement by statement, as the Go setup's psql ran it, and says so when it fails.
  it.each(["dash", "busybox"] as const)(
    "GIVEN a migration with its own COMMIT and %s THEN it runs without a wrapping transaction: applied and recorded once; a failure after its COMMIT says what stays applied",
    (shell) => {
      const database = `own_commit_${shell}`;
      pg.psql(`CREATE DATABASE ${database};`);
      const good =
        "CREATE TABLE half (id int);\nCOMMIT;\nCREATE INDEX CONCURRENTLY half_id ON half (id);\nCREATE TABLE other_half (id int);\n";
      const first = apply(handMounted({ "001_first.sql": "CREATE TABLE first (id int);\n", "002_commit.sql": good }), database, shell);
      expect(first.stderr).toBe("");
      expect(first.status).toBe(0);
      const tables = () =>
        pg
          .psql(
            "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'public';",
            database,
          )
          .trim();
      expect(tables()).toBe("e2e_infra_migrations,first,half,other_half");
      expect(pg.psql("SELECT string_agg(version::text, ',' ORDER BY version) FROM e2e_infra_migrations;", database).trim()).toBe("1,2");

      const failing = "-- +goose Up\nCREATE TABLE third (id int);\nCOMMIT;\nCREATE TABEL oops (id int);\n";
      const result = apply(
        handMounted({ "001_first.sql": "CREATE TABLE first (id int);\n", "002_commit.sql": good, "003_failing.sql": failing }),
        database,
        shell,
      );
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(
        /^migration 003_failing.sql \(version 3\) failed: 003_failing.sql:4: [^]*ERROR: {2}syntax error at or near "TABEL"[^]*\(it runs without a wrapping transaction: what ran before that stays applied, and the file is not recorded\)\n$/,
      );
      expect(tables()).toBe("e2e_infra_migrations,first,half,other_half,third");
      expect(pg.psql("SELECT string_agg(version::text, ',' ORDER BY version) FROM e2e_infra_migrations;", database).trim()).toBe("1,2");
    },
  );

  it("GIVEN a NO TRANSACTION migration with its own BEGIN/COMMIT THEN it runs as goose runs it: its transaction commits, or rolls back when a statement in it fails", () => {
    pg.psql("CREATE DATABASE own_transactions;");
    const own =
      "-- +goose NO TRANSACTION\n-- +goose Up\nCREATE TABLE before_it (id int);\nBEGIN;\nCREATE TABLE inside_a (id int);\nCREATE TABLE inside_b (id int);\nCOMMIT;\n";
    expect(apply(handMounted({ "001_own.sql": own }), "own_transactions").status).toBe(0);
    const failing =
      "-- +goose NO TRANSACTION\nCREATE TABLE before_that (id int);\nBEGIN;\nCREATE TABLE inside_c (id int);\nCREATE TABEL oops (id int);\nCOMMIT;\n";
    const result = apply(handMounted({ "001_own.sql": own, "002_failing.sql": failing }), "own_transactions");
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /^migration 002_failing.sql \(version 2\) failed: 002_failing.sql:5: ERROR: {2}syntax error at or near "TABEL"/,
    );
    expect(
      pg
        .psql(
          "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'public';",
          "own_transactions",
        )
        .trim(),
    ).toBe("before_it,before_that,e2e_infra_migrations,inside_a,inside_b");
    expect(pg.psql("SELECT string_agg(file, ',') FROM e2e_infra_migrations;", "own_transactions").trim()).toBe("001_own.sql");
  });

  // Issue 12, defect 6: psql ran meta-commands in migrations (\! runs a shell in the Job's
  // container), where goose sends everything to the server as SQL.
  it.each(["dash", "busybox"] as const)(
    "GIVEN psql meta-commands in a migration and %s THEN psql does not run them: the server gets them as SQL (a syntax error, as under goose) and nothing is applied",
    (shell) => {
      const database = `meta_${shell}`;
      pg.psql(`CREATE DATABASE ${database};`);
      const markers = mkdtempSync(join(tmpdir(), "meta-commands-"));
      const mount = handMounted({
        "001_meta.sql": `CREATE TABLE meta (id int);\n\\! touch ${markers}/line-start\nSELECT 1; \\! touch ${markers}/mid-line\n`,
      });
      const result = apply(mount, database, shell);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/^migration 001_meta.sql \(version 1\) failed: 001_meta.sql:2: ERROR: {2}syntax error at or near "\\"/);
      expect(existsSync(join(markers, "line-start"))).toBe(false);
      expect(existsSync(join(markers, "mid-line"))).toBe(false);
      expect(pg.psql("SELECT to_regclass('public.meta') IS NULL;", database).trim()).toBe("t");

      // Nor after a statement on the same line, nor psql variables (:name) in SQL.
      pg.psql(`CREATE DATABASE ${database}_2;`);
      const second = apply(handMounted({ "001_meta.sql": `SELECT 1; \\! touch ${markers}/mid-line\n` }), `${database}_2`, shell);
      expect(second.stderr).toMatch(/^migration 001_meta.sql \(version 1\) failed: 001_meta.sql:1: ERROR: {2}syntax error at or near "\\"/);
      expect(existsSync(join(markers, "mid-line"))).toBe(false);
      pg.psql(`CREATE DATABASE ${database}_3;`);
      const variables = apply(
        handMounted({ "001_vars.sql": "CREATE TABLE vars AS SELECT ':e2e_file' AS quoted, 2 AS e2e_file;\nSELECT :e2e_file;\n" }),
        `${database}_3`,
        shell,
      );
      expect(variables.stderr).toMatch(
        /^migration 001_vars.sql \(version 1\) failed: 001_vars.sql:2: ERROR: {2}syntax error at or near ":"/,
      );
    },
  );

  it("GIVEN the script THEN shellcheck finds nothing", () => {
    expect(shellcheck([join(__dirname, "..", "scripts", "apply-migrations.sh")])).toBe("");
  });

  it("GIVEN another session holding the migrations lock THEN a run waits for it, and fails after LOCK_TRIES tries saying who to look for", async () => {
    pg.psql("CREATE DATABASE held;");
    const mount = handMounted({ "001_a.sql": "CREATE TABLE a (id int);\n" });
    const holder = () =>
      inBackground({
        file: "psql",
        args: ["-X", "-q", "-d", "held", "-c", "SELECT pg_advisory_lock(7292002207198177138)", "-c", "SELECT pg_sleep(2)"],
        env: { ...process.env, ...pg.env },
      });

    const held = async () => {
      while (pg.psql("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted;", "held").trim() !== "1") {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };

    let holding = holder();
    await held();
    const impatient = apply(mount, "held", "busybox", { LOCK_TRIES: "2" });
    expect(impatient.status).toBe(1);
    expect(impatient.stderr).toMatch(
      /^another session held the migrations lock \(advisory lock 7292002207198177138\) through 2 tries: .*pg_locks/,
    );
    expect((await holding).status).toBe(0);

    holding = holder();
    await held();
    const patient = await inBackground(command(mount, "held", "dash", join(mount, "termination-log")));
    expect(patient.stderr).toBe("");
    expect(patient.stdout).toBe(
      "waiting for another migrations run to finish (advisory lock 7292002207198177138)\napplied 001_a.sql\nmigrations: 1 applied, 0 already applied\n",
    );
    expect((await holding).status).toBe(0);
  });

  it("GIVEN a migration that changes its session's settings (pg_dump's empty search_path) THEN it is still recorded, and the next migration starts from the defaults", () => {
    pg.psql("CREATE DATABASE settings;");
    const result = apply(
      handMounted({
        "001_dumped.sql":
          "SELECT pg_catalog.set_config('search_path', '', false);\nSET statement_timeout = '5min';\nCREATE TEMPORARY TABLE scratch (id int);\nCREATE TABLE public.one (id int);\n",
        "002_plain.sql":
          "CREATE TEMPORARY TABLE scratch (id int);\nCREATE TABLE two AS SELECT current_setting('statement_timeout') AS timeout;\n",
      }),
      "settings",
    );
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(pg.psql("SELECT timeout FROM public.two;", "settings").trim()).toBe("0");
    expect(pg.psql("SELECT string_agg(file, ',' ORDER BY version) FROM e2e_infra_migrations;", "settings").trim()).toBe(
      "001_dumped.sql,002_plain.sql",
    );
  });
});
