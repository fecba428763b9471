/** A resource as `e2e-infra graph --json` shows it: what the engine orders by. */
export interface GraphNode {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  parent: string | null;
  /** The explicit provider's URN, or null for the default provider. */
  provider: string | null;
  /** The dependency list the engine orders by. */
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  deletedWith: string | null;
}

/** One RegisterResource request, as the SDK sent it to the engine. */
export interface CapturedResource extends GraphNode {
  /** Inputs with secrets unwrapped (see secretInputs) and resource references as URNs. */
  inputs: Record<string, unknown>;
  /** Paths of inputs sent as secrets, e.g. "environment.KUBECONFIG". */
  secretInputs: string[];
  options: {
    /** A component the provider implements (e.g. a yaml/v2 ConfigGroup): the engine treats it like a custom resource. */
    remote: boolean;
    deleteBeforeReplace: boolean;
    ignoreChanges: string[];
    replaceOnChanges: string[];
    additionalSecretOutputs: string[];
  };
}

/** The `e2e-infra graph --json` shape (a contract: docs/architecture.md, "The graph document"). */
export interface GraphJson {
  project: string;
  stack: string;
  resources: GraphNode[];
}

/** A resource, by URN or as captured. */
export type ResourceRef = string | CapturedResource;

/** Which resources to pick: all given criteria must hold. */
export interface ResourceQuery {
  /** Exact type token, e.g. "pulumi-nodejs:dynamic:HostCommand". */
  type?: string;
  /** Exact name, or a pattern. */
  name?: string | RegExp;
  /** Only descendants of this resource (a component), by parent chain. */
  under?: ResourceRef;
}

/** The captured resource graph, with the questions tests ask of it. */
export class ResourceGraph {
  private readonly byUrn = new Map<string, CapturedResource>();

  constructor(
    readonly project: string,
    readonly stack: string,
    readonly resources: readonly CapturedResource[],
  ) {
    for (const resource of resources) this.byUrn.set(resource.urn, resource);
  }

  get(ref: ResourceRef): CapturedResource {
    const urn = urnOf(ref);
    const resource = this.byUrn.get(urn);
    if (resource === undefined) throw new Error(`no captured resource ${urn}`);
    return resource;
  }

  find(query: ResourceQuery): CapturedResource[] {
    const under = query.under === undefined ? undefined : urnOf(query.under);
    return this.resources.filter(
      (resource) =>
        (query.type === undefined || resource.type === query.type) &&
        (query.name === undefined || (typeof query.name === "string" ? resource.name === query.name : query.name.test(resource.name))) &&
        (under === undefined || this.ancestors(resource).some((ancestor) => ancestor.urn === under)),
    );
  }

  /** The one resource matching `query`; throws, listing what there is, unless exactly one matches. */
  one(query: ResourceQuery): CapturedResource {
    const found = this.find(query);
    if (found.length !== 1) {
      const have = this.resources.map((resource) => `  ${resource.type} ${resource.name}`).join("\n");
      throw new Error(`expected one resource matching ${describeQuery(query)}, found ${found.length}; captured:\n${have}`);
    }
    return found[0]!;
  }

  /** Parent chain, nearest first. */
  ancestors(ref: ResourceRef): CapturedResource[] {
    const chain: CapturedResource[] = [];
    let parent = this.get(ref).parent;
    while (parent !== null) {
      const resource = this.byUrn.get(parent);
      if (resource === undefined) break;
      chain.push(resource);
      parent = resource.parent;
    }
    return chain;
  }

  children(ref: ResourceRef): CapturedResource[] {
    const urn = urnOf(ref);
    return this.resources.filter((resource) => resource.parent === urn);
  }

  descendants(ref: ResourceRef): CapturedResource[] {
    const urn = urnOf(ref);
    return this.resources.filter((resource) => this.ancestors(resource).some((ancestor) => ancestor.urn === urn));
  }

  /**
   * What the engine makes `ref` wait for directly: its dependency list, its provider, and a
   * custom parent. A component named there stands for all of its descendants, as the SDK
   * expands it.
   */
  directDependencies(ref: ResourceRef): Set<string> {
    const resource = this.get(ref);
    const direct = new Set<string>(resource.dependencies);
    if (resource.provider !== null) direct.add(resource.provider);
    if (resource.parent !== null && this.byUrn.get(resource.parent)?.custom === true) direct.add(resource.parent);
    for (const urn of [...direct]) {
      const target = this.byUrn.get(urn);
      if (target !== undefined && !target.custom) for (const child of this.descendants(target)) direct.add(child.urn);
    }
    return direct;
  }

  /** Everything `ref` waits for, directly or through others. */
  transitiveDependencies(ref: ResourceRef): Set<string> {
    const seen = new Set<string>();
    const pending = [...this.directDependencies(ref)];
    while (pending.length > 0) {
      const urn = pending.pop()!;
      if (seen.has(urn)) continue;
      seen.add(urn);
      if (this.byUrn.has(urn)) pending.push(...this.directDependencies(urn));
    }
    return seen;
  }

  /** True when `a` waits for `b`, directly or transitively. */
  dependsOn(a: ResourceRef, b: ResourceRef): boolean {
    return this.transitiveDependencies(a).has(urnOf(b));
  }

  /** True when neither waits for the other, so the engine may run them at once. */
  independent(a: ResourceRef, b: ResourceRef): boolean {
    return !this.dependsOn(a, b) && !this.dependsOn(b, a);
  }

  /**
   * Each custom (or provider-implemented) resource's direct dependencies (see directDependencies), by resource name, sorted:
   * a compact view of what the engine schedules, for golden files a person reviews.
   */
  edgesByName(): Record<string, string[]> {
    const name = (urn: string) => this.byUrn.get(urn)?.name ?? urn;
    return Object.fromEntries(
      this.resources
        .filter((resource) => resource.custom || resource.options.remote)
        .map((resource) => [resource.name, [...this.directDependencies(resource)].map(name).sort()] as const)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );
  }

  /**
   * The `e2e-infra graph --json` document. Resources are sorted by URN: registration order
   * depends on when each Output resolved, so it is not stable from run to run.
   */
  toJSON(): GraphJson {
    return {
      project: this.project,
      stack: this.stack,
      resources: [...this.resources]
        .sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0))
        .map((resource) => ({
          urn: resource.urn,
          type: resource.type,
          name: resource.name,
          custom: resource.custom,
          parent: resource.parent,
          provider: resource.provider,
          dependencies: [...resource.dependencies],
          propertyDependencies: Object.fromEntries(Object.entries(resource.propertyDependencies).map(([key, urns]) => [key, [...urns]])),
          deletedWith: resource.deletedWith,
        })),
    };
  }
}

function urnOf(ref: ResourceRef): string {
  return typeof ref === "string" ? ref : ref.urn;
}

function describeQuery(query: ResourceQuery): string {
  const parts: string[] = [];
  if (query.type !== undefined) parts.push(`type ${query.type}`);
  if (query.name !== undefined) parts.push(`name ${String(query.name)}`);
  if (query.under !== undefined) parts.push(`under ${urnOf(query.under)}`);
  return parts.join(", ");
}

/** A CapturedResource made by hand, for tests of code that reads graphs: custom, no edges, unless `extra` says otherwise. */
export function capturedResource(urn: string, type: string, name: string, extra: Partial<CapturedResource> = {}): CapturedResource {
  return {
    urn,
    type,
    name,
    custom: true,
    parent: null,
    provider: null,
    dependencies: [],
    propertyDependencies: {},
    deletedWith: null,
    inputs: {},
    secretInputs: [],
    options: { remote: false, deleteBeforeReplace: false, ignoreChanges: [], replaceOnChanges: [], additionalSecretOutputs: [] },
    ...extra,
  };
}
