import { hostCommand, loadScript, objectUid, type HostCommand } from "@e2e-infra/core";
import type { KindCluster } from "@e2e-infra/kind-cluster";
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { join } from "node:path";
import { stringify } from "yaml";

/**
 * The ActionTypes the suites' test workflows name (their names are the suites'; the descriptions
 * are ours): metadata.name and spec.name.
 */
export const ACTION_TYPES: readonly { name: string; specName: string; what: string; whenToUse: string }[] = [
  { name: "delete-pod", specName: "DeletePod", what: "Delete pods outright.", whenToUse: "Pods are stuck and cannot be restarted." },
  { name: "drain-node", specName: "DrainNode", what: "Cordon and drain a node.", whenToUse: "A node-level fault affects its workloads." },
  {
    name: "fix-authorization-policy",
    specName: "FixAuthorizationPolicy",
    what: "Correct a service mesh authorization policy.",
    whenToUse: "A policy denies legitimate traffic.",
  },
  {
    name: "fix-certificate",
    specName: "FixCertificate",
    what: "Restore the CA Secret behind a certificate issuer.",
    whenToUse: "Certificates stay not ready for a missing CA.",
  },
  {
    name: "increase-memory-limits",
    specName: "IncreaseMemoryLimits",
    what: "Raise containers' memory limits.",
    whenToUse: "Containers are OOM-killed under limits set too low.",
  },
  {
    name: "restart-deployment",
    specName: "RestartDeployment",
    what: "Restart all pods of a workload, rolling.",
    whenToUse: "A fault in state affects the whole workload.",
  },
  { name: "restart-pod", specName: "RestartPod", what: "Recreate pods.", whenToUse: "A transient fault a new process would clear." },
  {
    name: "rollback-deployment",
    specName: "RollbackDeployment",
    what: "Return a deployment to its previous revision.",
    whenToUse: "A recent rollout brought a regression.",
  },
  {
    name: "increase-cpu-limits",
    specName: "IncreaseCPULimits",
    what: "Raise containers' CPU limits.",
    whenToUse: "Throttling from CPU limits set too low.",
  },
  {
    name: "scale-replicas",
    specName: "ScaleReplicas",
    what: "Change a workload's replica count.",
    whenToUse: "Capacity is short for the load.",
  },
  {
    name: "reconfigure-resource",
    specName: "ReconfigureResource",
    what: "Correct fields of a resource's spec.",
    whenToUse: "A misconfiguration a spec change fixes.",
  },
];

const SEED_ACTION_TYPES = loadScript(join(__dirname, "..", "scripts", "seed-action-types.sh"));

/**
 * Seeds ACTION_TYPES into the namespace once the ActionType CRD (`crd`, its name once Established)
 * serves, marked registered and Active. Needs `kubectl` on the host and the cluster's kubeconfig file.
 */
export function seedActionTypes(
  name: string,
  args: { cluster: KindCluster; namespace: k8s.core.v1.Namespace; crd: pulumi.Output<string> },
  opts: pulumi.CustomResourceOptions,
): HostCommand {
  return hostCommand(
    name,
    {
      create: SEED_ACTION_TYPES,
      environment: {
        KUBECONFIG: args.cluster.kubeconfigPath!,
        KUBE_CONTEXT: args.cluster.kubeContext,
        NAMESPACE: args.namespace.metadata.name,
        ACTION_TYPES: ACTION_TYPES.map((type) =>
          stringify({
            apiVersion: "kubernaut.ai/v1alpha1",
            kind: "ActionType",
            metadata: { name: type.name },
            spec: { name: type.specName, description: { what: type.what, whenToUse: type.whenToUse } },
          }),
        ).join("---\n"),
        ACTION_TYPE_NAMES: ACTION_TYPES.map((type) => type.name).join("\n"),
        CRD: args.crd,
      },
      // They live in the namespace: a new namespace (a new cluster) is seeded again. No refresh
      // check: with the cluster gone, kubectl could not tell, and the new namespace re-seeds them anyway.
      triggers: [objectUid(args.namespace)],
    },
    opts,
  );
}
