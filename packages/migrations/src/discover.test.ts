import { mkdtempSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { discoverMigrations, manifest, migrationSetHash } from "./index";

const fixtures = join(__dirname, "..", "test", "fixtures", "goose");

function directory(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "migrations-"));
  for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
  return dir;
}

describe("discoverMigrations", () => {
  it("GIVEN the fixture directory THEN migrations in numeric order, other files and directories ignored", () => {
    const migrations = discoverMigrations("s", fixtures);
    expect(migrations.map((m) => `${m.version} ${m.file}`)).toStrictEqual([
      "1 001_initial_schema.sql",
      "2 002_stored_procedures.sql",
      "3 003_concurrent_index.sql",
      "9 9_add_status.sql",
      "10 10_no_transaction.sql",
    ]);
    expect(manifest(migrations)).toBe(
      "1 001_initial_schema.sql\n2 002_stored_procedures.sql\n3 003_concurrent_index.sql\n9 9_add_status.sql\n10 10_no_transaction.sql\n",
    );
  });

  it("GIVEN only (names or versions) THEN that subset, in version order", () => {
    expect(discoverMigrations("s", fixtures, [10, "001_initial_schema.sql", "003"]).map((m) => m.file)).toStrictEqual([
      "001_initial_schema.sql",
      "003_concurrent_index.sql",
      "10_no_transaction.sql",
    ]);
  });

  it("GIVEN a change to one file's content THEN the set hash changes; the same content elsewhere THEN it does not", () => {
    const files = { "001_a.sql": "CREATE TABLE a (id int);", "002_b.sql": "CREATE TABLE b (id int);" };
    const base = migrationSetHash(discoverMigrations("s", directory(files)));
    expect(migrationSetHash(discoverMigrations("s", directory(files)))).toBe(base);
    expect(migrationSetHash(discoverMigrations("s", directory({ ...files, "002_b.sql": "CREATE TABLE b (id bigint);" })))).not.toBe(base);
    expect(migrationSetHash(discoverMigrations("s", directory({ ...files, "003_c.sql": "SELECT 1;" })))).not.toBe(base);
  });

  it("GIVEN bad directories THEN errors name the argument, the value and what is valid", () => {
    expect(() => discoverMigrations('Migrations "m"', "/no/such/dir")).toThrow(
      'Migrations "m": directory is "/no/such/dir"; expected an existing directory of <version>_<name>.sql files',
    );
    const empty = directory({ "README.md": "none here" });
    mkdirSync(join(empty, "1_dir.sql"));
    expect(() => discoverMigrations("s", empty)).toThrow(/expected at least one migration: files named <version>_<name>.sql/);
    expect(() => discoverMigrations("s", directory({ "002_a.sql": "", "2_b.sql": "" }))).toThrow(
      /expected one file per version; 002_a.sql and 2_b.sql are both version 2/,
    );
    expect(() => discoverMigrations("s", fixtures, ["004_missing.sql"])).toThrow(
      /only is "004_missing.sql"; expected a migration in .*: one of 001_initial_schema.sql/,
    );
    expect(() => discoverMigrations("s", directory({ "001_a b.sql": "" }))).toThrow(
      /directory is "001_a b.sql"; expected migration file names of letters/,
    );
    expect(() => discoverMigrations("s", directory({ "001_big.sql": "x".repeat(1_000_001) }))).toThrow(
      /expected at most 1000000 bytes of SQL \(one ConfigMap\); these migrations have 1000001/,
    );
  });

  it("GIVEN a migration that is a symbolic link out of the directory THEN discovery refuses it, naming the file and its target", () => {
    const outside = directory({ "secret.sql": "SELECT 'not a migration';" });
    const dir = directory({ "001_a.sql": "SELECT 1;" });
    symlinkSync(join(outside, "secret.sql"), join(dir, "002_linked.sql"));
    expect(() => discoverMigrations('Migrations "m"', dir)).toThrow(
      `Migrations "m": directory is ${JSON.stringify(join(dir, "002_linked.sql"))}; expected migration files inside ${realpathSync(dir)}; it is a symbolic link to ${JSON.stringify(join(outside, "secret.sql"))} (${realpathSync(join(outside, "secret.sql"))}), outside it`,
    );
    // Relative, through a link inside the directory, or dangling: the same.
    const up = directory({});
    symlinkSync(join("..", basename(outside), "secret.sql"), join(up, "001_up.sql"));
    expect(() => discoverMigrations("s", up)).toThrow(
      `001_up.sql"; expected migration files inside ${realpathSync(up)}; it is a symbolic link to "../${basename(outside)}/secret.sql" (${realpathSync(outside)}/secret.sql), outside it`,
    );
    const chained = directory({});
    symlinkSync(join(outside, "secret.sql"), join(chained, "hop"));
    symlinkSync("hop", join(chained, "001_chained.sql"));
    expect(() => discoverMigrations("s", chained)).toThrow(/001_chained.sql"; expected migration files inside .*, outside it/);
    const dangling = directory({});
    symlinkSync(join(outside, "missing.sql"), join(dangling, "001_gone.sql"));
    expect(() => discoverMigrations("s", dangling)).toThrow(
      /001_gone.sql"; expected a migration file; it is a symbolic link to ".*missing.sql", which does not exist/,
    );
  });

  it("GIVEN a symbolic link to a file inside the directory (or a linked directory) THEN it is followed", () => {
    const dir = directory({ "001_a.sql": "SELECT 1;" });
    mkdirSync(join(dir, "shared"));
    writeFileSync(join(dir, "shared", "b.sql"), "SELECT 2;");
    symlinkSync(join("shared", "b.sql"), join(dir, "002_b.sql"));
    const linkedDirectory = join(mkdtempSync(join(tmpdir(), "migrations-link-")), "migrations");
    symlinkSync(dir, linkedDirectory);
    expect(discoverMigrations("s", linkedDirectory).map((m) => `${m.file} ${m.content}`)).toStrictEqual([
      "001_a.sql SELECT 1;",
      "002_b.sql SELECT 2;",
    ]);
  });

  it("GIVEN SQL that goose would not run as written THEN discovery refuses the file naming it and the line; outside only THEN not", () => {
    const dir = directory({
      "001_a.sql": "SELECT 1;",
      "002_meta.sql": "-- +goose Up\nCREATE TABLE a (id int);\n\\! id\n",
      "003_copy.sql": "COPY b FROM STDIN;\n",
      "004_commit.sql": "CREATE TABLE c (id int);\nCOMMIT;\n",
    });
    expect(() => discoverMigrations('Migrations "m"', dir)).toThrow(
      `Migrations "m": directory is ${JSON.stringify(join(dir, "002_meta.sql"))}; expected SQL that goose runs as written: line 3: "\\\\! id" is a psql meta-command`,
    );
    expect(() => discoverMigrations('Migrations "m"', dir, [1, 3])).toThrow(
      /003_copy.sql"; expected SQL that goose runs as written: line 1: COPY \.\.\. FROM STDIN/,
    );
    // A file that ends transactions itself is fine: the script runs it without wrapping it.
    expect(discoverMigrations("s", dir, [1, 4]).map((m) => m.file)).toStrictEqual(["001_a.sql", "004_commit.sql"]);
    expect(discoverMigrations("s", dir, [1]).map((m) => m.file)).toStrictEqual(["001_a.sql"]);
  });
});
