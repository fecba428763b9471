import {
  claimNodePort,
  CONTROL_PLANE_PLACEMENT,
  COVERAGE,
  inClusterOptions,
  podService,
  readyHost,
  requireComponent,
  requireDns1035Label,
  requireDns1123Label,
  requireInCluster,
  requireOptionalBoolean,
  requireOptionalStringList,
  requireWorkloadImage,
  selectorLabels,
  singletonDeployment,
  standardLabels,
  subjectOf,
  type InClusterArgs,
  type WorkloadImage,
} from "@e2e-infra/core";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  START_AFTER_PREFIX,
  validateConfig,
  validateEnv,
  validatePorts,
  validateProbe,
  validateSecrets,
  validateResources,
  validateRules,
  validateStartAfter,
  type ConfigFiles,
  type EnvValue,
  type HttpProbe,
  type SecretFiles,
  type PolicyRule,
  type PortSpec,
  type ProjectedConfig,
} from "./spec";

export interface ServiceDeploymentArgs extends InClusterArgs {
  /**
   * The image: an ImageBuildLoad (built and loaded into the cluster; pods never pull it) or a
   * RegistryImage (a registry image, pulled by the nodes or preloaded; `IfNotPresent`). The
   * Deployment waits for its `image` and uses its `pullPolicy` (default "Never").
   */
  image: WorkloadImage;
  /** Name of the Deployment, ServiceAccount, (Cluster)Role and bindings. Default: the resource name. */
  workloadName?: string;
  /** Container args, e.g. ["--config=/etc/gateway/config.yaml"]. */
  args?: string[];
  command?: string[];
  env?: Record<string, EnvValue>;
  ports?: PortSpec[];
  readinessProbe?: HttpProbe;
  livenessProbe?: HttpProbe;
  /** Default: requests 100m/64Mi, limits 500m/256Mi (the reference controllers'). */
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  /** Cluster-wide permissions: a ClusterRole and ClusterRoleBinding for the ServiceAccount. */
  clusterRules?: PolicyRule[];
  /** Namespaced permissions: a Role and RoleBinding in `namespace`. */
  rules?: PolicyRule[];
  /** ConfigMaps of files, each mounted as a directory. */
  configMaps?: ConfigFiles[];
  /** ConfigMaps mounted together as one directory (a projected volume). */
  projectedConfig?: ProjectedConfig;
  /** Secrets mounted as directories of their keys (e.g. a serving certificate); the pods wait for each. */
  secrets?: SecretFiles[];
  /** The CRDs it watches: it starts once they are Established. */
  crds?: { readonly ready: pulumi.Output<string[]> };
  /**
   * Anything else it needs running before it starts, by name, e.g. `{ datastorage: dataStorage.url }`.
   * Each value resolves when its source is ready. Leave DataStorage out when the service only
   * calls it later and retries (then give it `dataStorage.endpoint` in env).
   */
  startAfter?: Record<string, pulumi.Input<string>>;
  /** Name of the Service for the ports. Default: the workload name. */
  serviceName?: string;
  /** Go coverage (DD-TEST-007): root, GOCOVERDIR=/coverdata on a hostPath. */
  coverage?: boolean;
  /** Schedule on the control-plane node. Default false. */
  pinToControlPlane?: boolean;
}

/**
 * The service or controller under test: ServiceAccount, RBAC from typed rules, ConfigMaps,
 * Deployment and a Service with named ports and NodePorts. The Deployment waits on exactly what
 * it uses: its image load, its config and permissions, the CRDs it watches, and whatever
 * `startAfter` names; nothing of the data tier unless told to.
 */
export class ServiceDeployment extends pulumi.ComponentResource {
  /** The Service's in-cluster host, once every pod is Ready. */
  readonly host: pulumi.Output<string> | undefined;
  /** http://localhost:<host port> per port name, for NodePorts the cluster maps to the host; resolve once Ready. */
  readonly hostUrls: Record<string, pulumi.Output<string>>;
  /** The workload name, once the Deployment is Available. */
  readonly ready: pulumi.Output<string>;

  constructor(name: string, args: ServiceDeploymentArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const subject = subjectOf("ServiceDeployment", name);
    requireInCluster(subject, args);
    const image = requireWorkloadImage(subject, "image", args.image);
    const workload = requireDns1123Label(subject, "workloadName", args.workloadName ?? name);
    const ports = validatePorts(subject, args.ports);
    const servicePorts = ports.filter((port) => port.servicePort !== undefined || port.nodePort !== undefined);
    // A Service name is a DNS-1035 label (it starts with a letter); the workload name it defaults to need not be.
    const serviceName =
      args.serviceName !== undefined || servicePorts.length > 0
        ? requireDns1035Label(subject, "serviceName", args.serviceName ?? workload)
        : workload;
    requireOptionalStringList(subject, "args", args.args, '["--config=/etc/app/config.yaml"]');
    requireOptionalStringList(subject, "command", args.command, '["/manager"]');
    validateSecrets(subject, args.secrets);
    validateProbe(subject, "readinessProbe", args.readinessProbe, ports);
    validateProbe(subject, "livenessProbe", args.livenessProbe, ports);
    validateResources(subject, args.resources);
    validateRules(subject, "clusterRules", args.clusterRules);
    validateRules(subject, "rules", args.rules);
    validateEnv(subject, args.env);
    validateConfig(subject, args.configMaps, args.projectedConfig);
    if (args.crds !== undefined) requireComponent(subject, "crds", args.crds, ["ready"], "a CustomResourceDefinitions");
    validateStartAfter(subject, args.startAfter);
    const coverage = requireOptionalBoolean(subject, "coverage", args.coverage) === true;
    const pinned = requireOptionalBoolean(subject, "pinToControlPlane", args.pinToControlPlane) === true;
    ports.forEach((port, index) => {
      if (port.nodePort !== undefined) claimNodePort(subject, `ports[${index}].nodePort`, args.cluster, port.nodePort);
    });
    super("e2e-infra:index:ServiceDeployment", name, {}, opts);

    const labels = standardLabels({ name: workload, instance: name, component: "under-test" });
    const podLabels = selectorLabels({ name: workload, instance: name });
    const options = inClusterOptions(args.cluster, this);
    const metadata = (suffix = "") => ({ name: `${workload}${suffix}`, namespace: args.namespace, labels });

    const account = new k8s.core.v1.ServiceAccount(`${name}-sa`, { metadata: metadata() }, options);
    const subjects = [{ kind: "ServiceAccount", name: account.metadata.name, namespace: args.namespace }];
    const bindings: pulumi.Resource[] = [];
    if (args.clusterRules !== undefined) {
      const role = new k8s.rbac.v1.ClusterRole(
        `${name}-clusterrole`,
        { metadata: { name: workload, labels }, rules: args.clusterRules },
        options,
      );
      bindings.push(
        new k8s.rbac.v1.ClusterRoleBinding(
          `${name}-clusterrolebinding`,
          {
            metadata: { name: workload, labels },
            subjects,
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role.metadata.name },
          },
          options,
        ),
      );
    }
    if (args.rules !== undefined) {
      const role = new k8s.rbac.v1.Role(`${name}-role`, { metadata: metadata(), rules: args.rules }, options);
      bindings.push(
        new k8s.rbac.v1.RoleBinding(
          `${name}-rolebinding`,
          { metadata: metadata(), subjects, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name } },
          options,
        ),
      );
    }

    const configMap = (resource: string, config: Omit<ConfigFiles, "mountPath">) =>
      new k8s.core.v1.ConfigMap(
        resource,
        { metadata: { name: config.name, namespace: args.namespace, labels }, data: config.files },
        options,
      );
    const volumes: k8s.types.input.core.v1.Volume[] = [];
    const mounts: k8s.types.input.core.v1.VolumeMount[] = [];
    (args.configMaps ?? []).forEach((config, index) => {
      const created = configMap(`${name}-config-${config.name}`, config);
      volumes.push({ name: `config-${index}`, configMap: { name: created.metadata.name } });
      mounts.push({ name: `config-${index}`, mountPath: config.mountPath, readOnly: true });
    });
    if (args.projectedConfig !== undefined) {
      const sources = args.projectedConfig.configMaps.map((config) => ({
        configMap: { name: configMap(`${name}-config-${config.name}`, config).metadata.name },
      }));
      volumes.push({ name: "projected-config", projected: { sources } });
      mounts.push({ name: "projected-config", mountPath: args.projectedConfig.mountPath, readOnly: true });
    }
    (args.secrets ?? []).forEach((secret, index) => {
      volumes.push({ name: `secret-${index}`, secret: { secretName: secret.secretName } });
      mounts.push({ name: `secret-${index}`, mountPath: secret.mountPath, readOnly: true });
    });
    if (coverage) {
      volumes.push(COVERAGE.volume);
      mounts.push(COVERAGE.mount);
    }

    const env: k8s.types.input.core.v1.EnvVar[] = Object.entries(args.env ?? {}).map(([envName, value]) => {
      if (typeof value === "object" && value !== null && "fieldRef" in value)
        return { name: envName, valueFrom: { fieldRef: { fieldPath: value.fieldRef } } };
      if (typeof value === "object" && value !== null && "secretKeyRef" in value)
        return { name: envName, valueFrom: { secretKeyRef: value.secretKeyRef } };
      return { name: envName, value: value as pulumi.Input<string> };
    });
    if (coverage) env.push(COVERAGE.env);

    const probe = (spec: HttpProbe | undefined, defaults: { initialDelaySeconds: number; periodSeconds: number }) =>
      spec === undefined
        ? undefined
        : {
            httpGet: { path: spec.path, port: spec.port, ...(spec.scheme === undefined ? {} : { scheme: spec.scheme }) },
            initialDelaySeconds: spec.initialDelaySeconds ?? defaults.initialDelaySeconds,
            periodSeconds: spec.periodSeconds ?? defaults.periodSeconds,
            ...(spec.timeoutSeconds === undefined ? {} : { timeoutSeconds: spec.timeoutSeconds }),
            ...(spec.failureThreshold === undefined ? {} : { failureThreshold: spec.failureThreshold }),
          };

    // What it waits for, as data in the pod template: each resolves once its source is ready.
    const podAnnotations: Record<string, pulumi.Input<string>> = {};
    if (args.crds !== undefined) podAnnotations["e2e-infra.dev/crds"] = args.crds.ready.apply((names) => names.join(","));
    for (const [key, value] of Object.entries(args.startAfter ?? {})) podAnnotations[`${START_AFTER_PREFIX}${key}`] = value;

    const deployment = singletonDeployment(
      `${name}-deployment`,
      {
        deploymentName: workload,
        namespace: args.namespace,
        labels,
        selector: podLabels,
        podAnnotations,
        podSpec: {
          serviceAccountName: account.metadata.name,
          ...(pinned ? CONTROL_PLANE_PLACEMENT : {}),
          ...(coverage ? { securityContext: COVERAGE.securityContext } : {}),
          containers: [
            {
              name: workload,
              image: image.image,
              imagePullPolicy: image.pullPolicy ?? "Never",
              ...(args.command === undefined ? {} : { command: args.command }),
              ...(args.args === undefined ? {} : { args: args.args }),
              env,
              ports: ports.map((port) => ({ name: port.name, containerPort: port.containerPort })),
              readinessProbe: probe(args.readinessProbe, { initialDelaySeconds: 1, periodSeconds: 2 }),
              livenessProbe: probe(args.livenessProbe, { initialDelaySeconds: 15, periodSeconds: 20 }),
              resources: args.resources ?? { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
              volumeMounts: mounts,
            },
          ],
          volumes,
        },
      },
      // Permissions before it starts: a controller without them fails and backs off. No data flows.
      { ...options, dependsOn: bindings },
    );

    this.hostUrls = {};
    if (servicePorts.length > 0) {
      const service = podService(
        `${name}-service`,
        {
          serviceName,
          namespace: args.namespace,
          labels,
          selector: podLabels,
          ports: servicePorts.map((port) => ({ name: port.name, port: port.servicePort ?? port.containerPort, nodePort: port.nodePort })),
        },
        options,
      );
      this.host = readyHost(deployment, service);
      for (const port of servicePorts) {
        const hostPort = port.nodePort === undefined ? undefined : args.cluster.hostPortFor?.(port.nodePort);
        if (hostPort !== undefined) this.hostUrls[port.name] = this.host.apply(() => `http://localhost:${hostPort}`);
      }
    } else {
      this.host = undefined;
    }
    this.ready = pulumi.all([deployment.status, deployment.metadata]).apply(([, m]) => m.name);
    this.registerOutputs({ ready: this.ready, host: this.host, hostUrls: this.hostUrls });
  }
}
