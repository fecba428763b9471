import { ServiceDeployment, type ServiceDeploymentArgs } from "@e2e-infra/service-deployment";
import { casesFor, Shown, type ComponentCatalogue } from "../catalogue";
import { fakeCluster, fakeImage } from "../fakes";

const good = (): ServiceDeploymentArgs => ({
  cluster: fakeCluster(),
  namespace: "kubernaut-system",
  image: fakeImage(),
  ports: [{ name: "http", containerPort: 8080 }],
});
const { bad, baseline } = casesFor<ServiceDeploymentArgs>(
  "ServiceDeployment",
  (name, args) => new ServiceDeployment(name, args),
  good,
  "app",
);

const BOOLEAN = "expected true or false";
const LIST = "expected a list of strings";
const PORT = "expected a port number from 1 to 65535";
const files = (part: Record<string, unknown>) => ({
  configMaps: [{ name: "app-config", mountPath: "/etc/app", files: { "config.yaml": "a: 1\n" }, ...part }],
});
const rule = (part: Record<string, unknown>) => ({ apiGroups: [""], resources: ["pods"], verbs: ["get"], ...part });
const port = (part: Record<string, unknown>) => ({ ports: [{ name: "http", containerPort: 8080, ...part }] });
const probe = (part: Record<string, unknown>) => ({ path: "/healthz", port: "http", ...part });

/**
 * ServiceDeployment: every argument (cluster, namespace, image, workloadName, args, command, env,
 * ports, readinessProbe, livenessProbe, resources, clusterRules, rules, configMaps,
 * projectedConfig, crds, startAfter, serviceName, coverage, pinToControlPlane).
 */
export const serviceDeployment: ComponentCatalogue = {
  component: "ServiceDeployment",
  args: { file: "packages/service-deployment/src/service-deployment.ts", type: "ServiceDeploymentArgs" },
  baseline,
  cases: [
    bad("no cluster", { cluster: undefined }, "cluster", undefined, "expected a cluster"),
    bad("no namespace", { namespace: undefined }, "namespace", undefined, "expected a namespace"),
    bad("an empty namespace", { namespace: "" }, "namespace", "", "expected a namespace"),
    bad("no image", { image: undefined }, "image", undefined, "expected an ImageBuildLoad"),
    bad(
      "an image reference instead of an ImageBuildLoad",
      { image: "localhost/app:1" },
      "image",
      "localhost/app:1",
      "expected an ImageBuildLoad",
    ),
    bad("a workload name with upper case and _", { workloadName: "App_1" }, "workloadName", "App_1", "expected a DNS-1123 label"),
    bad("a workload name of 64 characters", { workloadName: "w".repeat(64) }, "workloadName", "w".repeat(64), "expected a DNS-1123 label"),
    bad(
      "a resource name starting with a digit, so the Service name it defaults to is no DNS-1035 label",
      port({ nodePort: 30080 }),
      "serviceName",
      "1app",
      "expected a DNS-1035 label",
      "1app",
    ),
    bad("a Service name starting with a digit", { serviceName: "1svc" }, "serviceName", "1svc", "expected a DNS-1035 label"),
    bad("a Service name in upper case", { serviceName: "Gateway" }, "serviceName", "Gateway", "expected a DNS-1035 label"),
    bad("args as one string", { args: "--config=/etc/app/config.yaml" }, "args", "--config=/etc/app/config.yaml", LIST),
    bad("an arg that is a number", { args: ["--port", 8080] }, "args[1]", 8080, "expected a string"),
    bad("a command as one string", { command: "/manager --leader-elect" }, "command", "/manager --leader-elect", LIST),
    bad("env as one string", { env: "FOO=bar" }, "env", "FOO=bar", "expected a map of environment variable names to values"),
    bad("an env name starting with a digit", { env: { "1FOO": "x" } }, "env", "1FOO", "expected environment variable names"),
    bad(
      "an env value that is a number",
      { env: { PORT: 8080 } },
      'env["PORT"]',
      8080,
      "expected a string, an Output, { fieldRef } or { secretKeyRef: { name, key } }",
    ),
    bad(
      "an env value of a form it does not know",
      { env: { CFG: { configMapKeyRef: { name: "c", key: "k" } } } },
      'env["CFG"]',
      { configMapKeyRef: { name: "c", key: "k" } },
      "expected a string, an Output, { fieldRef } or { secretKeyRef: { name, key } }",
    ),
    bad(
      "a secret reference without a key",
      { env: { PW: { secretKeyRef: { name: "pg" } } } },
      'env["PW"]',
      { secretKeyRef: { name: "pg" } },
      "{ secretKeyRef: { name, key } }",
    ),
    bad("ports as one string", { ports: "http:8080" }, "ports", "http:8080", "expected a list of ports"),
    bad("a null port", { ports: [null] }, "ports[0]", null, "expected a port: { name, containerPort }"),
    bad("a port name in upper case", port({ name: "HTTP" }), "ports[0].name", "HTTP", "expected a port name"),
    bad(
      "one port name twice",
      {
        ports: [
          { name: "http", containerPort: 8080 },
          { name: "http", containerPort: 8081 },
        ],
      },
      "ports[1].name",
      "http",
      "expected each port name once",
    ),
    bad("a container port of 0", port({ containerPort: 0 }), "ports[0].containerPort", 0, PORT),
    bad("a container port given as a string", port({ containerPort: "8080" }), "ports[0].containerPort", "8080", PORT),
    bad(
      "one container port twice",
      {
        ports: [
          { name: "http", containerPort: 8080 },
          { name: "admin", containerPort: 8080 },
        ],
      },
      "ports[1].containerPort",
      8080,
      "expected each container port once",
    ),
    bad("a Service port above 65535", port({ servicePort: 70000 }), "ports[0].servicePort", 70000, PORT),
    bad("a NodePort outside the range", port({ nodePort: 8080 }), "ports[0].nodePort", 8080, "expected a NodePort from 30000 to 32767"),
    bad(
      "a readiness probe on a port it does not expose",
      { readinessProbe: probe({ port: "admin" }) },
      "readinessProbe.port",
      "admin",
      "expected a port the container exposes",
    ),
    bad(
      "a readiness probe path without /",
      { readinessProbe: probe({ path: "healthz" }) },
      "readinessProbe.path",
      "healthz",
      'expected an HTTP path such as "/healthz"',
    ),
    bad(
      "a negative initial delay",
      { livenessProbe: probe({ initialDelaySeconds: -1 }) },
      "livenessProbe.initialDelaySeconds",
      -1,
      "expected a whole number, 0 or more",
    ),
    bad(
      "a period given as a string",
      { readinessProbe: probe({ periodSeconds: "2" }) },
      "readinessProbe.periodSeconds",
      "2",
      "expected a whole number, 1 or more",
    ),
    bad(
      "a timeout of 0",
      { livenessProbe: probe({ timeoutSeconds: 0 }) },
      "livenessProbe.timeoutSeconds",
      0,
      "expected a whole number, 1 or more",
    ),
    bad(
      "a failure threshold that is no integer",
      { readinessProbe: probe({ failureThreshold: 1.5 }) },
      "readinessProbe.failureThreshold",
      1.5,
      "expected a whole number, 1 or more",
    ),
    bad("resources as one string", { resources: "256Mi" }, "resources", "256Mi", "expected { requests, limits }"),
    bad(
      "a misspelled resources key (silently ignored)",
      { resources: { request: { cpu: "100m" } } },
      "resources",
      { request: { cpu: "100m" } },
      "expected { requests, limits }",
    ),
    bad(
      "a memory limit that is no quantity",
      { resources: { limits: { memory: "lots" } } },
      'resources.limits["memory"]',
      "lots",
      "expected a Kubernetes quantity",
    ),
    bad("cluster rules as one string", { clusterRules: "get pods" }, "clusterRules", "get pods", "expected a list of RBAC rules"),
    bad("a null cluster rule", { clusterRules: [null] }, "clusterRules[0]", null, "expected an RBAC rule"),
    bad(
      "a verb Kubernetes does not have",
      { clusterRules: [rule({ verbs: ["read"] })] },
      "clusterRules[0].verbs",
      "read",
      "expected one of get, list, watch",
    ),
    bad("verbs as one string", { clusterRules: [rule({ verbs: "get" })] }, "clusterRules[0].verbs", "get", "expected at least one verb"),
    bad(
      "resources without API groups",
      { rules: [rule({ apiGroups: undefined })] },
      "rules[0].apiGroups",
      undefined,
      "expected the API groups of the resources",
    ),
    bad("resources as one string", { rules: [rule({ resources: "pods" })] }, "rules[0].resources", "pods", LIST),
    bad("API groups as one string", { rules: [rule({ apiGroups: "" })] }, "rules[0].apiGroups", "", LIST),
    bad(
      "a rule with neither resources nor URLs",
      { rules: [rule({ resources: undefined })] },
      "rules[0]",
      { apiGroups: [""], verbs: ["get"] },
      "expected either resources (with apiGroups) or nonResourceURLs",
    ),
    bad("configMaps as one string", { configMaps: "app-config" }, "configMaps", "app-config", "expected a list of ConfigMaps"),
    bad(
      "a ConfigMap name with upper case and _",
      files({ name: "App_Config" }),
      "configMaps[0].name",
      "App_Config",
      "expected a DNS-1123 subdomain",
    ),
    bad("a relative mount path", files({ mountPath: "etc/app" }), "configMaps[0].mountPath", "etc/app", "expected an absolute path"),
    bad(
      "files as one string",
      files({ files: "config.yaml" }),
      "configMaps[0].files",
      "config.yaml",
      "expected a map of file names to contents",
    ),
    bad(
      "a file name with a /",
      files({ files: { "conf/app.yaml": "a: 1" } }),
      "configMaps[0].files",
      "conf/app.yaml",
      "expected file names of letters, digits",
    ),
    bad(
      "a file content that is a number",
      files({ files: { "port.txt": 8080 } }),
      'configMaps[0].files["port.txt"]',
      8080,
      "expected the file's content as a string",
    ),
    bad(
      "one ConfigMap name twice",
      {
        configMaps: [
          { name: "c", mountPath: "/etc/a", files: {} },
          { name: "c", mountPath: "/etc/b", files: {} },
        ],
      },
      "configMaps[1].name",
      "c",
      "expected each ConfigMap name once",
    ),
    bad(
      "one mount path twice",
      {
        configMaps: [
          { name: "a", mountPath: "/etc/app", files: {} },
          { name: "b", mountPath: "/etc/app", files: {} },
        ],
      },
      "configMaps[1].mountPath",
      "/etc/app",
      "expected each mount path once",
    ),
    bad(
      "a relative projected mount path",
      { projectedConfig: { mountPath: "policies", configMaps: [{ name: "p", files: {} }] } },
      "projectedConfig.mountPath",
      "policies",
      "expected an absolute path",
    ),
    bad(
      "projected ConfigMaps as one string",
      { projectedConfig: { mountPath: "/etc/policies", configMaps: "p" } },
      "projectedConfig.configMaps",
      "p",
      "expected a list of ConfigMaps",
    ),
    bad(
      "no projected ConfigMaps",
      { projectedConfig: { mountPath: "/etc/policies", configMaps: [] } },
      "projectedConfig.configMaps",
      [],
      "expected at least one ConfigMap",
    ),
    bad(
      "crds that are not a CustomResourceDefinitions",
      { crds: ["things.example.com"] },
      "crds",
      ["things.example.com"],
      "expected a CustomResourceDefinitions",
    ),
    bad("startAfter as one string", { startAfter: "migrations" }, "startAfter", "migrations", "expected a map of names to values"),
    bad(
      "a startAfter key with a space (no annotation key)",
      { startAfter: { "data storage": "x" } },
      "startAfter",
      "data storage",
      "expected names that make an annotation key",
    ),
    bad(
      "a startAfter key too long for an annotation key",
      { startAfter: { ["x".repeat(60)]: "x" } },
      "startAfter",
      "x".repeat(60),
      "at most 57 characters",
    ),
    bad(
      "a startAfter key ending in -",
      { startAfter: { "tekton-": "x" } },
      "startAfter",
      new Shown('"tekton-"'),
      "expected names that make an annotation key",
    ),
    bad("a startAfter value that is a number", { startAfter: { db: 5 } }, 'startAfter["db"]', 5, "expected a string or an Output"),
    bad(
      "secrets given as one Secret",
      { secrets: { secretName: "tls", mountPath: "/etc/tls" } },
      "secrets",
      { secretName: "tls", mountPath: "/etc/tls" },
      "expected a list of Secrets to mount",
    ),
    bad(
      "a Secret name with an underscore",
      { secrets: [{ secretName: "dex_tls", mountPath: "/etc/tls" }] },
      "secrets[0].secretName",
      "dex_tls",
      "expected a DNS-1123 subdomain",
    ),
    bad(
      "a Secret mounted at a relative path",
      { secrets: [{ secretName: "tls", mountPath: "etc/tls" }] },
      "secrets[0].mountPath",
      "etc/tls",
      "expected an absolute path",
    ),
    bad(
      "a probe scheme in lower case",
      { readinessProbe: { path: "/healthz", port: "http", scheme: "https" } },
      "readinessProbe.scheme",
      "https",
      'expected "HTTP" or "HTTPS"',
    ),
    bad('coverage as the string "false"', { coverage: "false" }, "coverage", "false", BOOLEAN),
    bad('pinToControlPlane as the string "true" (would not pin)', { pinToControlPlane: "true" }, "pinToControlPlane", "true", BOOLEAN),
  ],
};
