import { ArgumentError } from "@e2e-infra/core";
import { createHash } from "node:crypto";
import { existsSync, lstatSync, readFileSync, readdirSync, readlinkSync, realpathSync, statSync } from "node:fs";
import { isAbsolute, join, relative, sep } from "node:path";
import { migrationSqlProblems } from "./sql";

/** One migration file. */
export interface Migration {
  /** The numeric prefix, e.g. "13" for 013_create_audit_events_table.sql. */
  version: string;
  file: string;
  content: string;
  sha256: string;
}

const MIGRATION_FILE = /^(\d+)_.+\.sql$/;
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;
/** A ConfigMap holds at most 1 MiB; leave room for the script, manifest and metadata. */
export const MAX_MIGRATIONS_BYTES = 1_000_000;

/**
 * The migrations in `directory`: files named `<digits>_<name>.sql` (others, and directories such
 * as testdata/, are ignored), ordered by version as numbers (2 before 10), like goose. `only`
 * keeps a named subset (file names or versions), still in version order. A symbolic link is
 * followed only to a file inside the directory. The chosen files' SQL must run as goose runs it
 * (see migrationSqlProblems): no psql meta-commands, no COPY FROM STDIN.
 */
export function discoverMigrations(subject: string, directory: string, only?: readonly (string | number)[]): Migration[] {
  if (typeof directory !== "string" || !existsSync(directory) || !statSync(directory).isDirectory()) {
    throw new ArgumentError(subject, "directory", directory, "expected an existing directory of <version>_<name>.sql files");
  }
  const root = realpathSync(directory);
  const byVersion = new Map<bigint, Migration>();
  for (const file of readdirSync(directory).sort()) {
    const match = MIGRATION_FILE.exec(file);
    if (match === null) continue;
    const path = join(directory, file);
    if (lstatSync(path).isSymbolicLink()) checkLink(subject, root, path);
    if (!statSync(path).isFile()) continue;
    const version = BigInt(match[1]!);
    const earlier = byVersion.get(version);
    if (earlier !== undefined) {
      throw new ArgumentError(
        subject,
        "directory",
        directory,
        `expected one file per version; ${earlier.file} and ${file} are both version ${version}`,
      );
    }
    if (!CONFIG_MAP_KEY.test(file)) {
      throw new ArgumentError(
        subject,
        "directory",
        file,
        "expected migration file names of letters, digits, '-', '_' and '.' (they become ConfigMap keys)",
      );
    }
    const content = readFileSync(join(directory, file), "utf8");
    byVersion.set(version, { version: version.toString(), file, content, sha256: createHash("sha256").update(content).digest("hex") });
  }
  const all = [...byVersion.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, migration]) => migration);
  if (all.length === 0) {
    throw new ArgumentError(
      subject,
      "directory",
      directory,
      "expected at least one migration: files named <version>_<name>.sql, e.g. 001_initial_schema.sql",
    );
  }
  let chosen = all;
  if (only !== undefined) {
    const wanted = new Set(only.map((entry) => String(entry)));
    for (const entry of wanted) {
      if (!all.some((migration) => migration.file === entry || migration.version === entry.replace(/^0+(?=\d)/, ""))) {
        throw new ArgumentError(
          subject,
          "only",
          entry,
          `expected a migration in ${directory}: one of ${all.map((m) => m.file).join(", ")}`,
        );
      }
    }
    chosen = all.filter((migration) =>
      [...wanted].some((entry) => migration.file === entry || migration.version === entry.replace(/^0+(?=\d)/, "")),
    );
  }
  for (const migration of chosen) {
    const problems = migrationSqlProblems(migration.content);
    if (problems.length > 0) {
      throw new ArgumentError(
        subject,
        "directory",
        join(directory, migration.file),
        `expected SQL that goose runs as written: ${problems.join("; ")}`,
      );
    }
  }
  const bytes = chosen.reduce((total, migration) => total + Buffer.byteLength(migration.content), 0);
  if (bytes > MAX_MIGRATIONS_BYTES) {
    throw new ArgumentError(
      subject,
      "directory",
      directory,
      `expected at most ${MAX_MIGRATIONS_BYTES} bytes of SQL (one ConfigMap); these migrations have ${bytes}`,
    );
  }
  return chosen;
}

/** A migration that is a symbolic link must lead to a file inside the migrations directory (`root`, resolved). */
function checkLink(subject: string, root: string, path: string): void {
  const link = readlinkSync(path);
  let target: string;
  try {
    target = realpathSync(path);
  } catch {
    throw new ArgumentError(
      subject,
      "directory",
      path,
      `expected a migration file; it is a symbolic link to ${JSON.stringify(link)}, which does not exist`,
    );
  }
  const inside = relative(root, target);
  if (inside === ".." || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    throw new ArgumentError(
      subject,
      "directory",
      path,
      `expected migration files inside ${root}; it is a symbolic link to ${JSON.stringify(link)} (${target}), outside it: copy the file in instead`,
    );
  }
}

/** The manifest the apply script reads: "version file" per line, in order. */
export function manifest(migrations: readonly Migration[]): string {
  return migrations.map((migration) => `${migration.version} ${migration.file}\n`).join("");
}

/** SHA-256 of the migration set (order, names, contents): the Job runs again exactly when it changes. */
export function migrationSetHash(migrations: readonly Migration[]): string {
  const hash = createHash("sha256");
  for (const migration of migrations) hash.update(`${migration.version} ${migration.file} ${migration.sha256}\n`);
  return hash.digest("hex");
}
