import { RegistryImage } from "@e2e-infra/image-build-load";
import type { KindCluster } from "@e2e-infra/kind-cluster";
import { ServiceDeployment } from "@e2e-infra/service-deployment";
import * as pulumi from "@pulumi/pulumi";

export interface SuiteDexArgs {
  cluster: KindCluster;
  /** The release namespace (KubernautRelease `beside`'s namespace). */
  namespace: pulumi.Input<string>;
  /** Dex's config file (config.yaml): the suite's issuer, users and clients, serving HTTPS from /etc/dex/tls. */
  config: pulumi.Input<string>;
  /** Its serving certificate's Secret, of the release's CA (tls.secretNames["dex"]: certificates [{ serviceName: "dex", ... }]). */
  tlsSecretName: pulumi.Input<string>;
  /** The node port of its https port, 5556. */
  nodePort: number;
}

/**
 * Dex (ghcr.io/dexidp/dex:latest) as the suites deploy it, the OIDC issuer https://dex:5556/dex:
 * Service dex, HTTPS only, with a certificate of the release's CA (the services that fetch its keys
 * trust that CA). Its `ready` is what a service that fetches the keys at start waits for.
 */
export function suiteDex(args: SuiteDexArgs, opts: pulumi.ComponentResourceOptions = {}): ServiceDeployment {
  const { cluster, namespace } = args;
  return new ServiceDeployment(
    "dex",
    {
      cluster,
      namespace,
      image: new RegistryImage("dex-image", { cluster, image: "ghcr.io/dexidp/dex:latest" }, opts),
      command: ["dex", "serve", "/etc/dex/config.yaml"],
      ports: [{ name: "https", containerPort: 5556, servicePort: 5556, nodePort: args.nodePort }],
      configMaps: [{ name: "dex-config", mountPath: "/etc/dex", files: { "config.yaml": args.config } }],
      secrets: [{ secretName: args.tlsSecretName, mountPath: "/etc/dex/tls" }],
      readinessProbe: { path: "/dex/healthz", port: "https", scheme: "HTTPS", initialDelaySeconds: 3, periodSeconds: 5 },
      livenessProbe: { path: "/dex/healthz", port: "https", scheme: "HTTPS", initialDelaySeconds: 5, periodSeconds: 10 },
      resources: { requests: { cpu: "25m", memory: "32Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
    },
    opts,
  );
}
