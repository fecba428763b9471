/** What the DataStorage config file needs to know. */
export interface DataStorageConfigInput {
  namespace: string;
  postgresService: string;
  database: string;
  user: string;
  redisService: string;
  logLevel: string;
}

export const CONFIG_DIR = "/etc/datastorage";
export const SECRETS_DIR = "/etc/datastorage/secrets";
export const HTTP_PORT = 8080;
export const METRICS_PORT = 9181;

/**
 * DataStorage's config.yaml, as the reference setup writes it: server, database (pool and the
 * credentials file), Redis (with its dead-letter stream) and logging. Hosts are the Services'
 * in-cluster names; credentials live in the Secret's files, not here.
 */
export function renderConfig(input: DataStorageConfigInput): string {
  return `service:
  name: data-storage
  metricsPort: ${METRICS_PORT}
  logLevel: ${input.logLevel}
  shutdownTimeout: 30s
server:
  port: ${HTTP_PORT}
  host: 0.0.0.0
  read_timeout: 30s
  write_timeout: 30s
database:
  host: ${input.postgresService}.${input.namespace}.svc.cluster.local
  port: 5432
  name: ${input.database}
  user: ${input.user}
  ssl_mode: disable
  max_open_conns: 25
  max_idle_conns: 5
  conn_max_lifetime: 5m
  conn_max_idle_time: 10m
  secretsFile: ${SECRETS_DIR}/db-secrets.yaml
  usernameKey: username
  passwordKey: password
redis:
  addr: ${input.redisService}.${input.namespace}.svc.cluster.local:6379
  db: 0
  dlq_stream_name: dlq-stream
  dlq_max_len: 1000
  dlq_consumer_group: dlq-group
  secretsFile: ${SECRETS_DIR}/redis-secrets.yaml
  passwordKey: password
logging:
  level: ${input.logLevel}
  format: json
`;
}

/** The credential files DataStorage reads (YAML; the password is quoted so any characters survive). */
export function renderSecrets(user: string, password: string): Record<string, string> {
  return {
    "db-secrets.yaml": `username: ${user}\npassword: ${JSON.stringify(password)}\n`,
    "redis-secrets.yaml": 'password: ""\n',
  };
}
