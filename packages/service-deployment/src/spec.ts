import { ArgumentError } from "@e2e-infra/core";
import type * as pulumi from "@pulumi/pulumi";

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
  /** File name -> content. */
  files: Record<string, string>;
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

export function validateRules(subject: string, field: string, rules: readonly PolicyRule[] | undefined): void {
  (rules ?? []).forEach((rule, index) => {
    const at = `${field}[${index}]`;
    if (!Array.isArray(rule.verbs) || rule.verbs.length === 0) {
      throw new ArgumentError(subject, `${at}.verbs`, rule.verbs, 'expected at least one verb, e.g. ["get", "list", "watch"]');
    }
    for (const verb of rule.verbs) {
      if (!VERBS.includes(verb)) throw new ArgumentError(subject, `${at}.verbs`, verb, `expected one of ${VERBS.join(", ")}`);
    }
    const hasResources = (rule.resources?.length ?? 0) > 0;
    const hasUrls = (rule.nonResourceURLs?.length ?? 0) > 0;
    if (hasResources === hasUrls) {
      throw new ArgumentError(subject, at, rule, "expected either resources (with apiGroups) or nonResourceURLs");
    }
    if (hasResources && rule.apiGroups === undefined) {
      throw new ArgumentError(
        subject,
        `${at}.apiGroups`,
        rule.apiGroups,
        'expected the API groups of the resources ("" for the core group)',
      );
    }
  });
}

export function validatePorts(subject: string, ports: readonly PortSpec[]): void {
  const names = new Set<string>();
  const numbers = new Set<number>();
  ports.forEach((port, index) => {
    const at = `ports[${index}]`;
    if (typeof port.name !== "string" || !PORT_NAME.test(port.name) || !/[a-z]/.test(port.name)) {
      throw new ArgumentError(
        subject,
        `${at}.name`,
        port.name,
        'expected a port name: at most 15 lower-case letters, digits and "-", with a letter',
      );
    }
    if (names.has(port.name)) throw new ArgumentError(subject, `${at}.name`, port.name, "expected each port name once");
    names.add(port.name);
    if (!Number.isInteger(port.containerPort) || port.containerPort < 1 || port.containerPort > 65535) {
      throw new ArgumentError(subject, `${at}.containerPort`, port.containerPort, "expected a port number from 1 to 65535");
    }
    if (numbers.has(port.containerPort))
      throw new ArgumentError(subject, `${at}.containerPort`, port.containerPort, "expected each container port once");
    numbers.add(port.containerPort);
  });
}

export function validateProbe(subject: string, field: string, probe: HttpProbe | undefined, ports: readonly PortSpec[]): void {
  if (probe === undefined) return;
  const exposed = ports.some((port) => port.name === probe.port || port.containerPort === probe.port);
  if (!exposed) {
    const have = ports.map((port) => `${port.name} (${port.containerPort})`).join(", ") || "none";
    throw new ArgumentError(subject, `${field}.port`, probe.port, `expected a port the container exposes: ${have}`);
  }
  if (typeof probe.path !== "string" || !probe.path.startsWith("/")) {
    throw new ArgumentError(subject, `${field}.path`, probe.path, 'expected an HTTP path such as "/healthz"');
  }
}

export function validateEnv(subject: string, env: Record<string, EnvValue> | undefined): void {
  for (const name of Object.keys(env ?? {})) {
    if (!ENV_NAME.test(name)) throw new ArgumentError(subject, "env", name, "expected environment variable names of letters, digits and _");
  }
}

export function validateFiles(subject: string, field: string, configMaps: ReadonlyArray<Omit<ConfigFiles, "mountPath">>): void {
  configMaps.forEach((configMap, index) => {
    for (const key of Object.keys(configMap.files)) {
      if (!FILE_KEY.test(key))
        throw new ArgumentError(subject, `${field}[${index}].files`, key, "expected file names of letters, digits, '-', '_' and '.'");
    }
  });
}
