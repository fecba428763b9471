import { inClusterOptions } from "@e2e-infra/core";
import { ImageBuildLoad } from "@e2e-infra/image-build-load";
import { KindCluster } from "@e2e-infra/kind-cluster";
import { capture, startRedis, validateKubernetesResources } from "@e2e-infra/testing";
import * as k8s from "@pulumi/kubernetes";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readinessCommand, Redis, type RedisArgs } from "./index";

function environment(args: Partial<Omit<RedisArgs, "cluster" | "namespace">> = {}) {
  const context = mkdtempSync(join(tmpdir(), "redis-ctx-"));
  writeFileSync(join(context, "Dockerfile"), "FROM scratch\n");
  return capture(() => {
    const cluster = new KindCluster("kind", { name: "redis-e2e" });
    const ns = new k8s.core.v1.Namespace("ns", { metadata: { name: "kubernaut-system" } }, inClusterOptions(cluster, cluster));
    new ImageBuildLoad("ds", { cluster, imageName: "localhost/datastorage", context });
    const redis = new Redis("redis", { cluster, namespace: ns.metadata.name, ...args });
    new k8s.core.v1.ConfigMap(
      "consumer",
      { metadata: { namespace: "kubernaut-system" }, data: { addr: redis.address } },
      inClusterOptions(cluster, cluster),
    );
    return { address: redis.address, url: redis.url };
  });
}

describe("Redis graph", () => {
  it("GIVEN a stack WHEN captured THEN Redis depends on its namespace only, and its outputs on the Deployment's readiness", async () => {
    const { graph, outputs } = await environment();
    const redis = graph.one({ type: "e2e-infra:index:Redis" });
    const ns = graph.one({ type: "kubernetes:core/v1:Namespace" });
    const deployment = graph.one({ type: "kubernetes:apps/v1:Deployment", under: redis });
    const service = graph.one({ type: "kubernetes:core/v1:Service", under: redis });
    expect(deployment.dependencies).toStrictEqual([ns.urn]);
    expect(service.dependencies).toStrictEqual([ns.urn]);
    expect([...graph.one({ name: "consumer" }).dependencies].sort()).toStrictEqual([deployment.urn, service.urn].sort());
    for (const part of graph.descendants(graph.one({ type: "e2e-infra:index:ImageBuildLoad" }))) {
      for (const mine of graph.descendants(redis)) expect(graph.independent(mine, part)).toBe(true);
    }
    for (const mine of graph.descendants(redis)) expect(mine.deletedWith).toBe(graph.one({ name: "kind-cluster" }).urn);
    expect(outputs).toStrictEqual({
      address: "redis.kubernaut-system.svc.cluster.local:6379",
      url: "redis://redis.kubernaut-system.svc.cluster.local:6379/0",
    });
    const container = (deployment.inputs["spec"] as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec
      .containers[0];
    expect(container?.image).toBe("quay.io/jordigilh/redis:7-alpine");
    expect(await validateKubernetesResources(graph)).toMatchObject({ withoutSchema: [] });
  });

  it.each([
    // A Service name is a DNS-1035 label: a DNS-1123 label starting with a letter.
    [{ serviceName: "6redis" }, 'Redis "redis": serviceName is "6redis"; expected a DNS-1035 label'],
    [{ image: "quay.io/jordigilh/redis:" }, 'Redis "redis": image is "quay.io/jordigilh/redis:"; expected an image reference'],
  ])("GIVEN %j THEN construction fails naming it", async (args, message) => {
    await expect(environment(args)).rejects.toThrow(message);
  });

  it("GIVEN a NodePort outside the range THEN construction fails naming it", async () => {
    await expect(environment({ nodePort: 6379 })).rejects.toThrow(
      'Redis "redis": nodePort is 6379; expected a NodePort from 30000 to 32767',
    );
  });
});

describe("Redis readiness for real", () => {
  // As the kubelet runs it in the pod: with the service links of the component's Service "redis".
  const probe = (port: number) => {
    const [cmd, ...args] = readinessCommand(port);
    return spawnSync(cmd!, args, { env: { ...process.env, REDIS_PORT: "tcp://10.96.0.10:6379", REDIS_SERVICE_PORT: "6379" } }).status;
  };

  it("GIVEN redis-server answering PONG THEN ready; GIVEN it refuses (NOAUTH) or is gone THEN not ready", async () => {
    const open = await startRedis();
    const locked = await startRedis(["--requirepass", "secret"]);
    try {
      expect(probe(open.port)).toBe(0);
      expect(probe(locked.port)).not.toBe(0);
    } finally {
      await locked.stop();
      await open.stop();
    }
    expect(probe(open.port)).not.toBe(0);
  });
});
