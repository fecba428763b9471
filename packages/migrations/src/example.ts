import { inClusterOptions } from "@e2e-infra/core";
import { KindCluster } from "@e2e-infra/kind-cluster";
import { Migrations } from "@e2e-infra/migrations";
import { Postgres } from "@e2e-infra/postgres";
import * as k8s from "@pulumi/kubernetes";
import { join } from "node:path";

const cluster = new KindCluster("cluster", { name: "datastorage-e2e" });
const namespace = new k8s.core.v1.Namespace("ns", { metadata: { name: "datastorage-e2e" } }, inClusterOptions(cluster, cluster));
const database = new Postgres("postgres", { cluster, namespace: namespace.metadata.name });

// In a stack: join(serviceRepository, "migrations"). The Job starts once Postgres is ready.
const migrations = new Migrations("migrations", {
  cluster,
  namespace: namespace.metadata.name,
  database,
  directory: join(__dirname, "..", "test", "fixtures", "goose"),
});

// The migration set's hash, once every migration is applied: give it to whatever needs the schema.
export const schema = migrations.applied;
