import {
  ArgumentError,
  crdOptions,
  manifestFiles,
  readManifests,
  requireClusterTarget,
  subjectOf,
  type ClusterTarget,
  type ManifestObject,
} from "@e2e-infra/core";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { existsSync } from "node:fs";

export interface CustomResourceDefinitionsArgs {
  cluster: ClusterTarget;
  /** CRD files, or directories of them (their *.yaml and *.yml files), e.g. "<repo>/config/crd/bases". */
  paths: string[];
}

/**
 * A set of CustomResourceDefinitions applied together: every CRD is its own resource, so the
 * engine creates them all at once, and each is awaited until Established; through the cluster's
 * provider for CRDs (ClusterTarget.crdProvider), so they do not hold back its other objects.
 * `ready` resolves, with the CRD names, when all are; a controller that watches them takes it.
 */
export class CustomResourceDefinitions extends pulumi.ComponentResource {
  /** CRD names, e.g. "signalprocessings.kubernaut.ai", known up front. */
  readonly names: readonly string[];
  /** The CRD names, once every CRD is Established. */
  readonly ready: pulumi.Output<string[]>;
  /** Each CRD's name, once that CRD is Established: for what watches one kind only. */
  readonly established: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: CustomResourceDefinitionsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const subject = subjectOf("CustomResourceDefinitions", name);
    requireClusterTarget(subject, "cluster", args.cluster);
    const definitions = readDefinitions(subject, args.paths);
    super("e2e-infra:index:CustomResourceDefinitions", name, {}, opts);

    this.names = definitions.map((definition) => definition.metadata.name);
    const created = definitions.map((definition) => {
      const { status: _status, ...object } = definition;
      const annotations = (object.metadata["annotations"] ?? {}) as Record<string, string>;
      return new k8s.apiextensions.v1.CustomResourceDefinition(
        `${name}-${definition.metadata.name}`,
        {
          ...(object as unknown as k8s.apiextensions.v1.CustomResourceDefinitionArgs),
          metadata: { ...object.metadata, annotations: { ...annotations, "pulumi.com/waitFor": "condition=Established" } },
        },
        crdOptions(args.cluster, this),
      );
    });
    const established = created.map((crd) => pulumi.all([crd.status, crd.metadata]).apply(([, metadata]) => metadata.name));
    this.established = Object.fromEntries(this.names.map((crdName, index) => [crdName, established[index]!]));
    this.ready = pulumi.all(established);
    this.registerOutputs({ ready: this.ready });
  }
}

/** Reads the CRDs of `paths`; throws an ArgumentError naming the path or file that is not one. */
export function readDefinitions(subject: string, paths: readonly string[]): ManifestObject[] {
  if (!Array.isArray(paths) || paths.length === 0) {
    throw new ArgumentError(subject, "paths", paths, "expected a list of CRD files or directories");
  }
  paths.forEach((path, index) => {
    if (typeof path !== "string" || !existsSync(path)) {
      throw new ArgumentError(subject, `paths[${index}]`, path, "expected an existing CRD file or directory of them");
    }
  });
  const definitions: ManifestObject[] = [];
  const seen = new Map<string, string>();
  for (const file of manifestFiles(paths)) {
    let objects: ManifestObject[];
    try {
      objects = readManifests([file]);
    } catch (error) {
      throw new ArgumentError(subject, "paths", file, `expected CRD manifests: ${(error as Error).message}`);
    }
    for (const object of objects) {
      if (object.kind !== "CustomResourceDefinition" || object.apiVersion !== "apiextensions.k8s.io/v1") {
        throw new ArgumentError(
          subject,
          "paths",
          file,
          `expected only CustomResourceDefinitions (apiextensions.k8s.io/v1); it holds ${object.apiVersion} ${object.kind} ${object.metadata.name}`,
        );
      }
      const earlier = seen.get(object.metadata.name);
      if (earlier !== undefined) {
        throw new ArgumentError(subject, "paths", file, `expected each CRD once; ${object.metadata.name} is also in ${earlier}`);
      }
      seen.set(object.metadata.name, file);
      definitions.push(object);
    }
  }
  if (definitions.length === 0) {
    throw new ArgumentError(subject, "paths", paths, "expected at least one CustomResourceDefinition in *.yaml or *.yml files");
  }
  return definitions;
}
