import { inClusterOptions } from "@e2e-infra/core";
import { KindCluster } from "@e2e-infra/kind-cluster";
import { Postgres } from "@e2e-infra/postgres";
import * as k8s from "@pulumi/kubernetes";

const cluster = new KindCluster("cluster", {
  name: "datastorage-e2e",
  nodes: [{ role: "control-plane", extraPortMappings: [{ containerPort: 30432, hostPort: 25433 }] }],
});
const namespace = new k8s.core.v1.Namespace("ns", { metadata: { name: "datastorage-e2e" } }, inClusterOptions(cluster, cluster));

// slm_user / test_password / action_history, as the reference suites expect; NodePort 30432 reaches it from the host.
const postgres = new Postgres("postgres", { cluster, namespace: namespace.metadata.name, nodePort: 30432 });

// Resolves once pg_isready answers over TCP; a secret.
export const databaseUrl = postgres.url;
