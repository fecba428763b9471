import {
  ArgumentError,
  crdOptions,
  hostCommand,
  inClusterOptions,
  isDns1123Label,
  loadScript,
  readManifests,
  requireClusterTarget,
  requireDns1123Subdomain,
  requireStringInput,
  subjectOf,
  type ClusterTarget,
  type ManifestObject,
} from "@e2e-infra/core";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { existsSync, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { CONTROLLER, prepareRelease, RESOLVERS_NAMESPACE, TEKTON_NAMESPACE, WEBHOOK } from "./release";

const WEBHOOK_SERVES = loadScript(join(__dirname, "..", "scripts", "webhook-serves.sh"));

export interface TektonArgs {
  /** The cluster, with its kubeconfig (a KindCluster): `ready` waits, with kubectl on the host, until Tekton's webhook answers. */
  cluster: ClusterTarget & { readonly kubeconfig: pulumi.Output<string> };
  /** The release manifest, e.g. from `await fetchTektonRelease("v1.7.0")`, or a file downloaded beforehand. */
  manifestFile: string;
  /**
   * A registry credentials file (`podman login` writes ~/.config/containers/auth.json, `docker
   * login` ~/.docker/config.json). Given: a pull Secret in tekton-pipelines-resolvers (and in
   * `workloadNamespace`), used by the resolvers' ServiceAccount (and that namespace's `default`).
   */
  dockerConfigFile?: string;
  /** Where PipelineRuns run, e.g. "kubernaut-workflows": also gets the pull Secret. */
  workloadNamespace?: pulumi.Input<string>;
  /** Default "quay-pull-secret", the reference's. */
  pullSecretName?: string;
}

/**
 * Tekton Pipelines installed from a release manifest. `ready` resolves once the CRDs are
 * Established, the controller and webhook are Available and the webhook answers through its
 * Service (a server-side dry run of a Task, with kubectl on the host), which is what creating
 * Pipelines and Tasks needs; take it (e.g. in an annotation) rather than waiting.
 */
export class Tekton extends pulumi.ComponentResource {
  /** "tekton-pipelines", once Tekton is ready. */
  readonly ready: pulumi.Output<string>;
  readonly pullSecretName: string | undefined;

  constructor(name: string, args: TektonArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const subject = subjectOf("Tekton", name);
    requireClusterTarget(subject, "cluster", args.cluster);
    if (!pulumi.Output.isInstance(args.cluster.kubeconfig)) {
      throw new ArgumentError(
        subject,
        "cluster.kubeconfig",
        args.cluster.kubeconfig,
        "expected the cluster's kubeconfig, an Output (a KindCluster has it): `ready` waits for Tekton's webhook with kubectl",
      );
    }
    if (typeof args.manifestFile !== "string" || !existsSync(args.manifestFile) || !statSync(args.manifestFile).isFile()) {
      throw new ArgumentError(
        subject,
        "manifestFile",
        args.manifestFile,
        "expected an existing Tekton release manifest (see fetchTektonRelease)",
      );
    }
    let objects: ManifestObject[];
    try {
      objects = readManifests([args.manifestFile]);
    } catch (error) {
      throw new ArgumentError(
        subject,
        "manifestFile",
        args.manifestFile,
        `expected a Tekton Pipelines release: ${(error as Error).message}`,
      );
    }
    for (const deployment of [CONTROLLER, WEBHOOK]) {
      if (!objects.some((o) => o.kind === "Deployment" && o.metadata.name === deployment && o.metadata.namespace === TEKTON_NAMESPACE)) {
        throw new ArgumentError(
          subject,
          "manifestFile",
          args.manifestFile,
          `expected a Tekton Pipelines release; it has no Deployment ${TEKTON_NAMESPACE}/${deployment}`,
        );
      }
    }
    if (args.workloadNamespace !== undefined) {
      requireStringInput(
        subject,
        "workloadNamespace",
        args.workloadNamespace,
        "expected a namespace: an Output such as namespace.metadata.name, or a DNS-1123 label",
        (namespace) => isDns1123Label(namespace),
      );
    }
    const dockerConfig = args.dockerConfigFile === undefined ? undefined : readDockerConfig(subject, args.dockerConfigFile);
    if (args.pullSecretName !== undefined) {
      requireDns1123Subdomain(subject, "pullSecretName", args.pullSecretName);
      // Without credentials there is no pull Secret: the name would be dropped without a word.
      if (dockerConfig === undefined) {
        throw new ArgumentError(
          subject,
          "pullSecretName",
          args.pullSecretName,
          "expected dockerConfigFile with it (a pull Secret needs credentials), or no pullSecretName",
        );
      }
    }
    const pullSecretName = dockerConfig === undefined ? undefined : (args.pullSecretName ?? "quay-pull-secret");
    super("e2e-infra:index:Tekton", name, {}, opts);

    this.pullSecretName = pullSecretName;
    const options = inClusterOptions(args.cluster, this);
    const { namespaces, crds, others } = prepareRelease(objects, pullSecretName);
    // The release's namespaces on their own, so a pull Secret can go in before the rest.
    const created = new Map(
      namespaces.map((namespace) => [
        namespace.metadata.name,
        new k8s.core.v1.Namespace(`${name}-${namespace.metadata.name}`, { metadata: namespace.metadata }, options),
      ]),
    );
    // The CRDs through the cluster's provider for CRDs (ClusterTarget.crdProvider: after each CRD
    // the provider refetches the cluster's schema, every other operation of it waiting), beside
    // the rest of the release, as they were in one group: nothing in the release waits for them.
    const definitions = new k8s.yaml.v2.ConfigGroup(`${name}-crds`, { objs: crds }, crdOptions(args.cluster, this));
    const release = new k8s.yaml.v2.ConfigGroup(`${name}-release`, { objs: others }, { ...options, dependsOn: [...created.values()] });

    if (dockerConfig !== undefined && pullSecretName !== undefined) {
      const secret = (namespace: pulumi.Input<string>, resource: string) =>
        new k8s.core.v1.Secret(
          resource,
          {
            metadata: { name: pullSecretName, namespace },
            type: "kubernetes.io/dockerconfigjson",
            stringData: { ".dockerconfigjson": pulumi.secret(dockerConfig) },
          },
          options,
        );
      const resolvers = created.get(RESOLVERS_NAMESPACE);
      if (resolvers !== undefined) secret(resolvers.metadata.name, `${name}-resolvers-pull-secret`);
      if (args.workloadNamespace !== undefined) {
        secret(args.workloadNamespace, `${name}-workload-pull-secret`);
        new k8s.core.v1.ServiceAccountPatch(
          `${name}-workload-default-sa`,
          { metadata: { name: "default", namespace: args.workloadNamespace }, imagePullSecrets: [{ name: pullSecretName }] },
          options,
        );
      }
    }

    // The webhook's Deployment is Available a moment before its Service routes to it: a Task
    // created then is refused ("connection refused", seen on real kind). So `ready` waits until
    // the webhook answers a server-side dry run of one (scripts/webhook-serves.sh); a new cluster
    // (a new kubeconfig) waits again.
    const serves = hostCommand(
      `${name}-webhook-serves`,
      {
        create: WEBHOOK_SERVES,
        environment: {
          KUBECONFIG_CONTENT: args.cluster.kubeconfig,
          NAMESPACE: pulumi.all([definitions.resources, release.resources]).apply(() => TEKTON_NAMESPACE),
          TIMEOUT_SECONDS: "120",
        },
      },
      { parent: this, ...(args.cluster.deletedWith === undefined ? {} : { deletedWith: args.cluster.deletedWith }) },
    );
    this.ready = serves.id.apply(() => TEKTON_NAMESPACE);
    this.registerOutputs({ ready: this.ready });
  }
}

function readDockerConfig(subject: string, file: unknown): string {
  if (typeof file !== "string" || file === "") {
    throw new ArgumentError(
      subject,
      "dockerConfigFile",
      file,
      "expected the path of a registry credentials file, e.g. ~/.config/containers/auth.json",
    );
  }
  const path = file.startsWith("~/") ? join(homedir(), file.slice(2)) : file;
  const expected =
    "expected an existing registry credentials file (podman login writes ~/.config/containers/auth.json, docker login ~/.docker/config.json)";
  if (!existsSync(path) || !statSync(path).isFile()) throw new ArgumentError(subject, "dockerConfigFile", file, expected);
  const text = readFileSync(path, "utf8");
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== "object" || parsed === null || !("auths" in parsed)) throw new Error("no auths");
  } catch {
    throw new ArgumentError(subject, "dockerConfigFile", file, 'expected a JSON file with an "auths" object');
  }
  return text;
}
