import * as pulumi from "@pulumi/pulumi";
import { ArgumentError } from "./errors";

/**
 * Checks of argument shapes that TypeScript cannot enforce: values that come from untyped stack
 * config, JSON or JavaScript callers. Each throws an ArgumentError naming the field, the value and
 * what is valid, so a wrong type fails the preview rather than a TypeError halfway through.
 */

/** An optional boolean: `undefined`, `true` or `false`. The string "false" is rejected, not taken as true. */
export function requireOptionalBoolean(subject: string, field: string, value: unknown): boolean | undefined {
  if (value !== undefined && typeof value !== "boolean") {
    throw new ArgumentError(subject, field, value, "expected true or false (a boolean, not a string)");
  }
  return value;
}

/** An optional list of strings, e.g. container args: `["--config=/etc/app/config.yaml"]`, not one string. */
export function requireOptionalStringList(subject: string, field: string, value: unknown, example: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new ArgumentError(subject, field, value, `expected a list of strings, e.g. ${example}`);
  value.forEach((item, index) => {
    if (typeof item !== "string") throw new ArgumentError(subject, `${field}[${index}]`, item, "expected a string");
  });
  return value as string[];
}

/** A plain object (a map of names to values), not a string, list or null. */
export function requireOptionalRecord(
  subject: string,
  field: string,
  value: unknown,
  expected: string,
): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ArgumentError(subject, field, value, expected);
  return value as Record<string, unknown>;
}

/**
 * A component another one takes (a Postgres, an ImageBuildLoad): an object with the members it
 * reads. `what` names it, e.g. "a Postgres component".
 */
export function requireComponent(subject: string, field: string, value: unknown, members: readonly string[], what: string): void {
  const object = value as Record<string, unknown> | null | undefined;
  if (typeof object !== "object" || object === null || members.some((member) => object[member] === undefined)) {
    throw new ArgumentError(subject, field, value, `expected ${what} (with ${members.join(", ")})`);
  }
}

/** True for a value that is known only later: an Output or a Promise. */
export function isEventual(value: unknown): boolean {
  return pulumi.Output.isInstance(value) || value instanceof Promise;
}

/**
 * An Input<string>: an Output or Promise (checked when it resolves, by whoever takes it), or a
 * plain string that `check` accepts. `undefined` is "missing".
 */
export function requireStringInput(
  subject: string,
  field: string,
  value: unknown,
  expected: string,
  check: (text: string) => boolean = () => true,
): void {
  if (isEventual(value)) return;
  if (typeof value !== "string" || !check(value)) throw new ArgumentError(subject, field, value, expected);
}
