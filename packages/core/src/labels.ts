/** The value every e2e-infra object carries in `app.kubernetes.io/managed-by`. */
export const MANAGED_BY = "e2e-infra";

/**
 * The recommended Kubernetes labels (app.kubernetes.io/*) for an object of one component
 * instance. Selectors use `name` and `instance` only, so they stay stable when `component`
 * or `partOf` change.
 */
export function standardLabels(args: {
  /** What it is, e.g. "postgresql". */
  name: string;
  /** Which one, e.g. the Pulumi resource name "gateway-postgres". */
  instance: string;
  /** Its role in the environment, e.g. "database". */
  component?: string;
  /** The environment it belongs to, e.g. "gateway-e2e". */
  partOf?: string;
}): Record<string, string> {
  const labels: Record<string, string> = {
    "app.kubernetes.io/name": args.name,
    "app.kubernetes.io/instance": args.instance,
    "app.kubernetes.io/managed-by": MANAGED_BY,
  };
  if (args.component !== undefined) labels["app.kubernetes.io/component"] = args.component;
  if (args.partOf !== undefined) labels["app.kubernetes.io/part-of"] = args.partOf;
  return labels;
}

/** The subset of standardLabels that selects the pods of one instance. */
export function selectorLabels(args: { name: string; instance: string }): Record<string, string> {
  return {
    "app.kubernetes.io/name": args.name,
    "app.kubernetes.io/instance": args.instance,
  };
}
