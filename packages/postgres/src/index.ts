export { DEFAULT_INIT_SQL, Postgres, READINESS_COMMAND, THROWAWAY_SETTINGS, type PostgresArgs } from "./postgres";
