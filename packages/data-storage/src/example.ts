import { inClusterOptions } from "@e2e-infra/core";
import { DataStorage } from "@e2e-infra/data-storage";
import { ImageBuildLoad } from "@e2e-infra/image-build-load";
import { API_THROUGHPUT_PATCH, KindCluster } from "@e2e-infra/kind-cluster";
import { Migrations } from "@e2e-infra/migrations";
import { Postgres } from "@e2e-infra/postgres";
import { Redis } from "@e2e-infra/redis";
import * as k8s from "@pulumi/kubernetes";
import { join } from "node:path";

// In a stack, a checkout of the service repository; here, this package's fixtures.
const repository = join(__dirname, "..", "test", "fixtures");

const cluster = new KindCluster("cluster", {
  name: "datastorage-e2e",
  nodes: [{ role: "control-plane", extraPortMappings: [{ containerPort: 30081, hostPort: 28090 }] }, { role: "worker" }],
  kubeadmConfigPatches: [API_THROUGHPUT_PATCH],
});
const namespace = new k8s.core.v1.Namespace("ns", { metadata: { name: "datastorage-e2e" } }, inClusterOptions(cluster, cluster)).metadata
  .name;

// All of these start at once; each waits only for what it uses.
const image = new ImageBuildLoad("datastorage-image", { cluster, imageName: "localhost/datastorage", context: join(repository, "image") });
const database = new Postgres("postgres", { cluster, namespace });
const redis = new Redis("redis", { cluster, namespace });
const migrations = new Migrations("migrations", { cluster, namespace, database, directory: join(repository, "migrations") });

// Starts once its image is loaded, the migrations are applied and Redis and Postgres are ready.
const dataStorage = new DataStorage("datastorage", { cluster, namespace, image, database, redis, migrations });

export const dataStorageUrl = dataStorage.hostUrl; // http://localhost:28090
