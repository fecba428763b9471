import { inClusterOptions } from "@e2e-infra/core";
import { ImageBuildLoad } from "@e2e-infra/image-build-load";
import { Migrations } from "@e2e-infra/migrations";
import { Postgres } from "@e2e-infra/postgres";
import { Redis } from "@e2e-infra/redis";
import { ServiceDeployment } from "@e2e-infra/service-deployment";
import { hostPostgresUrl, readStackSettings, referenceCluster } from "@e2e-infra/stack-kit";
import * as k8s from "@pulumi/kubernetes";
import { join } from "node:path";

// demo-e2e: the bundled demo service (app/) with its migrations (migrations/), on Postgres and
// Redis in a kind cluster. Needs nothing but the prerequisites.
export = () => {
  const settings = readStackSettings(join(__dirname, ".."), ["appHostPort", "postgresHostPort"], []);
  const cluster = referenceCluster(settings, { appHostPort: 30080, postgresHostPort: 30432 });
  const namespace = new k8s.core.v1.Namespace("namespace", { metadata: { name: "demo" } }, inClusterOptions(cluster, cluster)).metadata
    .name;

  const database = new Postgres("postgres", { cluster, namespace, nodePort: 30432, database: "demo", user: "demo", password: "demo" });
  const redis = new Redis("redis", { cluster, namespace });
  const migrations = new Migrations("migrations", { cluster, namespace, database, directory: join(__dirname, "migrations") });
  const image = new ImageBuildLoad("app-image", { cluster, imageName: "localhost/e2e-infra-demo", context: join(__dirname, "app") });

  const app = new ServiceDeployment("app", {
    cluster,
    namespace,
    image,
    workloadName: "demo",
    env: {
      PGHOST: database.host,
      PGDATABASE: database.database,
      PGUSER: database.user,
      PGPASSWORD: { secretKeyRef: { name: database.secretName, key: "POSTGRES_PASSWORD" } },
      REDIS_ADDR: redis.address,
    },
    // It serves /visits from the schema: start once the migrations are applied.
    startAfter: { migrations: migrations.applied },
    ports: [{ name: "http", containerPort: 8080, nodePort: 30080 }],
    readinessProbe: { path: "/health", port: "http" },
    livenessProbe: { path: "/health", port: "http", initialDelaySeconds: 10 },
  });

  return {
    kubeconfigPath: cluster.kubeconfigPath,
    appUrl: app.hostUrls["http"],
    postgresUrl: hostPostgresUrl(database, settings.hostPorts["postgresHostPort"]!),
  };
};
