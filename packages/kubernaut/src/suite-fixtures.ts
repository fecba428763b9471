import type { KindCluster } from "@e2e-infra/kind-cluster";
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

// What the suites of the Kubernaut Agent's investigations (aianalysis, kubernautagent) look at and
// connect with, as their setups make them (createEnrichmentFixtures, the suites' ServiceAccounts):
// objects of the cluster, not of the release.

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
  // The bare pods run as a ServiceAccount of the stack's in their namespace: admission refuses a
  // pod whose account does not exist yet, and a namespace's `default` account comes from the
  // controller manager some time after the namespace (or, in default, the cluster) is there.
  const account = (key: string, ns: pulumi.Input<string>) =>
    new k8s.core.v1.ServiceAccount(
      `fixture-${key}-sa`,
      { metadata: { name: "enrichment-fixture", namespace: ns }, automountServiceAccountToken: false },
      options,
    ).metadata.name;
  const pod = (name: string, ns: pulumi.Input<string>, serviceAccountName: pulumi.Input<string>) =>
    new k8s.core.v1.Pod(
      `fixture-${name}`,
      {
        metadata: { name, namespace: ns, labels: { app: name } },
        spec: { restartPolicy: "Never", serviceAccountName, containers: [container] },
      },
      options,
    );
  deployment("api-server", production);
  const productionAccount = account("production", production);
  for (const name of ["recovered-pod", "api-server-def456", "ambiguous-pod", "failing-pod", "failed-analysis-pod"])
    pod(name, production, productionAccount);
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
  pod("test-pod", "default", account("default", "default"));
}

/**
 * A ServiceAccount a suite requests tokens of, allowed to call DataStorage (ClusterRole
 * data-storage-client, which the release renders) and, with `rules`, what they allow in the
 * namespace (a Role and RoleBinding `<roleName>`).
 */
export function suiteClient(
  cluster: KindCluster,
  namespace: pulumi.Input<string>,
  name: string,
  role?: { name: string; rules: k8s.types.input.rbac.v1.PolicyRule[] },
): void {
  const options = { provider: cluster.provider, deletedWith: cluster.deletedWith };
  const account = new k8s.core.v1.ServiceAccount(`suite-client-${name}`, { metadata: { name, namespace } }, options);
  const subjects = [{ kind: "ServiceAccount", name: account.metadata.name, namespace }];
  new k8s.rbac.v1.RoleBinding(
    `suite-client-${name}-datastorage-access`,
    {
      metadata: { name: `${name}-datastorage-access`, namespace },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "data-storage-client" },
      subjects,
    },
    options,
  );
  if (role === undefined) return;
  const created = new k8s.rbac.v1.Role(
    `suite-client-${role.name}`,
    { metadata: { name: role.name, namespace }, rules: role.rules },
    options,
  );
  new k8s.rbac.v1.RoleBinding(
    `suite-client-${role.name}-binding`,
    {
      metadata: { name: role.name, namespace },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: created.metadata.name },
      subjects,
    },
    options,
  );
}
