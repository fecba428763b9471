import { inClusterOptions } from "@e2e-infra/core";
import type { KindCluster } from "@e2e-infra/kind-cluster";
import { InterServiceTls, RandomKey, SigningCertificate } from "@e2e-infra/tls";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceCertificate } from "./services";

/** The suite's fixed database credentials (the suites connect with them; a throwaway cluster's). */
export const DATABASE = { user: "slm_user", password: "test_password", name: "action_history" };

/**
 * What the chart expects to exist with tls.mode=manual (charts/kubernaut values.yaml, tls): the
 * inter-service CA with a certificate per server that speaks TLS, DataStorage's signing
 * certificate, the database, Valkey and audit HMAC Secrets, the hook ServiceAccount, and the
 * stack's own `secrets` the chart's objects mount (their data Pulumi secrets). Returns
 * the CA and the names the chart's objects refer to, by "Kind/name" (ChartObjects `references`).
 */
export function releaseSecrets(
  name: string,
  args: {
    cluster: KindCluster;
    namespace: pulumi.Output<string>;
    certificates: readonly ServiceCertificate[];
    caFile?: string;
    secrets?: Record<string, Record<string, pulumi.Input<string>>>;
  },
  parent: pulumi.Resource,
): { tls: InterServiceTls; references: Record<string, pulumi.Input<string>> } {
  const { cluster, namespace, certificates, secrets = {} } = args;
  const options = inClusterOptions(cluster, parent);
  const tls = new InterServiceTls(
    `${name}-tls`,
    { cluster, namespace, services: [...certificates], ...(args.caFile === undefined ? {} : { caFile: args.caFile }) },
    { parent },
  );
  const signing = new SigningCertificate(`${name}-signing`, { cluster, namespace, secretName: "datastorage-signing-cert" }, { parent });
  const password = pulumi.secret(DATABASE.password);
  const secret = (resource: string, secretName: string, stringData: Record<string, pulumi.Input<string>>) =>
    new k8s.core.v1.Secret(`${name}-${resource}`, { metadata: { name: secretName, namespace }, stringData }, options).metadata.name;
  const hmac = new RandomKey(`${name}-audit-hmac`, { bytes: 32 }, { parent });
  const hookAccount = new k8s.core.v1.ServiceAccount(`${name}-hook-sa`, { metadata: { name: "kubernaut-hook-sa", namespace } }, options);
  const references: Record<string, pulumi.Input<string>> = {
    "Secret/postgresql-secret": secret("postgresql-secret", "postgresql-secret", {
      POSTGRES_USER: DATABASE.user,
      POSTGRES_PASSWORD: password,
      POSTGRES_DB: DATABASE.name,
      "db-secrets.yaml": pulumi.interpolate`username: ${DATABASE.user}\npassword: ${password}\n`,
    }),
    // Valkey runs without a password (the chart's valkey.yaml sets no requirepass).
    "Secret/valkey-secret": secret("valkey-secret", "valkey-secret", { "valkey-secrets.yaml": 'password: ""\n' }),
    "Secret/datastorage-audit-hmac-key": secret("audit-hmac-key", "datastorage-audit-hmac-key", {
      "audit-hmac-key.yaml": pulumi.interpolate`hmacKey: ${hmac.base64}\n`,
    }),
    "ConfigMap/inter-service-ca": tls.caConfigMapName,
    "Secret/datastorage-signing-cert": signing.secretName,
    "ServiceAccount/kubernaut-hook-sa": hookAccount.metadata.name,
    ...Object.fromEntries(certificates.map(({ serviceName, secretName }) => [`Secret/${secretName}`, tls.secretNames[serviceName]!])),
    ...Object.fromEntries(
      Object.entries(secrets).map(([secretName, data]) => [
        `Secret/${secretName}`,
        secret(
          `secret-${secretName}`,
          secretName,
          Object.fromEntries(Object.entries(data).map(([key, value]) => [key, pulumi.secret(value)])),
        ),
      ]),
    ),
  };
  return { tls, references };
}
