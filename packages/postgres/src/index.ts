export { DEFAULT_INIT_SQL, Postgres, READINESS_COMMAND, THROWAWAY_SETTINGS, type PostgresArgs } from "./postgres";
export { DEFAULT_STORAGE_SIZE, MIN_STORAGE_MEBIBYTES, dataClaimName, requireStorageSize } from "./storage";
