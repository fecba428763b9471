import { randomUUID } from "node:crypto";
import { mkdirSync, existsSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cacheDirectory, type ManifestObject } from "@e2e-infra/core";

/** The Tekton Pipelines release the reference installs. */
export const DEFAULT_TEKTON_VERSION = "v1.7.0";

/** Where a release's manifest is published (GitHub releases; storage.googleapis.com now wants auth). */
export function tektonReleaseUrl(version: string): string {
  return `https://github.com/tektoncd/pipeline/releases/download/${version}/release.yaml`;
}

/**
 * Downloads a Tekton release manifest once and returns its path in the cache
 * (`$XDG_CACHE_HOME/e2e-infra/tekton/<version>/release.yaml`, else `~/.cache/...`). A cached
 * file is returned without any network access, so after one online run an environment comes up
 * offline. For machines that never reach GitHub, download the file elsewhere and pass it as
 * Tekton's `manifestFile`.
 */
export async function fetchTektonRelease(
  version: string = DEFAULT_TEKTON_VERSION,
  options: { cacheDir?: string; url?: string } = {},
): Promise<string> {
  if (!/^v\d+\.\d+\.\d+$/.test(version))
    throw new Error(`Tekton version ${JSON.stringify(version)}: expected vMAJOR.MINOR.PATCH, e.g. "v1.7.0"`);
  const cache = options.cacheDir ?? cacheDirectory("tekton");
  const file = join(cache, version, "release.yaml");
  if (existsSync(file)) return file;
  const url = options.url ?? tektonReleaseUrl(version);
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(
      `could not download the Tekton ${version} release from ${url} (${(error as Error).message}); offline, pass Tekton's manifestFile`,
    );
  }
  if (!response.ok) throw new Error(`could not download the Tekton ${version} release from ${url}: HTTP ${response.status}`);
  const text = await response.text();
  mkdirSync(join(cache, version), { recursive: true });
  // A partial file of this download's own: concurrent programs (two stacks) never share one,
  // and the rename makes the complete file appear at once.
  const partial = `${file}.${process.pid}.${randomUUID()}.partial`;
  writeFileSync(partial, text);
  renameSync(partial, file);
  return file;
}

/** The two Deployments whose readiness means Tekton is usable. */
export const CONTROLLER = "tekton-pipelines-controller";
export const WEBHOOK = "tekton-pipelines-webhook";
export const TEKTON_NAMESPACE = "tekton-pipelines";
export const RESOLVERS_NAMESPACE = "tekton-pipelines-resolvers";

/**
 * Decides how each object of a release is awaited, so that "ready" means exactly: the CRDs
 * Established, the controller and webhook Deployments Available, and the webhook serving (it
 * has injected its CA into every webhook configuration; until then the API server cannot call
 * it and creating a Pipeline fails with "failed calling webhook"). Nothing else is waited for:
 * other Deployments (the resolvers) and Services are not awaited.
 * Adds `imagePullSecrets` to the resolvers' ServiceAccount when a pull secret is given.
 * Namespaces and CustomResourceDefinitions come apart from the others: each goes in on its own.
 */
export function prepareRelease(
  objects: readonly ManifestObject[],
  pullSecretName?: string,
): { namespaces: ManifestObject[]; crds: ManifestObject[]; others: ManifestObject[] } {
  const namespaces: ManifestObject[] = [];
  const crds: ManifestObject[] = [];
  const others: ManifestObject[] = [];
  for (const object of objects) {
    if (object.kind === "Namespace") {
      namespaces.push(object);
      continue;
    }
    const annotation = awaitAnnotation(object);
    const metadata =
      annotation === undefined
        ? object.metadata
        : { ...object.metadata, annotations: { ...(object.metadata["annotations"] as object | undefined), ...annotation } };
    let prepared: ManifestObject = { ...object, metadata };
    if (pullSecretName !== undefined && object.kind === "ServiceAccount" && object.metadata.namespace === RESOLVERS_NAMESPACE) {
      const existing = (object["imagePullSecrets"] as Array<{ name: string }> | undefined) ?? [];
      prepared = { ...prepared, imagePullSecrets: [...existing, { name: pullSecretName }] };
    }
    (object.kind === "CustomResourceDefinition" ? crds : others).push(prepared);
  }
  return { namespaces, crds, others };
}

function awaitAnnotation(object: ManifestObject): Record<string, string> | undefined {
  switch (object.kind) {
    case "CustomResourceDefinition":
      return { "pulumi.com/waitFor": "condition=Established" };
    case "ValidatingWebhookConfiguration":
    case "MutatingWebhookConfiguration":
      return { "pulumi.com/waitFor": "jsonpath={.webhooks[0].clientConfig.caBundle}" };
    case "Deployment":
      return object.metadata.namespace === TEKTON_NAMESPACE && (object.metadata.name === CONTROLLER || object.metadata.name === WEBHOOK)
        ? undefined
        : { "pulumi.com/skipAwait": "true" };
    case "Service":
      return { "pulumi.com/skipAwait": "true" };
    default:
      return undefined;
  }
}
