import { ArgumentError, expandHome, isImageReference, readManifests } from "@e2e-infra/core";
import { existsSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";

/**
 * Checks of the optional config keys some stacks read (listed in their Pulumi.yaml's comment) whose
 * values reach a component only after the cluster is registered: checked with the common settings,
 * so a bad value fails before anything exists and names the config key. The components check
 * again (Tekton reads the release fully); these catch what a stack file can get wrong.
 */
export type OptionalKeyCheck = (value: string, others: (key: string) => string | undefined) => string | undefined;

/** "~/" is the home directory; a relative path is from the project directory, as the stacks read them. */
export function expandPath(path: string): string {
  return resolve(expandHome(path));
}

const isFile = (path: string) => existsSync(expandPath(path)) && statSync(expandPath(path)).isFile();

/** The Deployments a Tekton Pipelines release has (the Tekton component's own check is authoritative). */
const TEKTON_DEPLOYMENTS = ["tekton-pipelines-controller", "tekton-pipelines-webhook"];

/** key -> a check returning what would be valid when `value` is not, else undefined. */
export const OPTIONAL_KEY_CHECKS: Readonly<Record<string, OptionalKeyCheck>> = {
  imageTag: (value) =>
    /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(value)
      ? undefined
      : "expected an image tag (letters, digits, '_', '.' and '-', at most 128, not starting with '.' or '-'), e.g. the CI run's KUBERNAUT_CI_ARTIFACT_TAG",
  imageRegistry: (value, others) => {
    if (others("imageTag") === undefined) return "expected it with imageTag: the images are <imageRegistry>/<name>:<imageTag>";
    return isImageReference(`${value}/datastorage:x`) && !value.endsWith("/")
      ? undefined
      : 'expected a registry and path to put the image names under, e.g. "quay.io/kubernaut-ci" (lower case, no trailing "/")';
  },
  buildImages: (value, others) => {
    if (others("imageTag") === undefined) return "expected it unset while imageTag is (without it every image is built)";
    return value.split(",").every((name) => /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name.trim()))
      ? undefined
      : 'expected image names, comma-separated, e.g. "gateway" or "datastorage,gateway"';
  },
  tektonVersion: (value, others) => {
    if (!/^v\d+\.\d+\.\d+$/.test(value)) return 'expected a Tekton release such as "v1.7.0" (vMAJOR.MINOR.PATCH)';
    if (others("tektonManifest") !== undefined) {
      return "expected either tektonVersion or tektonManifest, not both: the manifest is installed and the version would be ignored";
    }
    return undefined;
  },
  tektonManifest: (value) => {
    if (!isFile(value)) return "expected an existing Tekton release manifest (a release.yaml on disk)";
    let names: string[];
    try {
      names = readManifests([expandPath(value)])
        .filter((object) => object.kind === "Deployment" && object.metadata.namespace === "tekton-pipelines")
        .map((object) => object.metadata.name);
    } catch (error) {
      return `expected a Tekton Pipelines release: ${(error as Error).message}`;
    }
    const missing = TEKTON_DEPLOYMENTS.find((name) => !names.includes(name));
    return missing === undefined ? undefined : `expected a Tekton Pipelines release; it has no Deployment tekton-pipelines/${missing}`;
  },
  dockerConfigFile: (value) => {
    if (!isFile(value)) {
      return "expected an existing registry credentials file (podman login writes ~/.config/containers/auth.json, docker login ~/.docker/config.json)";
    }
    try {
      const parsed: unknown = JSON.parse(readFileSync(expandPath(value), "utf8"));
      if (typeof parsed === "object" && parsed !== null && "auths" in parsed) return undefined;
    } catch {
      // not JSON: said below
    }
    return 'expected a JSON file with an "auths" object';
  },
};

/** Runs the checks of `keys` that are set; throws an ArgumentError naming the first bad key. */
export function checkOptionalKeys(
  subject: string,
  project: string,
  keys: readonly string[],
  get: (key: string) => string | undefined,
): void {
  for (const key of keys) {
    const check = OPTIONAL_KEY_CHECKS[key];
    const value = get(key);
    if (check === undefined || value === undefined) continue;
    const expected = check(value, get);
    if (expected !== undefined) throw new ArgumentError(subject, `config ${project}:${key}`, value, expected);
  }
}
