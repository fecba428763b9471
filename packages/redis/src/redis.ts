import {
  claimNodePort,
  inClusterOptions,
  podService,
  readyHost,
  singletonDeployment,
  requireDns1035Label,
  requireImageReference,
  requireInCluster,
  selectorLabels,
  standardLabels,
  subjectOf,
  type InClusterArgs,
} from "@e2e-infra/core";
import * as pulumi from "@pulumi/pulumi";

/**
 * The readiness command: ready means `redis-cli ping` gets PONG from the server's own port.
 * (redis-cli exits 0 on an error reply such as LOADING or NOAUTH, so the reply is compared.)
 */
export const READINESS_COMMAND = ["sh", "-c", 'test "$(redis-cli -h 127.0.0.1 -p "${REDIS_PORT:-6379}" ping)" = PONG'];

export interface RedisArgs extends InClusterArgs {
  /** Service and Deployment name. Default "redis", the host the reference's DataStorage config names. */
  serviceName?: string;
  /** Default "quay.io/jordigilh/redis:7-alpine", the reference's image. */
  image?: string;
  /** Expose the Service on this NodePort (30000-32767). Default: ClusterIP only. */
  nodePort?: number;
}

/**
 * Redis in the cluster (no password, no persistence: a test cache). Its outputs resolve only
 * once the pod is Ready, that is once `redis-cli ping` answers PONG, and so the Service has a
 * ready endpoint.
 */
export class Redis extends pulumi.ComponentResource {
  readonly serviceName: string;
  /** In-cluster DNS name, e.g. redis.kubernaut-system.svc.cluster.local. Resolves when ready. */
  readonly host: pulumi.Output<string>;
  readonly port: pulumi.Output<number>;
  /** host:port */
  readonly address: pulumi.Output<string>;
  /** redis://host:port/0 */
  readonly url: pulumi.Output<string>;
  readonly image: string;

  constructor(name: string, args: RedisArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const subject = subjectOf("Redis", name);
    requireInCluster(subject, args);
    // A Service name is a DNS-1035 label: a DNS-1123 label that starts with a letter.
    const serviceName = requireDns1035Label(subject, "serviceName", args.serviceName ?? "redis");
    const image = requireImageReference(
      subject,
      "image",
      args.image ?? "quay.io/jordigilh/redis:7-alpine",
      "quay.io/jordigilh/redis:7-alpine",
    );
    if (args.nodePort !== undefined) claimNodePort(subject, "nodePort", args.cluster, args.nodePort);
    super("e2e-infra:index:Redis", name, {}, opts);

    this.serviceName = serviceName;
    this.image = image;
    const labels = standardLabels({ name: "redis", instance: name, component: "cache" });
    const podLabels = selectorLabels({ name: "redis", instance: name });
    const options = inClusterOptions(args.cluster, this);

    const deployment = singletonDeployment(
      `${name}-deployment`,
      {
        deploymentName: serviceName,
        namespace: args.namespace,
        labels,
        selector: podLabels,
        podSpec: {
          containers: [
            {
              name: "redis",
              image: this.image,
              args: ["--save", "", "--appendonly", "no"],
              ports: [{ name: "redis", containerPort: 6379 }],
              resources: { requests: { memory: "128Mi", cpu: "100m" }, limits: { memory: "256Mi", cpu: "200m" } },
              readinessProbe: {
                exec: { command: READINESS_COMMAND },
                initialDelaySeconds: 1,
                periodSeconds: 2,
                timeoutSeconds: 3,
                failureThreshold: 30,
              },
              livenessProbe: { exec: { command: READINESS_COMMAND }, initialDelaySeconds: 30, periodSeconds: 10, timeoutSeconds: 5 },
            },
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
        ports: [{ name: "redis", port: 6379, nodePort: args.nodePort }],
      },
      options,
    );

    // redis-cli ping answers PONG once the Deployment is awaited; every output is read through
    // `host`, so whatever takes one waits for a usable Redis.
    this.host = readyHost(deployment, service);
    this.port = this.host.apply(() => 6379);
    this.address = pulumi.interpolate`${this.host}:${this.port}`;
    this.url = pulumi.interpolate`redis://${this.address}/0`;
    this.registerOutputs({ host: this.host, port: this.port, address: this.address, url: this.url });
  }
}
