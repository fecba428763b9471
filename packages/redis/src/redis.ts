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

/** The port the server listens on in its pod. */
const PORT = 6379;

/**
 * The readiness command for a server on `port`: ready means `redis-cli ping` gets PONG from it.
 * (redis-cli exits 0 on an error reply such as LOADING or NOAUTH, so the reply is compared.) The
 * port is in the command, not read from a variable: the kubelet gives every pod of a namespace
 * with a Service named "redis" REDIS_PORT=tcp://<service IP>:6379 (service links), which
 * redis-cli took as port 0, so the probe never passed on a real node.
 */
export function readinessCommand(port: number): string[] {
  return ["sh", "-c", `test "$(redis-cli -h 127.0.0.1 -p ${port} ping)" = PONG`];
}

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
              ports: [{ name: "redis", containerPort: PORT }],
              resources: { requests: { memory: "128Mi", cpu: "100m" }, limits: { memory: "256Mi", cpu: "200m" } },
              readinessProbe: {
                exec: { command: readinessCommand(PORT) },
                initialDelaySeconds: 1,
                periodSeconds: 2,
                timeoutSeconds: 3,
                failureThreshold: 30,
              },
              livenessProbe: { exec: { command: readinessCommand(PORT) }, initialDelaySeconds: 30, periodSeconds: 10, timeoutSeconds: 5 },
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
        ports: [{ name: "redis", port: PORT, nodePort: args.nodePort }],
      },
      options,
    );

    // redis-cli ping answers PONG once the Deployment is awaited; every output is read through
    // `host`, so whatever takes one waits for a usable Redis.
    this.host = readyHost(deployment, service);
    this.port = this.host.apply(() => PORT);
    this.address = pulumi.interpolate`${this.host}:${this.port}`;
    this.url = pulumi.interpolate`redis://${this.address}/0`;
    this.registerOutputs({ host: this.host, port: this.port, address: this.address, url: this.url });
  }
}
