import {
  ArgumentError,
  claimNodePort,
  CONTROL_PLANE_PLACEMENT,
  COVERAGE,
  inClusterOptions,
  podService,
  readyHost,
  requireComponent,
  requireDns1035Label,
  requireInCluster,
  requireOptionalBoolean,
  selectorLabels,
  singletonDeployment,
  standardLabels,
  subjectOf,
  type InClusterArgs,
} from "@e2e-infra/core";
import type { Migrations } from "@e2e-infra/migrations";
import type { Postgres } from "@e2e-infra/postgres";
import type { Redis } from "@e2e-infra/redis";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { CONFIG_DIR, HTTP_PORT, METRICS_PORT, renderConfig, renderSecrets, SECRETS_DIR } from "./config";

const LOG_LEVELS = ["debug", "info", "warn", "error"];

export interface DataStorageArgs extends InClusterArgs {
  /** The DataStorage image, loaded into the cluster (an ImageBuildLoad). */
  image: { readonly image: pulumi.Output<string> };
  database: Postgres;
  redis: Redis;
  /** The schema DataStorage needs: it starts only once these are applied. */
  migrations: Migrations;
  /** NodePort of the HTTP API. Default 30081, as every reference suite uses. */
  nodePort?: number;
  /** Service and Deployment name. Default "datastorage". */
  serviceName?: string;
  /** Default "debug". */
  logLevel?: string;
  /** Go coverage (DD-TEST-007): run as root with GOCOVERDIR=/coverdata on a hostPath. Build the image with GOFLAGS=-cover. */
  coverage?: boolean;
  /** Schedule on the control-plane node, as the reference does. Default true. */
  pinToControlPlane?: boolean;
}

/**
 * The DataStorage service: its config.yaml, its credential files, a Deployment and a NodePort
 * Service. The Deployment waits on exactly what DataStorage needs to start: its image in the
 * cluster, its migrations applied, Redis ready and Postgres ready. Config and credentials wait
 * for the namespace only.
 */
export class DataStorage extends pulumi.ComponentResource {
  /** http://datastorage.<namespace>.svc.cluster.local:8080; resolves once DataStorage is Ready. */
  readonly url: pulumi.Output<string>;
  /**
   * The same address, known as soon as the namespace is: for a client that retries on its own
   * and must not wait for DataStorage to start (take `url` to wait).
   */
  readonly endpoint: pulumi.Output<string>;
  /** http://localhost:<host port>, when the cluster maps a host port to the NodePort; resolves once Ready. */
  readonly hostUrl: pulumi.Output<string> | undefined;
  readonly nodePort: number;

  constructor(name: string, args: DataStorageArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const subject = subjectOf("DataStorage", name);
    requireInCluster(subject, args);
    requireComponent(subject, "image", args.image, ["image"], "an ImageBuildLoad");
    requireComponent(
      subject,
      "database",
      args.database,
      ["host", "serviceName", "databaseName", "userName", "configuredPassword"],
      "a Postgres component",
    );
    requireComponent(subject, "redis", args.redis, ["address", "serviceName"], "a Redis component");
    requireComponent(subject, "migrations", args.migrations, ["applied"], "a Migrations component");
    // A Service name is a DNS-1035 label: a DNS-1123 label that starts with a letter.
    const serviceName = requireDns1035Label(subject, "serviceName", args.serviceName ?? "datastorage");
    const logLevel = args.logLevel ?? "debug";
    if (!LOG_LEVELS.includes(logLevel)) throw new ArgumentError(subject, "logLevel", logLevel, `expected one of ${LOG_LEVELS.join(", ")}`);
    const coverage = requireOptionalBoolean(subject, "coverage", args.coverage) === true;
    const pinned = requireOptionalBoolean(subject, "pinToControlPlane", args.pinToControlPlane) !== false;
    const nodePort = claimNodePort(subject, "nodePort", args.cluster, args.nodePort ?? 30081);
    super("e2e-infra:index:DataStorage", name, {}, opts);

    this.nodePort = nodePort;
    const labels = standardLabels({ name: "datastorage", instance: name, component: "data-storage" });
    const podLabels = selectorLabels({ name: "datastorage", instance: name });
    const options = inClusterOptions(args.cluster, this);
    const pg = args.database;

    // Config and credentials name the Services; they need the namespace, not the servers.
    const configYaml = pulumi.output(args.namespace).apply((namespace) =>
      renderConfig({
        namespace,
        postgresService: pg.serviceName,
        database: pg.databaseName,
        user: pg.userName,
        redisService: args.redis.serviceName,
        logLevel,
      }),
    );
    const config = new k8s.core.v1.ConfigMap(
      `${name}-config`,
      { metadata: { name: `${serviceName}-config`, namespace: args.namespace, labels }, data: { "config.yaml": configYaml } },
      options,
    );
    const secret = new k8s.core.v1.Secret(
      `${name}-secret`,
      {
        metadata: { name: `${serviceName}-secret`, namespace: args.namespace, labels },
        type: "Opaque",
        stringData: pulumi.secret(pg.configuredPassword.apply((password) => renderSecrets(pg.userName, password))),
      },
      options,
    );

    const deployment = singletonDeployment(
      `${name}-deployment`,
      {
        deploymentName: serviceName,
        namespace: args.namespace,
        labels,
        selector: podLabels,
        // What DataStorage waits for, as data: each resolves only once the thing is ready, and a
        // change to the schema or config rolls the pod.
        podAnnotations: {
          "e2e-infra.dev/migrations": args.migrations.applied,
          "e2e-infra.dev/postgres": pg.host,
          "e2e-infra.dev/redis": args.redis.address,
          "e2e-infra.dev/config": configYaml.apply((text) => createHash("sha256").update(text).digest("hex")),
        },
        podSpec: {
          ...(pinned ? CONTROL_PLANE_PLACEMENT : {}),
          ...(coverage ? { securityContext: COVERAGE.securityContext } : {}),
          containers: [
            {
              name: "datastorage",
              image: args.image.image,
              imagePullPolicy: "Never",
              ports: [
                { name: "http", containerPort: HTTP_PORT },
                { name: "metrics", containerPort: METRICS_PORT },
              ],
              env: [{ name: "CONFIG_PATH", value: `${CONFIG_DIR}/config.yaml` }, ...(coverage ? [COVERAGE.env] : [])],
              volumeMounts: [
                { name: "config", mountPath: CONFIG_DIR, readOnly: true },
                { name: "secrets", mountPath: SECRETS_DIR, readOnly: true },
                ...(coverage ? [COVERAGE.mount] : []),
              ],
              resources: { requests: { memory: "256Mi", cpu: "250m" }, limits: { memory: "512Mi", cpu: "500m" } },
              readinessProbe: {
                httpGet: { path: "/health", port: "http" },
                initialDelaySeconds: 1,
                periodSeconds: 2,
                timeoutSeconds: 3,
                failureThreshold: 60,
              },
              livenessProbe: { httpGet: { path: "/health", port: "http" }, initialDelaySeconds: 30, periodSeconds: 10, timeoutSeconds: 5 },
            },
          ],
          volumes: [
            { name: "config", configMap: { name: config.metadata.name } },
            { name: "secrets", secret: { secretName: secret.metadata.name } },
            ...(coverage ? [COVERAGE.volume] : []),
          ],
        },
      },
      options,
    );
    const service = podService(
      `${name}-service`,
      {
        serviceName,
        namespace: args.namespace,
        labels,
        selector: podLabels,
        ports: [
          { name: "http", port: HTTP_PORT, nodePort },
          { name: "metrics", port: METRICS_PORT },
        ],
      },
      options,
    );

    this.endpoint = pulumi.interpolate`http://${serviceName}.${args.namespace}.svc.cluster.local:${HTTP_PORT}`;
    const host = readyHost(deployment, service);
    this.url = pulumi.interpolate`http://${host}:${HTTP_PORT}`;
    const hostPort = args.cluster.hostPortFor?.(nodePort);
    this.hostUrl = hostPort === undefined ? undefined : host.apply(() => `http://localhost:${hostPort}`);
    this.registerOutputs({ url: this.url, hostUrl: this.hostUrl });
  }
}
