import type { CapturedResource, ResourceGraph } from "@e2e-infra/graph";

interface Model {
  validate(): void;
}
type ModelClass = new (data: Record<string, unknown>) => Model;

/** Thrown when a Kubernetes object does not validate against the official schema. */
export class KubernetesSchemaError extends Error {
  constructor(
    readonly object: string,
    readonly details: string,
  ) {
    super(`${object} does not validate against the Kubernetes schema: ${details}`);
    this.name = "KubernetesSchemaError";
  }
}

/**
 * Loads the official schema model for `apiVersion`/`kind` from kubernetes-models (generated
 * from the Kubernetes OpenAPI spec), or undefined when the API has none (a custom resource).
 */
async function modelFor(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  if (!/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion) || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) return undefined;
  try {
    const module = (await import(/* @vite-ignore */ `kubernetes-models/${apiVersion}/${kind}`)) as Record<string, unknown>;
    return module[kind] as ModelClass | undefined;
  } catch (error) {
    // No such group/version (not exported by the package) or kind (no such file): no schema.
    const code = (error as { code?: string }).code;
    const message = error instanceof Error ? error.message : "";
    if (
      code === "ERR_PACKAGE_PATH_NOT_EXPORTED" ||
      code === "ERR_MODULE_NOT_FOUND" ||
      /is not exported|Cannot find module|Failed to load url/.test(message)
    ) {
      return undefined;
    }
    throw error;
  }
}

/**
 * Validates one Kubernetes object (apiVersion, kind, metadata, ...) against the official
 * schema. Returns false when there is no schema for its kind (a custom resource); throws a
 * KubernetesSchemaError naming the object and what is wrong when it does not validate.
 */
export async function validateKubernetesObject(object: Record<string, unknown>): Promise<boolean> {
  const apiVersion = object["apiVersion"];
  const kind = object["kind"];
  const metadata = (object["metadata"] ?? {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === "string" ? value : "");
  const label = `${text(kind)} ${text(metadata["namespace"])}/${text(metadata["name"])}`;
  if (typeof apiVersion !== "string" || typeof kind !== "string") {
    throw new KubernetesSchemaError(label, "apiVersion and kind must be strings");
  }
  const Model = await modelFor(apiVersion, kind);
  if (Model === undefined) return false;
  try {
    new Model(object).validate();
  } catch (error) {
    throw new KubernetesSchemaError(label, error instanceof Error ? error.message : String(error));
  }
  return true;
}

/** The captured Kubernetes objects: custom resources of the kubernetes provider other than the provider itself. */
export function kubernetesObjects(graph: ResourceGraph): CapturedResource[] {
  return graph.resources.filter(
    (resource) => resource.custom && resource.type.startsWith("kubernetes:") && typeof resource.inputs["kind"] === "string",
  );
}

/**
 * Validates every captured Kubernetes object against the official schema. Returns the
 * URNs of objects whose kind has no schema (custom resources), so a test can assert that list.
 */
export async function validateKubernetesResources(graph: ResourceGraph): Promise<{ validated: string[]; withoutSchema: string[] }> {
  const validated: string[] = [];
  const withoutSchema: string[] = [];
  for (const resource of kubernetesObjects(graph)) {
    const { apiVersion, kind, ...rest } = resource.inputs;
    const ok = await validateKubernetesObject({ apiVersion, kind, ...rest });
    (ok ? validated : withoutSchema).push(resource.urn);
  }
  return { validated, withoutSchema };
}
