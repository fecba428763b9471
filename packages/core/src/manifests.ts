import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

/** A Kubernetes object read from a manifest file. */
export interface ManifestObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/**
 * The Kubernetes objects in a multi-document YAML text, in order; empty documents and `List`
 * wrappers are flattened away. Throws naming `source` and the document for invalid YAML or an
 * object without apiVersion, kind or metadata.name.
 */
export function parseManifests(text: string, source: string): ManifestObject[] {
  const objects: ManifestObject[] = [];
  parseAllDocuments(text).forEach((document, index) => {
    if (document.errors.length > 0) throw new Error(`${source}: document ${index + 1} is not valid YAML: ${document.errors[0]!.message}`);
    const value: unknown = document.toJS();
    if (value === null || value === undefined) return;
    const items = isList(value) ? value.items : [value];
    for (const item of items) {
      if (!isObject(item)) throw new Error(`${source}: document ${index + 1} is not a Kubernetes object (apiVersion, kind, metadata.name)`);
      objects.push(item);
    }
  });
  return objects;
}

/** The YAML files (*.yaml, *.yml) of `paths`: files as given, directories' files in name order (not recursive). */
export function manifestFiles(paths: readonly string[]): string[] {
  return paths.flatMap((path) => {
    if (!existsSync(path)) return [path];
    if (!statSync(path).isDirectory()) return [path];
    return readdirSync(path)
      .filter((file) => /\.ya?ml$/.test(file))
      .sort()
      .map((file) => join(path, file));
  });
}

/** Reads and parses each file. */
export function readManifests(files: readonly string[]): ManifestObject[] {
  return files.flatMap((file) => parseManifests(readFileSync(file, "utf8"), file));
}

function isList(value: unknown): value is { items: unknown[] } {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { kind?: unknown }).kind === "List" &&
    Array.isArray((value as { items?: unknown }).items)
  );
}

function isObject(value: unknown): value is ManifestObject {
  if (typeof value !== "object" || value === null) return false;
  const object = value as Record<string, unknown>;
  const metadata = object["metadata"] as Record<string, unknown> | undefined;
  return typeof object["apiVersion"] === "string" && typeof object["kind"] === "string" && typeof metadata?.["name"] === "string";
}
