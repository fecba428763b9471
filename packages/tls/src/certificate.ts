import { subjectOf } from "@e2e-infra/core";
import * as pulumi from "@pulumi/pulumi";
import type * as X509 from "@peculiar/x509";
import type { webcrypto as WebCrypto } from "node:crypto";
import { requireNodeCrypto, requireValidity } from "./spec";

/** The type token of a generated certificate in the engine's graph. */
export const TLS_CERTIFICATE_TYPE = "pulumi-nodejs:dynamic:TlsCertificate";

/** The reference's choices: ECDSA P-256 for the inter-service CA and its leaves, RSA-2048 for the signing certificate. */
export type KeyAlgorithm = "ECDSA-P256" | "RSA-2048";

/**
 * What the certificate is for, which decides its extensions:
 * - `ca`: a CA (basicConstraints CA:TRUE; keyCertSign, cRLSign);
 * - `server`: a service's certificate (digitalSignature; serverAuth and clientAuth; its SANs);
 * - `signing`: a signing certificate (digitalSignature, keyEncipherment).
 */
export type CertificateProfile = "ca" | "server" | "signing";

/** A certificate and its private key, both PEM. */
export interface KeyPair {
  certificate: string;
  privateKey: string;
}

/** What decides a certificate. None of it is a time or a random value, so a warm run compares equal. */
export interface TlsCertificateInputs {
  commonName: string;
  keyAlgorithm: KeyAlgorithm;
  profile: CertificateProfile;
  dnsNames: string[];
  ipAddresses: string[];
  /** How long a new certificate is valid (a leaf no longer than its issuer). */
  validityDays: number;
  /** A certificate valid for less than this many more days is replaced by the next `up`. */
  renewBeforeDays: number;
  /** The CA that signs it. Absent: self-signed. */
  issuer?: KeyPair;
}

/** What the state keeps: the inputs (the issuer by its certificate only), the key material and its validity. */
export interface TlsCertificateState extends Omit<TlsCertificateInputs, "issuer">, KeyPair {
  /** The issuer's certificate, "" when self-signed. Its key is not kept here. */
  issuerCertificate: string;
  serialNumber: string;
  /** ISO 8601. */
  notBefore: string;
  notAfter: string;
}

type Props = TlsCertificateInputs & Partial<TlsCertificateState>;

/**
 * The provider: runs in the engine's Node.js dynamic provider process (no plugin). Pulumi
 * serializes this object into the state, so it references nothing outside itself but Node's
 * globals and modules loaded with `require` when it runs (see `library`).
 * - create: a new key (Node's WebCrypto) and certificate (@peculiar/x509);
 * - diff: nothing changed and the certificate is not due for renewal: no change (a warm `up`
 *   does nothing and the key stays); a deciding input changed, or fewer than `renewBeforeDays`
 *   are left: replace; only `renewBeforeDays` changed: update, keeping the key;
 * - read (refresh) and delete: nothing outside the state to look at or remove.
 */
const provider = {
  diff(_id: string, olds: TlsCertificateState, news: TlsCertificateInputs) {
    const next = provider.comparable(news);
    // The inputs whose change makes a new certificate (and key).
    const deciding = ["commonName", "keyAlgorithm", "profile", "dnsNames", "ipAddresses", "validityDays", "issuerCertificate"] as const;
    const replaces: string[] = deciding.filter((key) => JSON.stringify(olds[key] ?? null) !== JSON.stringify(next[key] ?? null));
    if (replaces.length === 0 && provider.due(olds.notAfter, news.renewBeforeDays, Date.now())) replaces.push("notAfter");
    const changes = replaces.length > 0 || olds.renewBeforeDays !== news.renewBeforeDays;
    return Promise.resolve({ changes, replaces, deleteBeforeReplace: false });
  },
  async create(inputs: Props) {
    const state = await provider.generate(inputs, new Date());
    return { id: state.serialNumber, outs: state };
  },
  update(_id: string, olds: TlsCertificateState, news: TlsCertificateInputs) {
    return Promise.resolve({ outs: { ...olds, renewBeforeDays: news.renewBeforeDays } });
  },
  /** The inputs as the state keeps them (the issuer by its certificate). */
  comparable(inputs: TlsCertificateInputs): Omit<TlsCertificateState, keyof KeyPair | "serialNumber" | "notBefore" | "notAfter"> {
    return {
      commonName: inputs.commonName,
      keyAlgorithm: inputs.keyAlgorithm,
      profile: inputs.profile,
      dnsNames: inputs.dnsNames ?? [],
      ipAddresses: inputs.ipAddresses ?? [],
      validityDays: inputs.validityDays,
      renewBeforeDays: inputs.renewBeforeDays,
      issuerCertificate: inputs.issuer?.certificate ?? "",
    };
  },
  /** True when a certificate valid until `notAfter` has fewer than `renewBeforeDays` days left at `now` (ms). */
  due(notAfter: string | undefined, renewBeforeDays: number, now: number): boolean {
    const end = Date.parse(notAfter ?? "");
    return Number.isNaN(end) || end - renewBeforeDays * 86_400_000 <= now;
  },
  /**
   * A new key pair and certificate. The certificate is valid from an hour before `now` (clock
   * skew) for `validityDays`, but not past its issuer's end. The key is exported as the Go
   * setup wrote it: SEC1 ("EC PRIVATE KEY") for ECDSA, PKCS#1 ("RSA PRIVATE KEY") for RSA.
   */
  async generate(inputs: TlsCertificateInputs, now: Date): Promise<TlsCertificateState> {
    const x509 = provider.library();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const crypto = require("node:crypto") as typeof import("node:crypto");
    const algorithm = provider.algorithms(inputs.keyAlgorithm);
    const keys = await crypto.webcrypto.subtle.generateKey(algorithm.key, true, ["sign", "verify"]);
    const notBefore = new Date(now.getTime() - 3_600_000);
    let notAfter = new Date(now.getTime() + inputs.validityDays * 86_400_000);
    const name = [{ CN: [inputs.commonName] }];

    const usages = x509.KeyUsageFlags;
    const extensions: X509.Extension[] = [];
    if (inputs.profile === "ca") {
      extensions.push(new x509.BasicConstraintsExtension(true, undefined, true));
      extensions.push(new x509.KeyUsagesExtension(usages.keyCertSign | usages.cRLSign, true));
    } else {
      extensions.push(new x509.BasicConstraintsExtension(false, undefined, true));
      const keyEncipherment = inputs.keyAlgorithm === "RSA-2048" ? usages.keyEncipherment : 0;
      extensions.push(new x509.KeyUsagesExtension(usages.digitalSignature | keyEncipherment, true));
    }
    if (inputs.profile === "server") {
      extensions.push(new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]));
    }
    const names = [
      ...(inputs.dnsNames ?? []).map((value) => ({ type: "dns" as const, value })),
      ...(inputs.ipAddresses ?? []).map((value) => ({ type: "ip" as const, value })),
    ];
    if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names));
    extensions.push(await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto.webcrypto));

    // A positive serial of 16 random bytes (RFC 5280: unique per issuer, at most 20 octets).
    const serial = crypto.randomBytes(16);
    serial[0] = (serial[0]! & 0x7f) | 0x01;
    const serialNumber = serial.toString("hex");

    let certificate: X509.X509Certificate;
    if (inputs.issuer === undefined) {
      certificate = await x509.X509CertificateGenerator.createSelfSigned(
        { serialNumber, name, notBefore, notAfter, signingAlgorithm: algorithm.signing, keys, extensions },
        crypto.webcrypto,
      );
    } else {
      const issuer = new x509.X509Certificate(inputs.issuer.certificate);
      if (issuer.notAfter < notAfter) notAfter = issuer.notAfter;
      const issuerKey = crypto.createPrivateKey(inputs.issuer.privateKey);
      const issuerAlgorithm = provider.algorithms(issuerKey.asymmetricKeyType === "rsa" ? "RSA-2048" : "ECDSA-P256");
      extensions.push(await x509.AuthorityKeyIdentifierExtension.create(issuer.publicKey, false, crypto.webcrypto));
      certificate = await x509.X509CertificateGenerator.create(
        {
          serialNumber,
          subject: name,
          issuer: issuer.subjectName,
          notBefore,
          notAfter,
          signingAlgorithm: issuerAlgorithm.signing,
          publicKey: keys.publicKey,
          signingKey: issuerKey.toCryptoKey(issuerAlgorithm.key, false, ["sign"]),
          extensions,
        },
        crypto.webcrypto,
      );
    }
    const privateKey = crypto.KeyObject.from(keys.privateKey).export({
      type: inputs.keyAlgorithm === "RSA-2048" ? "pkcs1" : "sec1",
      format: "pem",
    }) as string;
    return {
      ...provider.comparable(inputs),
      certificate: `${certificate.toString("pem").trimEnd()}\n`,
      privateKey,
      serialNumber,
      notBefore: notBefore.toISOString(),
      notAfter: notAfter.toISOString(),
    };
  },
  /** WebCrypto parameters: the key's, and the signature's (SHA-256, as the Go setup signs). */
  algorithms(name: KeyAlgorithm): {
    key: WebCrypto.RsaHashedKeyGenParams | WebCrypto.EcKeyGenParams;
    signing: WebCrypto.RsaHashedImportParams | WebCrypto.EcdsaParams;
  } {
    if (name === "RSA-2048") {
      const rsa = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) };
      return { key: rsa, signing: rsa };
    }
    return { key: { name: "ECDSA", namedCurve: "P-256" }, signing: { name: "ECDSA", hash: "SHA-256" } };
  },
  /**
   * Loads @peculiar/x509 (after its Reflect polyfill). This code runs in the dynamic provider
   * process, where `require` resolves from that process's working directory: the stack's
   * directory under the Pulumi CLI and `e2e-infra up` (its node_modules, then its parents'), but
   * a copy of the project files elsewhere under the Automation API with another workDir (the
   * engine suite). So when that fails, the library is loaded from beside the @pulumi/pulumi
   * that runs the provider (`require.main`, its dynamic-provider script), which is the one the
   * stack installed. No path of this machine is in the serialized code.
   */
  library(): typeof X509 {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createRequire } = require("node:module") as typeof import("node:module");
    const loaders: Array<{ where: string; load: (id: string) => unknown }> = [
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      { where: process.cwd(), load: (id) => require(id) as unknown },
    ];
    const main = require.main?.filename;
    if (main !== undefined) loaders.push({ where: main, load: createRequire(main) });
    const failures: string[] = [];
    for (const { where, load } of loaders) {
      try {
        load("reflect-metadata");
        const x509 = load("@peculiar/x509") as typeof X509;
        return x509;
      } catch (error) {
        if ((error as { code?: string }).code !== "MODULE_NOT_FOUND") throw error;
        failures.push(`from ${where}: ${(error as Error).message.split("\n")[0]}`);
      }
    }
    throw new Error(
      `@e2e-infra/tls cannot load @peculiar/x509 and reflect-metadata in the dynamic provider process (${failures.join("; ")}); run npm install where the stack's @pulumi/pulumi is installed`,
    );
  },
};

/**
 * The provider of TlsCertificate. (A local constant, not `exports.…`: what the provider
 * references must survive Pulumi's serialization.)
 */
export const tlsCertificateProvider = provider;

/**
 * What a TlsCertificate takes: its inputs, as Inputs, except the two day counts, which are
 * plain numbers with defaults so they are checked when the resource is constructed.
 */
export type TlsCertificateArgs = {
  [K in keyof Omit<TlsCertificateInputs, "issuer" | "validityDays" | "renewBeforeDays">]: pulumi.Input<TlsCertificateInputs[K]>;
} & {
  /** Days a new certificate is valid, 1 to MAX_VALIDITY_DAYS. Default DEFAULT_VALIDITY_DAYS (365). */
  validityDays?: number;
  /**
   * The next `up` replaces a certificate with fewer days left; less than `validityDays`.
   * Default DEFAULT_RENEW_BEFORE_DAYS (30), at most a third of `validityDays`.
   */
  renewBeforeDays?: number;
  issuer?: { certificate: pulumi.Input<string>; privateKey: pulumi.Input<string> };
};

/**
 * A key pair and certificate generated once, by a Pulumi dynamic resource, and kept in the
 * stack's state; the private key is a secret there and in every output.
 */
export class TlsCertificate extends pulumi.dynamic.Resource {
  /** The certificate, PEM. */
  declare readonly certificate: pulumi.Output<string>;
  /** The private key, PEM (a secret). */
  declare readonly privateKey: pulumi.Output<string>;
  /** When it expires (ISO 8601). */
  declare readonly notAfter: pulumi.Output<string>;
  declare readonly serialNumber: pulumi.Output<string>;

  constructor(name: string, args: TlsCertificateArgs, opts: pulumi.CustomResourceOptions = {}) {
    // The defaults InterServiceTls and SigningCertificate use; a bad count fails here, before the engine hears of it.
    const validity = requireValidity(subjectOf("TlsCertificate", name), args);
    requireNodeCrypto(subjectOf("TlsCertificate", name));
    super(
      provider,
      name,
      { ...args, ...validity, certificate: undefined, privateKey: undefined, notAfter: undefined, serialNumber: undefined },
      { ...opts, additionalSecretOutputs: [...(opts.additionalSecretOutputs ?? []), "privateKey"] },
      undefined,
      "TlsCertificate",
    );
    // A secret in this program too, whatever the engine (or a mock) says about the output.
    (this as { privateKey: pulumi.Output<string> }).privateKey = pulumi.secret(this.privateKey);
  }
}
