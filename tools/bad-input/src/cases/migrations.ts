import { Migrations, type MigrationsArgs } from "@e2e-infra/migrations";
import { join } from "node:path";
import { casesFor, type ComponentCatalogue } from "../catalogue";
import { CRD_FILE, fakeCluster, fakePostgres, files, MIGRATIONS } from "../fakes";

const good = (): MigrationsArgs =>
  ({ cluster: fakeCluster(), namespace: "kubernaut-system", database: fakePostgres(), directory: MIGRATIONS }) as unknown as MigrationsArgs;
const { bad, baseline } = casesFor<MigrationsArgs>("Migrations", (name, args) => new Migrations(name, args), good, "migrations");
const ONLY = "expected a list of migration file names or versions";

/** Migrations: every argument (cluster, namespace, database, directory, only). */
export const migrations: ComponentCatalogue = {
  component: "Migrations",
  args: { file: "packages/migrations/src/migrations.ts", type: "MigrationsArgs" },
  baseline,
  cases: [
    bad("no cluster", { cluster: undefined }, "cluster", undefined, "expected a cluster"),
    bad("no namespace", { namespace: undefined }, "namespace", undefined, "expected a namespace"),
    bad("a namespace with upper case", { namespace: "Kubernaut" }, "namespace", "Kubernaut", "expected a namespace"),
    bad("no database", { database: undefined }, "database", undefined, "expected a Postgres component"),
    bad(
      "a database given as a URL",
      { database: "postgresql://localhost/db" },
      "database",
      "postgresql://localhost/db",
      "expected a Postgres component",
    ),
    bad(
      "a directory that does not exist",
      { directory: join(files.dir, "nope") },
      "directory",
      join(files.dir, "nope"),
      "expected an existing directory",
    ),
    bad("a directory that is a number", { directory: 42 }, "directory", 42, "expected an existing directory"),
    bad("a directory that is a file", { directory: CRD_FILE }, "directory", CRD_FILE, "expected an existing directory"),
    bad("a directory without migrations", { directory: files.noSqlDir }, "directory", files.noSqlDir, "expected at least one migration"),
    bad(
      "a migration with a psql meta-command",
      { directory: files.metaCommandDir },
      "directory",
      join(files.metaCommandDir, "001_meta.sql"),
      "expected SQL that goose runs as written",
    ),
    bad("only as one string", { only: "013" }, "only", "013", ONLY),
    bad("only as an empty list (nothing would be applied)", { only: [] }, "only", [], "expected at least one migration"),
    bad("only naming a migration the directory lacks", { only: ["999"] }, "only", "999", "expected a migration in"),
    bad("only with a null entry", { only: [null] }, "only[0]", null, "expected a migration file name or version"),
    bad("only with a version that is no integer", { only: [1.5] }, "only[0]", 1.5, "expected a migration file name or version"),
  ],
};
