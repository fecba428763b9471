import {
  ArgumentError,
  inClusterOptions,
  isEventual,
  requireInCluster,
  requireOptionalRecord,
  requireOptionalStringList,
  subjectOf,
  type InClusterArgs,
  type ManifestObject,
} from "@e2e-infra/core";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** A typed resource class of @pulumi/kubernetes, and whether its objects live in a namespace. */
interface Kind {
  namespaced: boolean;
  create(name: string, args: Record<string, unknown>, opts: pulumi.CustomResourceOptions): pulumi.CustomResource;
}

// The kinds a chart's objects may have: each is registered as its own typed resource, so the
// provider awaits it as that kind (a Deployment until rolled out, a Job until complete).
const KINDS: Record<string, Kind> = {
  "v1/ConfigMap": { namespaced: true, create: (n, a, o) => new k8s.core.v1.ConfigMap(n, a, o) },
  "v1/Secret": { namespaced: true, create: (n, a, o) => new k8s.core.v1.Secret(n, a, o) },
  "v1/Service": { namespaced: true, create: (n, a, o) => new k8s.core.v1.Service(n, a, o) },
  "v1/ServiceAccount": { namespaced: true, create: (n, a, o) => new k8s.core.v1.ServiceAccount(n, a, o) },
  "v1/PersistentVolumeClaim": { namespaced: true, create: (n, a, o) => new k8s.core.v1.PersistentVolumeClaim(n, a, o) },
  "apps/v1/Deployment": { namespaced: true, create: (n, a, o) => new k8s.apps.v1.Deployment(n, a, o) },
  "apps/v1/StatefulSet": { namespaced: true, create: (n, a, o) => new k8s.apps.v1.StatefulSet(n, a, o) },
  "apps/v1/DaemonSet": { namespaced: true, create: (n, a, o) => new k8s.apps.v1.DaemonSet(n, a, o) },
  "batch/v1/Job": { namespaced: true, create: (n, a, o) => new k8s.batch.v1.Job(n, a, o) },
  "rbac.authorization.k8s.io/v1/Role": { namespaced: true, create: (n, a, o) => new k8s.rbac.v1.Role(n, a, o) },
  "rbac.authorization.k8s.io/v1/RoleBinding": {
    namespaced: true,
    create: (n, a, o) => new k8s.rbac.v1.RoleBinding(n, a as unknown as k8s.rbac.v1.RoleBindingArgs, o),
  },
  "rbac.authorization.k8s.io/v1/ClusterRole": { namespaced: false, create: (n, a, o) => new k8s.rbac.v1.ClusterRole(n, a, o) },
  "admissionregistration.k8s.io/v1/MutatingWebhookConfiguration": {
    namespaced: false,
    create: (n, a, o) => new k8s.admissionregistration.v1.MutatingWebhookConfiguration(n, a, o),
  },
  "admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration": {
    namespaced: false,
    create: (n, a, o) => new k8s.admissionregistration.v1.ValidatingWebhookConfiguration(n, a, o),
  },
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": {
    namespaced: false,
    create: (n, a, o) => new k8s.rbac.v1.ClusterRoleBinding(n, a as unknown as k8s.rbac.v1.ClusterRoleBindingArgs, o),
  },
};

/** An object to register: a rendered one, or one a patch returned (its name and fields may be Inputs). */
export type ChartObject = Omit<ManifestObject, "metadata"> & { metadata: { name: pulumi.Input<string>; [key: string]: unknown } };

/** A rendered object's key: "Kind/name", e.g. "Deployment/datastorage". */
export function objectKey(object: ManifestObject): string {
  return `${object.kind}/${object.metadata.name}`;
}

export interface ChartObjectsArgs extends InClusterArgs {
  /** The objects renderChart returned. */
  objects: readonly ManifestObject[];
  /**
   * Images to run instead of the ones the chart renders: rendered image -> image, e.g. the chart's
   * placeholder -> an ImageBuildLoad's `image` (an Output that resolves once the image is in the
   * cluster, so each pod waits for exactly its own image). Each key must occur in a pod template.
   */
  images?: Record<string, pulumi.Input<string>>;
  /**
   * Edits by "Kind/name", where the environment deliberately differs from the chart (say why at
   * the call). The function gets a copy of the object and returns the object to register (it may
   * hold Inputs). Each key must name a rendered object.
   */
  patches?: Record<string, (object: ManifestObject) => ChartObject>;
  /**
   * Objects the pod templates refer to by name that the stack creates itself, by "Kind/name", e.g.
   * `{ "Secret/postgresql-secret": secret.metadata.name }`. Every reference of a pod template (its
   * ServiceAccount, the ConfigMaps, Secrets and claims it mounts or reads env from) becomes the
   * referenced object's name Output, rendered or given here, so each workload waits for exactly
   * what it uses. A reference to neither fails the preview.
   */
  references?: Record<string, pulumi.Input<string>>;
  /** Rendered objects not to register, by "Kind/name" (say why at the call). Each must be rendered. */
  omit?: readonly string[];
  /** Extra dependencies by "Kind/name", for an order no input carries (say why at the call). */
  dependsOn?: Record<string, pulumi.Input<pulumi.Resource>[]>;
}

/**
 * A chart's rendered objects, each registered as its own typed resource in the namespace (so the
 * engine creates them all at once, each awaited as its kind, and each waits only for what its
 * inputs name). Services and PersistentVolumeClaims are not awaited: a Service's endpoints and a
 * claim's binding come with the pods that use them, and those pods' own awaits cover them.
 *
 * The chart's hooks are plain objects here: a Helm hook's order is Helm's, and an environment
 * says its order with inputs (patch the object that must wait to name what it waits for).
 */
export class ChartObjects extends pulumi.ComponentResource {
  /** Every registered object by its rendered "Kind/name". */
  readonly resources: Readonly<Record<string, pulumi.CustomResource>>;
  /**
   * Every registered object's name once it exists, by its rendered "Kind/name" (a patch may have
   * renamed it): give these as another ChartObjects' `references`.
   */
  readonly names: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: ChartObjectsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const subject = subjectOf("ChartObjects", name);
    requireInCluster(subject, args);
    const objects = prepareObjects(subject, args);
    super("e2e-infra:index:ChartObjects", name, {}, opts);

    const resources: Record<string, pulumi.CustomResource> = {};
    const own: Record<string, pulumi.Output<string>> = {};
    const names: Record<string, pulumi.Input<string>> = { ...args.references };
    // What pod templates refer to first, then the workloads, whose references become those names.
    const workload = (object: ChartObject) => podSpec(object) !== undefined;
    for (const { key, kind, object, resourceName } of [
      ...objects.filter((o) => !workload(o.object)),
      ...objects.filter((o) => workload(o.object)),
    ]) {
      for (const reference of podReferences(object)) reference.set(names[reference.key]!);
      const dependsOn = args.dependsOn?.[key];
      const resource = kind.create(
        `${name}-${resourceName}`,
        object,
        inClusterOptions(args.cluster, this, dependsOn === undefined ? {} : { dependsOn }),
      );
      resources[key] = resource;
      own[key] = (resource as unknown as { metadata: pulumi.Output<{ name: string }> }).metadata.apply((metadata) => metadata.name);
      names[key] = own[key];
    }
    this.resources = resources;
    this.names = own;
    this.registerOutputs({});
  }
}

/**
 * The objects ChartObjects registers, in render order, after omit, image substitution, patches
 * and the namespace: plain logic, checked before anything is registered.
 */
export function prepareObjects(
  subject: string,
  args: Pick<ChartObjectsArgs, "objects" | "images" | "patches" | "omit" | "dependsOn" | "references" | "namespace">,
): { key: string; kind: Kind; object: ChartObject; resourceName: string }[] {
  const given: unknown = args.objects;
  if (!Array.isArray(given) || given.length === 0) {
    throw new ArgumentError(subject, "objects", given, "expected the objects renderChart returned (at least one)");
  }
  requireOptionalStringList(subject, "omit", args.omit, '["NetworkPolicy/app"]');
  const patches = requireOptionalRecord(
    subject,
    "patches",
    args.patches,
    'expected functions by "Kind/name", e.g. { "Service/app": (service) => ({ ...service }) }',
  );
  for (const [key, patch] of Object.entries(patches ?? {})) {
    if (typeof patch !== "function")
      throw new ArgumentError(subject, `patches[${JSON.stringify(key)}]`, patch, "expected a function of the object");
  }
  const images =
    requireOptionalRecord(
      subject,
      "images",
      args.images,
      'expected rendered image -> image, e.g. { "localhost/app:placeholder": build.image }',
    ) ?? {};
  for (const [image, replacement] of Object.entries(images)) {
    if (replacement === undefined || (typeof replacement !== "string" && !isEventual(replacement))) {
      throw new ArgumentError(
        subject,
        `images[${JSON.stringify(image)}]`,
        replacement,
        "expected an image reference (a string or an Output)",
      );
    }
  }
  for (const [field, record] of [
    ["references", args.references],
    ["dependsOn", args.dependsOn],
  ] as const) {
    requireOptionalRecord(subject, field, record, 'expected a map by "Kind/name"');
  }
  const rendered = new Set<string>();
  for (const object of args.objects) {
    const key = objectKey(object);
    if (rendered.has(key)) throw new ArgumentError(subject, "objects", key, "expected each Kind/name once; the render has it twice");
    rendered.add(key);
  }
  for (const [field, keys] of [
    ["omit", args.omit ?? []],
    ["patches", Object.keys(args.patches ?? {})],
    ["dependsOn", Object.keys(args.dependsOn ?? {})],
  ] as const) {
    for (const key of keys) {
      if (!rendered.has(key)) {
        throw new ArgumentError(
          subject,
          `${field}[${JSON.stringify(key)}]`,
          key,
          `expected a rendered Kind/name: ${[...rendered].join(", ")}`,
        );
      }
    }
  }
  const omitted = new Set(args.omit ?? []);
  const used = new Set<string>();
  const prepared = args.objects
    .filter((object) => !omitted.has(objectKey(object)))
    .map((rendered) => {
      const key = objectKey(rendered);
      const kind = KINDS[`${rendered.apiVersion}/${rendered.kind}`];
      if (kind === undefined) {
        throw new ArgumentError(
          subject,
          "objects",
          `${rendered.apiVersion} ${key}`,
          `expected one of the kinds ChartObjects registers (${Object.keys(KINDS).join(", ")}), or omit it`,
        );
      }
      let object: ChartObject = structuredClone(rendered);
      for (const container of podContainers(object)) {
        const image = container["image"];
        if (typeof image === "string" && image in images) {
          container["image"] = images[image];
          used.add(image);
        }
      }
      const patch = args.patches?.[key];
      if (patch !== undefined) object = patch(object as ManifestObject);
      const annotations = (object.metadata["annotations"] ?? {}) as Record<string, unknown>;
      const skipAwait = object.kind === "Service" || object.kind === "PersistentVolumeClaim" ? { "pulumi.com/skipAwait": "true" } : {};
      object = {
        ...object,
        metadata: {
          ...object.metadata,
          ...(kind.namespaced ? { namespace: args.namespace } : {}),
          ...(Object.keys(annotations).length + Object.keys(skipAwait).length > 0 ? { annotations: { ...annotations, ...skipAwait } } : {}),
        },
      };
      // Named after the rendered object: a patch may give it an Output for a name.
      return { key, kind, object, resourceName: `${rendered.kind.toLowerCase()}-${rendered.metadata.name}` };
    });
  const known = new Set([...prepared.map((p) => p.key), ...Object.keys(args.references ?? {})]);
  for (const { key, object } of prepared) {
    for (const reference of podReferences(object)) {
      if (!known.has(reference.key)) {
        throw new ArgumentError(
          subject,
          "references",
          args.references ?? {},
          `expected ${reference.key} (${key} refers to it at ${reference.path}): render it, or create it and give its name Output here`,
        );
      }
    }
  }
  for (const image of Object.keys(images)) {
    if (!used.has(image)) {
      throw new ArgumentError(subject, `images[${JSON.stringify(image)}]`, image, "expected an image a rendered pod template runs");
    }
  }
  return prepared;
}

type Fields = Record<string, unknown>;

/** The pod template's spec of a workload (Deployment, Job, ...); undefined for other objects. */
function podSpec(object: ChartObject): Fields | undefined {
  const spec = (object["spec"] as { template?: { spec?: Fields } } | undefined)?.template?.spec;
  return typeof spec === "object" && spec !== null ? spec : undefined;
}

/** The containers and init containers of an object's pod template. */
function podContainers(object: ChartObject): Fields[] {
  const pod = (podSpec(object) ?? {}) as { containers?: Fields[]; initContainers?: Fields[] };
  return [...(pod.initContainers ?? []), ...(pod.containers ?? [])];
}

/** A name in a pod template that refers to another object: where it is, and a setter for its value. */
interface Reference {
  /** The referenced object, "Kind/name". */
  key: string;
  /** Where, e.g. "spec.template.spec.volumes[2].secret.secretName". */
  path: string;
  set(value: pulumi.Input<string>): void;
}

/**
 * The references by name of a workload's pod template: its ServiceAccount, image pull Secrets,
 * the ConfigMaps, Secrets and claims its volumes mount (projected sources too), and those its
 * containers' env and envFrom read.
 */
export function podReferences(object: ChartObject): Reference[] {
  const spec = podSpec(object);
  if (spec === undefined) return [];
  const references: Reference[] = [];
  const at = (kind: string, holder: Fields | undefined, field: string, path: string) => {
    const name = holder?.[field];
    // The cluster publishes its root CA in every namespace (a projected service account token's source).
    if (kind === "ConfigMap" && name === "kube-root-ca.crt") return;
    if (holder !== undefined && typeof name === "string") {
      const where = path === "" ? field : `${path}.${field}`;
      references.push({
        key: `${kind}/${name}`,
        path: `spec.template.spec.${where}`,
        set: (value) => {
          holder[field] = value;
        },
      });
    }
  };
  at("ServiceAccount", spec, "serviceAccountName", "");
  ((spec["imagePullSecrets"] ?? []) as Fields[]).forEach((secret, i) => at("Secret", secret, "name", `imagePullSecrets[${i}]`));
  ((spec["volumes"] ?? []) as Fields[]).forEach((volume, i) => {
    at("ConfigMap", volume["configMap"] as Fields | undefined, "name", `volumes[${i}].configMap`);
    at("Secret", volume["secret"] as Fields | undefined, "secretName", `volumes[${i}].secret`);
    at("PersistentVolumeClaim", volume["persistentVolumeClaim"] as Fields | undefined, "claimName", `volumes[${i}].persistentVolumeClaim`);
    const sources = ((volume["projected"] as Fields | undefined)?.["sources"] ?? []) as Fields[];
    sources.forEach((source, j) => {
      at("ConfigMap", source["configMap"] as Fields | undefined, "name", `volumes[${i}].projected.sources[${j}].configMap`);
      at("Secret", source["secret"] as Fields | undefined, "name", `volumes[${i}].projected.sources[${j}].secret`);
    });
  });
  const containers = (list: string) => ((spec[list] ?? []) as Fields[]).map((container, i) => [container, `${list}[${i}]`] as const);
  for (const [container, path] of [...containers("initContainers"), ...containers("containers")]) {
    ((container["env"] ?? []) as Fields[]).forEach((env, i) => {
      const from = env["valueFrom"] as Fields | undefined;
      at("ConfigMap", from?.["configMapKeyRef"] as Fields | undefined, "name", `${path}.env[${i}].valueFrom.configMapKeyRef`);
      at("Secret", from?.["secretKeyRef"] as Fields | undefined, "name", `${path}.env[${i}].valueFrom.secretKeyRef`);
    });
    ((container["envFrom"] ?? []) as Fields[]).forEach((from, i) => {
      at("ConfigMap", from["configMapRef"] as Fields | undefined, "name", `${path}.envFrom[${i}].configMapRef`);
      at("Secret", from["secretRef"] as Fields | undefined, "name", `${path}.envFrom[${i}].secretRef`);
    });
  }
  return references;
}
