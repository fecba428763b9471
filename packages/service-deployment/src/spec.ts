import {
  ArgumentError,
  isEventual,
  isQualifiedName,
  requireDns1123Subdomain,
  requireOptionalRecord,
  requireOptionalStringList,
} from "@e2e-infra/core";
import * as pulumi from "@pulumi/pulumi";

/** An RBAC rule, as in a (Cluster)Role. */
export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}

/** A container port, optionally in the Service and on a NodePort. */
export interface PortSpec {
  /** IANA service name: at most 15 lower-case letters, digits and "-", e.g. "metrics". */
  name: string;
  containerPort: number;
  /** Put it in the Service (on this port, default containerPort). Default: true when nodePort is set. */
  servicePort?: number;
  /** Also expose it on this NodePort (30000-32767). */
  nodePort?: number;
}

/** An HTTP probe on one of the container's ports (by name or number). */
export interface HttpProbe {
  path: string;
  port: string | number;
  /** "HTTPS" for a server that speaks only TLS (its certificate is not checked). Default "HTTP". */
  scheme?: "HTTP" | "HTTPS";
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
}

/** A value for an environment variable: a string (or Output), a field of the pod, or a Secret's key. */
export type EnvValue = pulumi.Input<string> | { fieldRef: string } | { secretKeyRef: { name: pulumi.Input<string>; key: string } };

/** A ConfigMap of files mounted as a directory. */
export interface ConfigFiles {
  /** ConfigMap name. */
  name: string;
  mountPath: string;
  /** File name -> content (an Output for content made from other resources' outputs). */
  files: Record<string, pulumi.Input<string>>;
}

/**
 * Several ConfigMaps mounted as one directory (a projected volume), e.g. SignalProcessing's four
 * Rego policy ConfigMaps at /etc/signalprocessing/policies.
 */
export interface ProjectedConfig {
  mountPath: string;
  configMaps: Array<Omit<ConfigFiles, "mountPath">>;
}

const PORT_NAME = /^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const FILE_KEY = /^[-._a-zA-Z0-9]+$/;
/** A Kubernetes resource quantity, e.g. "500m", "256Mi", "1.5", "1e3". */
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)?$/;
const VERBS = [
  "get",
  "list",
  "watch",
  "create",
  "update",
  "patch",
  "delete",
  "deletecollection",
  "*",
  "use",
  "bind",
  "escalate",
  "impersonate",
  "approve",
  "sign",
];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function requireList(subject: string, field: string, value: unknown, expected: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ArgumentError(subject, field, value, expected);
  return value;
}

export function validateRules(subject: string, field: string, rules: unknown): void {
  requireList(subject, field, rules, "expected a list of RBAC rules { apiGroups, resources, verbs }").forEach((rule, index) => {
    const at = `${field}[${index}]`;
    if (!isObject(rule)) throw new ArgumentError(subject, at, rule, "expected an RBAC rule: { apiGroups, resources, verbs }");
    if (!Array.isArray(rule["verbs"]) || rule["verbs"].length === 0) {
      throw new ArgumentError(subject, `${at}.verbs`, rule["verbs"], 'expected at least one verb, e.g. ["get", "list", "watch"]');
    }
    for (const verb of rule["verbs"] as unknown[]) {
      if (typeof verb !== "string" || !VERBS.includes(verb)) {
        throw new ArgumentError(subject, `${at}.verbs`, verb, `expected one of ${VERBS.join(", ")}`);
      }
    }
    for (const list of ["apiGroups", "resources", "resourceNames", "nonResourceURLs"]) {
      requireOptionalStringList(
        subject,
        `${at}.${list}`,
        rule[list],
        list === "apiGroups" ? '["", "apps"] ("" is the core group)' : '["pods"]',
      );
    }
    const rbac = rule as unknown as PolicyRule;
    const hasResources = (rbac.resources?.length ?? 0) > 0;
    const hasUrls = (rbac.nonResourceURLs?.length ?? 0) > 0;
    if (hasResources === hasUrls) {
      throw new ArgumentError(subject, at, rule, "expected either resources (with apiGroups) or nonResourceURLs");
    }
    if (hasResources && rbac.apiGroups === undefined) {
      throw new ArgumentError(
        subject,
        `${at}.apiGroups`,
        rbac.apiGroups,
        'expected the API groups of the resources ("" for the core group)',
      );
    }
  });
}

/** Checks the ports and returns them. */
export function validatePorts(subject: string, value: unknown): PortSpec[] {
  const ports = requireList(subject, "ports", value, "expected a list of ports { name, containerPort }");
  const names = new Set<string>();
  const numbers = new Set<number>();
  ports.forEach((port, index) => {
    const at = `ports[${index}]`;
    if (!isObject(port)) throw new ArgumentError(subject, at, port, "expected a port: { name, containerPort }");
    const { name, containerPort, servicePort } = port;
    if (typeof name !== "string" || !PORT_NAME.test(name) || !/[a-z]/.test(name)) {
      throw new ArgumentError(
        subject,
        `${at}.name`,
        name,
        'expected a port name: at most 15 lower-case letters, digits and "-", with a letter',
      );
    }
    if (names.has(name)) throw new ArgumentError(subject, `${at}.name`, name, "expected each port name once");
    names.add(name);
    requirePort(subject, `${at}.containerPort`, containerPort);
    if (numbers.has(containerPort as number)) {
      throw new ArgumentError(subject, `${at}.containerPort`, containerPort, "expected each container port once");
    }
    numbers.add(containerPort as number);
    if (servicePort !== undefined) requirePort(subject, `${at}.servicePort`, servicePort);
  });
  return ports as PortSpec[];
}

function requirePort(subject: string, field: string, value: unknown): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 65535) {
    throw new ArgumentError(subject, field, value, "expected a port number from 1 to 65535");
  }
}

export function validateProbe(subject: string, field: string, probe: unknown, ports: readonly PortSpec[]): void {
  if (probe === undefined) return;
  if (!isObject(probe))
    throw new ArgumentError(subject, field, probe, 'expected an HTTP probe: { path, port }, e.g. { path: "/healthz", port: "health" }');
  const exposed = ports.some((port) => port.name === probe["port"] || port.containerPort === probe["port"]);
  if (!exposed) {
    const have = ports.map((port) => `${port.name} (${port.containerPort})`).join(", ") || "none";
    throw new ArgumentError(subject, `${field}.port`, probe["port"], `expected a port the container exposes: ${have}`);
  }
  if (typeof probe["path"] !== "string" || !probe["path"].startsWith("/")) {
    throw new ArgumentError(subject, `${field}.path`, probe["path"], 'expected an HTTP path such as "/healthz"');
  }
  if (probe["scheme"] !== undefined && probe["scheme"] !== "HTTP" && probe["scheme"] !== "HTTPS") {
    throw new ArgumentError(subject, `${field}.scheme`, probe["scheme"], 'expected "HTTP" or "HTTPS"');
  }
  // Kubernetes' minimums: a delay may be 0, the others at least 1.
  const minimums = { initialDelaySeconds: 0, periodSeconds: 1, timeoutSeconds: 1, failureThreshold: 1 };
  for (const [key, minimum] of Object.entries(minimums)) {
    const value = probe[key];
    if (value !== undefined && (typeof value !== "number" || !Number.isInteger(value) || value < minimum)) {
      throw new ArgumentError(subject, `${field}.${key}`, value, `expected a whole number, ${minimum} or more`);
    }
  }
}

const ENV_VALUE = "expected a string, an Output, { fieldRef } or { secretKeyRef: { name, key } }";

export function validateEnv(subject: string, env: unknown): void {
  const entries = requireOptionalRecord(
    subject,
    "env",
    env,
    'expected a map of environment variable names to values, e.g. { LOG_LEVEL: "debug" }',
  );
  for (const [name, value] of Object.entries(entries ?? {})) {
    if (!ENV_NAME.test(name)) throw new ArgumentError(subject, "env", name, "expected environment variable names of letters, digits and _");
    if (typeof value === "string" || isEventual(value)) continue;
    const field = `env[${JSON.stringify(name)}]`;
    if (!isObject(value) || Object.keys(value).length !== 1) throw new ArgumentError(subject, field, value, ENV_VALUE);
    if ("fieldRef" in value) {
      if (typeof value["fieldRef"] !== "string" || value["fieldRef"] === "") throw new ArgumentError(subject, field, value, ENV_VALUE);
    } else if ("secretKeyRef" in value) {
      const ref = value["secretKeyRef"];
      if (!isObject(ref) || ref["name"] === undefined || typeof ref["key"] !== "string" || ref["key"] === "") {
        throw new ArgumentError(subject, field, value, ENV_VALUE);
      }
    } else {
      throw new ArgumentError(subject, field, value, ENV_VALUE);
    }
  }
}

/** Container resources: `{ requests, limits }`, each a map of resource names to quantities. */
export function validateResources(subject: string, resources: unknown): void {
  const expected = 'expected { requests, limits }: maps of resource names to quantities, e.g. { limits: { memory: "256Mi" } }';
  const value = requireOptionalRecord(subject, "resources", resources, expected);
  if (value === undefined) return;
  if (Object.keys(value).some((key) => key !== "requests" && key !== "limits"))
    throw new ArgumentError(subject, "resources", resources, expected);
  for (const kind of ["requests", "limits"]) {
    const quantities = requireOptionalRecord(subject, `resources.${kind}`, value[kind], expected);
    for (const [resource, quantity] of Object.entries(quantities ?? {})) {
      if (typeof quantity !== "string" || !QUANTITY.test(quantity)) {
        throw new ArgumentError(
          subject,
          `resources.${kind}[${JSON.stringify(resource)}]`,
          quantity,
          'expected a Kubernetes quantity such as "500m" or "256Mi"',
        );
      }
    }
  }
}

/**
 * Checks the ConfigMaps of files (`configMaps`, and `projectedConfig`'s): names, mount paths and
 * file names; each ConfigMap name and each mount path once across both.
 */
export function validateConfig(subject: string, configMaps: unknown, projected: unknown): void {
  const names = new Set<string>();
  const mounts = new Set<string>();
  const mountPath = (field: string, path: unknown) => {
    if (typeof path !== "string" || !path.startsWith("/") || /[\n\r\0]/.test(path)) {
      throw new ArgumentError(subject, field, path, 'expected an absolute path inside the container, e.g. "/etc/app"');
    }
    if (mounts.has(path)) throw new ArgumentError(subject, field, path, "expected each mount path once");
    mounts.add(path);
  };
  const files = (field: string, list: unknown[], withMountPath: boolean) =>
    list.forEach((config, index) => {
      const at = `${field}[${index}]`;
      if (!isObject(config))
        throw new ArgumentError(subject, at, config, `expected a ConfigMap: { name, ${withMountPath ? "mountPath, " : ""}files }`);
      const name = requireDns1123Subdomain(subject, `${at}.name`, config["name"]);
      if (names.has(name)) throw new ArgumentError(subject, `${at}.name`, name, "expected each ConfigMap name once");
      names.add(name);
      if (withMountPath) mountPath(`${at}.mountPath`, config["mountPath"]);
      const contents = requireOptionalRecord(
        subject,
        `${at}.files`,
        config["files"],
        'expected a map of file names to contents, e.g. { "config.yaml": "..." }',
      );
      if (contents === undefined)
        throw new ArgumentError(
          subject,
          `${at}.files`,
          undefined,
          'expected a map of file names to contents, e.g. { "config.yaml": "..." }',
        );
      for (const [key, content] of Object.entries(contents)) {
        if (!FILE_KEY.test(key))
          throw new ArgumentError(subject, `${at}.files`, key, "expected file names of letters, digits, '-', '_' and '.'");
        if (typeof content !== "string" && !pulumi.Output.isInstance(content))
          throw new ArgumentError(
            subject,
            `${at}.files[${JSON.stringify(key)}]`,
            content,
            "expected the file's content as a string (or an Output of one)",
          );
      }
    });
  files("configMaps", requireList(subject, "configMaps", configMaps, "expected a list of ConfigMaps { name, mountPath, files }"), true);
  if (projected === undefined) return;
  if (!isObject(projected)) throw new ArgumentError(subject, "projectedConfig", projected, "expected { mountPath, configMaps }");
  mountPath("projectedConfig.mountPath", projected["mountPath"]);
  const list = requireList(subject, "projectedConfig.configMaps", projected["configMaps"], "expected a list of ConfigMaps { name, files }");
  if (list.length === 0)
    throw new ArgumentError(subject, "projectedConfig.configMaps", projected["configMaps"], "expected at least one ConfigMap");
  files("projectedConfig.configMaps", list, false);
}

/** The annotation key prefix of `startAfter` entries: `e2e-infra.dev/after-<name>`. */
export const START_AFTER_PREFIX = "e2e-infra.dev/after-";

/**
 * `startAfter`: names to values, each name becoming the annotation key `e2e-infra.dev/after-<name>`
 * (a qualified name: its part after "/" at most 63 characters), each value a string or an Output.
 */
/** A Secret mounted as a directory of its keys (a certificate of the release's CA, for example). */
export interface SecretFiles {
  /** The Secret's name (an Output, so the pods wait for it). */
  secretName: pulumi.Input<string>;
  mountPath: string;
}

export function validateSecrets(subject: string, secrets: unknown): void {
  const example = 'expected a list of Secrets to mount, e.g. [{ secretName: tls.secretNames["dex"], mountPath: "/etc/dex/tls" }]';
  for (const [index, secret] of requireList(subject, "secrets", secrets, example).entries()) {
    if (!isObject(secret)) throw new ArgumentError(subject, `secrets[${index}]`, secret, example);
    const name = secret["secretName"];
    if (typeof name !== "string" && !isEventual(name))
      throw new ArgumentError(subject, `secrets[${index}].secretName`, name, "expected a Secret's name (a string or an Output)");
    if (typeof name === "string") requireDns1123Subdomain(subject, `secrets[${index}].secretName`, name);
    const mountPath = secret["mountPath"];
    if (typeof mountPath !== "string" || !mountPath.startsWith("/")) {
      throw new ArgumentError(subject, `secrets[${index}].mountPath`, mountPath, 'expected an absolute path such as "/etc/tls"');
    }
  }
}

export function validateStartAfter(subject: string, startAfter: unknown): void {
  const entries = requireOptionalRecord(
    subject,
    "startAfter",
    startAfter,
    "expected a map of names to values, e.g. { migrations: migrations.applied }",
  );
  const longest = 63 - (START_AFTER_PREFIX.length - START_AFTER_PREFIX.indexOf("/") - 1);
  for (const [name, value] of Object.entries(entries ?? {})) {
    if (!isQualifiedName(`${START_AFTER_PREFIX}${name}`)) {
      throw new ArgumentError(
        subject,
        "startAfter",
        name,
        `expected names that make an annotation key ${START_AFTER_PREFIX}<name>: letters, digits, "-", "_" and ".", ending in a letter or digit, at most ${longest} characters`,
      );
    }
    if (typeof value !== "string" && !isEventual(value)) {
      throw new ArgumentError(
        subject,
        `startAfter[${JSON.stringify(name)}]`,
        value,
        "expected a string or an Output that resolves when what it names is ready",
      );
    }
  }
}
