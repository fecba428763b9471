export { DataStorage, type DataStorageArgs } from "./data-storage";
export { CONFIG_DIR, HTTP_PORT, METRICS_PORT, renderConfig, renderSecrets, SECRETS_DIR, type DataStorageConfigInput } from "./config";
