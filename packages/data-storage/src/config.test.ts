import { describe, expect, it } from "vitest";
import { renderConfig, renderSecrets } from "./index";

describe("DataStorage config", () => {
  it("GIVEN the reference's names THEN config.yaml is the reference's", () => {
    expect(
      renderConfig({
        namespace: "datastorage-e2e",
        postgresService: "postgresql",
        database: "action_history",
        user: "slm_user",
        redisService: "redis",
        logLevel: "debug",
      }),
    ).toBe(`service:
  name: data-storage
  metricsPort: 9181
  logLevel: debug
  shutdownTimeout: 30s
server:
  port: 8080
  host: 0.0.0.0
  read_timeout: 30s
  write_timeout: 30s
database:
  host: postgresql.datastorage-e2e.svc.cluster.local
  port: 5432
  name: action_history
  user: slm_user
  ssl_mode: disable
  max_open_conns: 25
  max_idle_conns: 5
  conn_max_lifetime: 5m
  conn_max_idle_time: 10m
  secretsFile: /etc/datastorage/secrets/db-secrets.yaml
  usernameKey: username
  passwordKey: password
redis:
  addr: redis.datastorage-e2e.svc.cluster.local:6379
  db: 0
  dlq_stream_name: dlq-stream
  dlq_max_len: 1000
  dlq_consumer_group: dlq-group
  secretsFile: /etc/datastorage/secrets/redis-secrets.yaml
  passwordKey: password
logging:
  level: debug
  format: json
`);
  });

  it("GIVEN a password with YAML syntax THEN the credential file quotes it", () => {
    expect(renderSecrets("slm_user", 'p: "#1')).toStrictEqual({
      "db-secrets.yaml": 'username: slm_user\npassword: "p: \\"#1"\n',
      "redis-secrets.yaml": 'password: ""\n',
    });
  });
});
