import type { KindCluster } from "@e2e-infra/kind-cluster";
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

// What the suite's investigations look at and connect with, as its setup makes them
// (createEnrichmentFixtures, the suite's ServiceAccount): objects of the cluster, not of the release.

const PAUSE = "registry.k8s.io/pause:3.9";
const SMALL = { requests: { cpu: "10m", memory: "8Mi" }, limits: { cpu: "50m", memory: "16Mi" } };

/**
 * The enrichment fixtures: namespaces production and staging with the workloads the mock LLM's
 * scenarios name (pause containers), a claim that never binds, a disruption budget, and a pod in
 * default. unreachable-pod is left out on purpose, as the suite's setup leaves it out (an
 * investigation of it is incomplete).
 */
export function enrichmentFixtures(cluster: KindCluster): void {
  const options = { provider: cluster.provider, deletedWith: cluster.deletedWith };
  const namespace = (name: string) => new k8s.core.v1.Namespace(`fixture-${name}`, { metadata: { name } }, options).metadata.name;
  const production = namespace("production");
  const staging = namespace("staging");
  const container = { name: "app", image: PAUSE, resources: SMALL };
  const deployment = (name: string, ns: pulumi.Input<string>) =>
    new k8s.apps.v1.Deployment(
      `fixture-${name}`,
      {
        metadata: { name, namespace: ns, labels: { app: name } },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: name } },
          template: { metadata: { labels: { app: name } }, spec: { containers: [container] } },
        },
      },
      { ...options, customTimeouts: { create: "5m" } },
    );
  const pod = (name: string, ns: pulumi.Input<string>) =>
    new k8s.core.v1.Pod(
      `fixture-${name}`,
      { metadata: { name, namespace: ns, labels: { app: name } }, spec: { restartPolicy: "Never", containers: [container] } },
      options,
    );
  deployment("api-server", production);
  for (const name of ["recovered-pod", "api-server-def456", "ambiguous-pod", "failing-pod", "failed-analysis-pod"]) pod(name, production);
  new k8s.core.v1.PersistentVolumeClaim(
    "fixture-batch-job-pvc-expired",
    {
      // No storage class and no consumer: it stays Pending, as the scenario reads it.
      metadata: { name: "batch-job-pvc-expired", namespace: production, annotations: { "pulumi.com/skipAwait": "true" } },
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Mi" } } },
    },
    options,
  );
  deployment("worker", staging);
  new k8s.policy.v1.PodDisruptionBudget(
    "fixture-worker-pdb",
    { metadata: { name: "worker-pdb", namespace: staging }, spec: { minAvailable: 1, selector: { matchLabels: { app: "worker" } } } },
    options,
  );
  pod("test-pod", "default");
}

/**
 * The ServiceAccount the suite reads DataStorage with (it requests its token), allowed to call
 * DataStorage (ClusterRole data-storage-client, which the release renders).
 */
export function suiteClient(cluster: KindCluster, namespace: pulumi.Input<string>, name: string): void {
  const options = { provider: cluster.provider, deletedWith: cluster.deletedWith };
  const account = new k8s.core.v1.ServiceAccount(`suite-client-${name}`, { metadata: { name, namespace } }, options);
  new k8s.rbac.v1.RoleBinding(
    `suite-client-${name}-datastorage-access`,
    {
      metadata: { name: `${name}-datastorage-access`, namespace },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "data-storage-client" },
      subjects: [{ kind: "ServiceAccount", name: account.metadata.name, namespace }],
    },
    options,
  );
}
