import {
  ArgumentError,
  expandHome,
  hostCommand,
  inClusterOptions,
  loadScript,
  requireDns1123Label,
  standardLabels,
  subjectOf,
  type ClusterTarget,
  type InClusterArgs,
  requireInCluster,
} from "@e2e-infra/core";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, posix, resolve } from "node:path";
import { TlsCertificate } from "./certificate";
import {
  caFileHeader,
  caFileProblem,
  requireCommonName,
  requireHostPath,
  requireServices,
  requireValidity,
  SERVICE_IP_ADDRESSES,
  serviceDnsNames,
  type ServiceCertificate,
} from "./spec";

const scripts = join(__dirname, "..", "scripts");
export const WRITE_CA_FILE_SCRIPT = loadScript(join(scripts, "write-ca-file.sh"));
export const REMOVE_CA_FILE_SCRIPT = loadScript(join(scripts, "remove-ca-file.sh"));
export const CA_FILE_CURRENT_SCRIPT = loadScript(join(scripts, "ca-file-current.sh"));

/** The file name the suites read beside the kubeconfig (the Go setup's `InterServiceCAPath`). */
export const CA_FILE_NAME = "inter-service-ca.pem";

export interface InterServiceTlsArgs extends InClusterArgs {
  /** The cluster. A KindCluster with a `kubeconfigPath` also decides where the CA file goes (see `caFile`). */
  cluster: ClusterTarget & { readonly kubeconfigFile?: string | undefined };
  /**
   * The services that get a certificate: names (Secret `<name>-tls`) or `{ serviceName,
   * secretName }`, e.g. `{ serviceName: "data-storage-service", secretName: "datastorage-tls" }`.
   */
  services: (string | ServiceCertificate)[];
  /**
   * Where to write the CA certificate on the host: an absolute path or "~/...". Default:
   * `inter-service-ca.pem` beside the cluster's kubeconfig, where the suites read it; with no
   * kubeconfig path, no file. Its first line names the stack that wrote it; a file there that
   * another stack or anyone else wrote is refused (at preview, or at the write when it is one
   * bare certificate other than this stack's), never replaced; destroy removes only this CA.
   */
  caFile?: string;
  /** Default "kubernaut-inter-service-ca". */
  caCommonName?: string;
  /** The ConfigMap with the CA certificate (key `ca.crt`). Default "inter-service-ca". */
  caConfigMapName?: string;
  /** Days a new certificate is valid. Default 365. */
  validityDays?: number;
  /** The next `up` replaces a certificate with fewer days left. Default 30 (at most a third of `validityDays`). */
  renewBeforeDays?: number;
}

/**
 * The inter-service CA (ECDSA P-256) and a certificate per service signed by it, generated once
 * and kept in the stack's state (private keys as secrets): the ConfigMap `inter-service-ca`
 * (`ca.crt`), a `kubernetes.io/tls` Secret per service, and the CA certificate on the host.
 */
export class InterServiceTls extends pulumi.ComponentResource {
  /** The CA certificate, PEM. */
  readonly caCertificate: pulumi.Output<string>;
  /** The ConfigMap's name, once it exists. */
  readonly caConfigMapName: pulumi.Output<string>;
  /** Per service name, its Secret's name once the Secret exists. */
  readonly secretNames: Record<string, pulumi.Output<string>>;
  /** The CA file's absolute path, once written; undefined when there is none. */
  readonly caFile: pulumi.Output<string> | undefined;

  constructor(name: string, args: InterServiceTlsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const subject = subjectOf("InterServiceTls", name);
    requireInCluster(subject, args);
    const services = requireServices(subject, args.services);
    const validity = requireValidity(subject, args);
    const caCommonName = requireCommonName(subject, "caCommonName", args.caCommonName ?? "kubernaut-inter-service-ca");
    const caConfigMapName = requireDns1123Label(subject, "caConfigMapName", args.caConfigMapName ?? "inter-service-ca");
    const caFile = args.caFile === undefined ? undefined : requireHostPath(subject, "caFile", args.caFile);
    const kubeconfigFile = args.cluster.kubeconfigFile;
    // As configured ("~/" and a relative path are resolved by the scripts, as the kubeconfig's are).
    const caPath = caFile ?? (kubeconfigFile === undefined ? undefined : posix.join(posix.dirname(kubeconfigFile), CA_FILE_NAME));
    const caHeader = caFileHeader(pulumi.getProject(), pulumi.getStack());
    const onHost = caPath === undefined ? undefined : resolve(expandHome(caPath));
    if (onHost !== undefined && existsSync(onHost)) {
      const problem = statSync(onHost).isDirectory() ? "is a directory" : caFileProblem(readFileSync(onHost, "utf8"), caHeader);
      if (problem !== undefined) {
        throw new ArgumentError(
          subject,
          "caFile",
          caPath,
          `expected a new file or the CA file this stack wrote${caFile === undefined ? " (the default: beside the cluster's kubeconfig)" : ""}; ${onHost} ${problem}, and a stack never replaces a file it did not write`,
        );
      }
    }
    super("e2e-infra:index:InterServiceTls", name, {}, opts);

    const options = inClusterOptions(args.cluster, this);
    const labels = standardLabels({ name: "inter-service-tls", instance: name, component: "tls" });
    const namespace = pulumi.output(args.namespace);

    // Key material: no edge to the cluster, so a recreated cluster gets the same CA and keys.
    const ca = new TlsCertificate(
      `${name}-ca`,
      { commonName: caCommonName, keyAlgorithm: "ECDSA-P256", profile: "ca", dnsNames: [], ipAddresses: [], ...validity },
      { parent: this },
    );
    const configMap = new k8s.core.v1.ConfigMap(
      `${name}-ca-configmap`,
      { metadata: { name: caConfigMapName, namespace, labels }, data: { "ca.crt": ca.certificate } },
      options,
    );

    this.secretNames = {};
    for (const service of services) {
      const certificate = new TlsCertificate(
        `${name}-${service.serviceName}-cert`,
        {
          commonName: service.serviceName,
          keyAlgorithm: "ECDSA-P256",
          profile: "server",
          dnsNames: namespace.apply((ns) => serviceDnsNames(service.serviceName, ns)),
          ipAddresses: [...SERVICE_IP_ADDRESSES],
          ...validity,
          issuer: { certificate: ca.certificate, privateKey: ca.privateKey },
        },
        { parent: this },
      );
      const secret = new k8s.core.v1.Secret(
        `${name}-${service.serviceName}-secret`,
        {
          metadata: { name: service.secretName, namespace, labels },
          type: "kubernetes.io/tls",
          stringData: { "tls.crt": certificate.certificate, "tls.key": certificate.privateKey },
        },
        options,
      );
      this.secretNames[service.serviceName] = secret.metadata.name;
    }

    if (caPath !== undefined) {
      const file = hostCommand(
        `${name}-ca-file`,
        {
          create: WRITE_CA_FILE_SCRIPT,
          delete: REMOVE_CA_FILE_SCRIPT,
          check: CA_FILE_CURRENT_SCRIPT,
          environment: { CA_FILE: caPath, CA_HEADER: caHeader, CA_PEM: ca.certificate },
          // A new path: write the new file, then remove the old one.
          triggers: [caPath],
        },
        { parent: this },
      );
      this.caFile = file.stdout.apply((path) => path.trim());
    } else {
      this.caFile = undefined;
    }

    this.caCertificate = ca.certificate;
    this.caConfigMapName = configMap.metadata.name;
    this.registerOutputs({
      caCertificate: this.caCertificate,
      caConfigMapName: this.caConfigMapName,
      secretNames: this.secretNames,
      caFile: this.caFile,
    });
  }
}
