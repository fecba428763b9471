/**
 * An argument a component cannot work with. Thrown from a constructor before `super()`, so a bad
 * input fails the preview before anything is registered with the engine.
 *
 * The message names the component, the argument (as a path such as `nodes[1].role`), the bad
 * value and what would be valid.
 */
export class ArgumentError extends Error {
  constructor(
    /** `Class "resource-name"`, e.g. `KindCluster "gateway"`. */
    readonly subject: string,
    /** The argument's path, e.g. `nodes[0].extraPortMappings[1].hostPort`. */
    readonly field: string,
    readonly value: unknown,
    /** What would be valid, e.g. `expected "control-plane" or "worker"`. */
    readonly expected: string,
  ) {
    super(`${subject}: ${field} is ${describe(value)}; ${expected}`);
    this.name = "ArgumentError";
  }
}

/** `Class "name"`: the subject of an ArgumentError. */
export function subjectOf(className: string, resourceName: string): string {
  return `${className} ${JSON.stringify(resourceName)}`;
}

function describe(value: unknown): string {
  if (value === undefined) return "missing";
  if (typeof value === "string") return JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}
