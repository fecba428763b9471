import { inClusterOptions } from "@e2e-infra/core";
import { KindCluster } from "@e2e-infra/kind-cluster";
import { Redis } from "@e2e-infra/redis";
import * as k8s from "@pulumi/kubernetes";

const cluster = new KindCluster("cluster", { name: "datastorage-e2e" });
const namespace = new k8s.core.v1.Namespace("ns", { metadata: { name: "datastorage-e2e" } }, inClusterOptions(cluster, cluster));

const redis = new Redis("redis", { cluster, namespace: namespace.metadata.name });

// "redis.datastorage-e2e.svc.cluster.local:6379", once redis-cli ping answers PONG.
export const redisAddress = redis.address;
