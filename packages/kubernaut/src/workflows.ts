import {
  ArgumentError,
  hostCommand,
  loadScript,
  objectUid,
  parseManifests,
  requireOptionalStringList,
  type HostCommand,
} from "@e2e-infra/core";
import type { KindCluster } from "@e2e-infra/kind-cluster";
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const REGISTER_WORKFLOWS = loadScript(join(__dirname, "..", "scripts", "register-workflows.sh"));

/**
 * The workflows the Kubernaut Agent's suites seed (GetKAE2ETestWorkflows at HEAD), as files of the
 * checkout (kubernautStack `workflows`): kubernautagent-e2e and apifrontend-e2e register them.
 */
export const AGENT_SUITE_WORKFLOWS: readonly string[] = [
  "oomkill-increase-memory",
  "memory-optimize",
  "crashloop-config-fix",
  "node-drain-reboot",
  "image-pull-backoff-fix-credentials",
  "generic-restart",
  "param-validation-test",
  "ambiguous-kind-fix",
  "istio-authz-fix",
].map((name) => `test/fixtures/workflows/${name}/workflow-schema.yaml`);

/** A RemediationWorkflow file of the checkout, read and checked. */
export interface WorkflowFile {
  path: string;
  document: string;
  name: string;
}

/** Reads the RemediationWorkflow files (paths in the checkout), each checked to hold one, before anything is registered. */
export function readWorkflows(subject: string, repository: string, paths: unknown): WorkflowFile[] {
  return (requireOptionalStringList(subject, "workflows", paths, '["test/fixtures/workflows/hello-world/workflow-schema.yaml"]') ?? []).map(
    (path) => {
      const file = join(repository, path);
      const document = existsSync(file) ? readFileSync(file, "utf8") : "";
      let object: ReturnType<typeof parseManifests>[number] | undefined;
      try {
        object = parseManifests(document, file)[0];
      } catch {
        // not a manifest: said below
      }
      if (object?.kind !== "RemediationWorkflow") {
        throw new ArgumentError(
          subject,
          "workflows",
          path,
          `expected a file of the checkout ${repository} that holds a RemediationWorkflow`,
        );
      }
      return { path, document, name: object.metadata.name };
    },
  );
}

/**
 * Registers RemediationWorkflows as the Go setup does at HEAD: applied through the AuthWebhook
 * once it serves (`webhooks`) and the ActionTypes they name are seeded (`actionTypes`); it writes
 * each one's id, printed as JSON by name (stdout). The catalogue lives on PostgreSQL's data
 * volume: a new volume (a new cluster, or the claim re-created) is an empty catalogue, so they
 * are registered again (`databaseClaim`). Needs `kubectl` on the host.
 */
export function registerWorkflows(
  name: string,
  args: {
    cluster: KindCluster;
    namespace: pulumi.Input<string>;
    workflows: readonly WorkflowFile[];
    actionTypes: HostCommand;
    webhooks: pulumi.CustomResource;
    databaseClaim: k8s.core.v1.PersistentVolumeClaim;
  },
  opts: pulumi.CustomResourceOptions,
): HostCommand {
  return hostCommand(
    name,
    {
      create: REGISTER_WORKFLOWS,
      update: REGISTER_WORKFLOWS,
      environment: {
        KUBECONFIG: args.cluster.kubeconfigPath!,
        KUBE_CONTEXT: args.cluster.kubeContext,
        NAMESPACE: args.namespace,
        WORKFLOWS: args.workflows.map((workflow) => `---\n${workflow.document}`).join("\n"),
        WORKFLOW_NAMES: args.workflows.map((workflow) => workflow.name).join("\n"),
        TIMEOUT_SECONDS: "90",
        ACTION_TYPES: args.actionTypes.id,
        WEBHOOKS: args.webhooks.id,
      },
      triggers: [objectUid(args.databaseClaim)],
    },
    opts,
  );
}
