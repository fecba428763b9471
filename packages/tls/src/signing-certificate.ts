import { inClusterOptions, requireDns1123Label, requireInCluster, standardLabels, subjectOf, type InClusterArgs } from "@e2e-infra/core";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { TlsCertificate } from "./certificate";
import { requireCommonName, requireValidity } from "./spec";

export interface SigningCertificateArgs extends InClusterArgs {
  /** The `kubernetes.io/tls` Secret. Default "datastorage-signing", the one DataStorage mounts at /etc/signing-certs. */
  secretName?: string;
  /** Default: the Secret's name. */
  commonName?: string;
  /** Days a new certificate is valid. Default 365. */
  validityDays?: number;
  /** The next `up` replaces a certificate with fewer days left. Default 30 (at most a third of `validityDays`). */
  renewBeforeDays?: number;
}

/**
 * A self-signed RSA-2048 signing certificate (DataStorage signs audit exports with it),
 * generated once and kept in the stack's state (the key as a secret), in a `kubernetes.io/tls`
 * Secret.
 */
export class SigningCertificate extends pulumi.ComponentResource {
  /** The Secret's name, once it exists. */
  readonly secretName: pulumi.Output<string>;
  /** The certificate, PEM. */
  readonly certificate: pulumi.Output<string>;

  constructor(name: string, args: SigningCertificateArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const subject = subjectOf("SigningCertificate", name);
    requireInCluster(subject, args);
    const secretName = requireDns1123Label(subject, "secretName", args.secretName ?? "datastorage-signing");
    const commonName = requireCommonName(subject, "commonName", args.commonName ?? secretName);
    const validity = requireValidity(subject, args);
    super("e2e-infra:index:SigningCertificate", name, {}, opts);

    // Key material: no edge to the cluster, so a recreated cluster gets the same key.
    const key = new TlsCertificate(
      `${name}-key`,
      { commonName, keyAlgorithm: "RSA-2048", profile: "signing", dnsNames: [], ipAddresses: [], ...validity },
      { parent: this },
    );
    const secret = new k8s.core.v1.Secret(
      `${name}-secret`,
      {
        metadata: {
          name: secretName,
          namespace: args.namespace,
          labels: standardLabels({ name: "signing-certificate", instance: name, component: "tls" }),
        },
        type: "kubernetes.io/tls",
        stringData: { "tls.crt": key.certificate, "tls.key": key.privateKey },
      },
      inClusterOptions(args.cluster, this),
    );

    this.secretName = secret.metadata.name;
    this.certificate = key.certificate;
    this.registerOutputs({ secretName: this.secretName, certificate: this.certificate });
  }
}
