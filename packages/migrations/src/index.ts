export { APPLY_SCRIPT, Migrations, requireMigrationSelection, type MigrationsArgs } from "./migrations";
export { discoverMigrations, manifest, MAX_MIGRATIONS_BYTES, migrationSetHash, type Migration } from "./discover";
