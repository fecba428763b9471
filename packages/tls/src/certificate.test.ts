import { createPrivateKey, X509Certificate } from "node:crypto";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { connect, createServer } from "node:tls";
import { capture } from "@e2e-infra/testing";
import { beforeAll, describe, expect, it } from "vitest";
import {
  DEFAULT_RENEW_BEFORE_DAYS,
  DEFAULT_VALIDITY_DAYS,
  TLS_CERTIFICATE_TYPE,
  TlsCertificate,
  tlsCertificateProvider as provider,
  type TlsCertificateArgs,
  type TlsCertificateInputs,
  type TlsCertificateState,
} from "./index";

// The provider's code run for real: keys from Node's WebCrypto, certificates from
// @peculiar/x509, checked with Node's own X509Certificate and a real TLS handshake.

const DAY = 86_400_000;
const caInputs: TlsCertificateInputs = {
  commonName: "kubernaut-inter-service-ca",
  keyAlgorithm: "ECDSA-P256",
  profile: "ca",
  dnsNames: [],
  ipAddresses: [],
  validityDays: 365,
  renewBeforeDays: 30,
};
const dnsNames = [
  "localhost",
  "data-storage-service",
  "data-storage-service.e2e",
  "data-storage-service.e2e.svc",
  "data-storage-service.e2e.svc.cluster.local",
];
const leafInputs = (ca: TlsCertificateState, overrides: Partial<TlsCertificateInputs> = {}): TlsCertificateInputs => ({
  commonName: "data-storage-service",
  keyAlgorithm: "ECDSA-P256",
  profile: "server",
  dnsNames,
  ipAddresses: ["127.0.0.1"],
  validityDays: 365,
  renewBeforeDays: 30,
  issuer: { certificate: ca.certificate, privateKey: ca.privateKey },
  ...overrides,
});

let ca: TlsCertificateState;
let leaf: TlsCertificateState;
const now = new Date("2026-06-01T12:00:00.000Z");
beforeAll(async () => {
  ca = (await provider.create(caInputs)).outs;
  leaf = await provider.generate(leafInputs(ca), now);
});

describe("generated certificates, checked with Node's crypto", () => {
  it("GIVEN the CA WHEN generated THEN it is a self-signed ECDSA P-256 CA named kubernaut-inter-service-ca, valid for validityDays", () => {
    const cert = new X509Certificate(ca.certificate);
    expect(cert.subject).toBe("CN=kubernaut-inter-service-ca");
    expect(cert.issuer).toBe("CN=kubernaut-inter-service-ca");
    expect(cert.ca).toBe(true);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect([cert.publicKey.asymmetricKeyType, cert.publicKey.asymmetricKeyDetails]).toStrictEqual(["ec", { namedCurve: "prime256v1" }]);
    expect(Date.parse(cert.validTo) - Date.parse(cert.validFrom)).toBe(365 * DAY + 3_600_000);
    expect(cert.serialNumber.toLowerCase()).toBe(ca.serialNumber);
    expect(ca.privateKey).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n[\s\S]+\n-----END EC PRIVATE KEY-----\n$/);
    expect(cert.checkPrivateKey(createPrivateKey(ca.privateKey))).toBe(true);
    expect(ca.issuerCertificate).toBe("");
  });

  it("GIVEN a service certificate WHEN generated THEN the CA issued and verifies it, with the service's SANs, an ECDSA key and serverAuth", () => {
    const root = new X509Certificate(ca.certificate);
    const cert = new X509Certificate(leaf.certificate);
    expect(cert.checkIssued(root)).toBe(true);
    expect(cert.verify(root.publicKey)).toBe(true);
    expect(cert.issuer).toBe("CN=kubernaut-inter-service-ca");
    expect(cert.subject).toBe("CN=data-storage-service");
    expect(cert.ca).toBe(false);
    expect(cert.subjectAltName).toBe(`${dnsNames.map((name) => `DNS:${name}`).join(", ")}, IP Address:127.0.0.1`);
    expect(cert.keyUsage).toStrictEqual(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"]);
    expect(cert.publicKey.asymmetricKeyDetails).toStrictEqual({ namedCurve: "prime256v1" });
    expect(cert.checkPrivateKey(createPrivateKey(leaf.privateKey))).toBe(true);
    expect([cert.validFrom, cert.validTo]).toStrictEqual(["Jun  1 11:00:00 2026 GMT", "Jun  1 12:00:00 2027 GMT"]);
    expect([leaf.notBefore, leaf.notAfter]).toStrictEqual(["2026-06-01T11:00:00.000Z", "2027-06-01T12:00:00.000Z"]);
    expect(leaf.issuerCertificate).toBe(ca.certificate);
    // The state keeps the issuer by its certificate: its key is not in the certificate's outputs.
    expect(JSON.stringify(leaf)).not.toContain(ca.privateKey.split("\n")[1]);
  });

  it("GIVEN a certificate asked to outlive its CA WHEN generated THEN it ends when the CA ends", async () => {
    const long = await provider.generate(leafInputs(ca, { validityDays: 3650 }), new Date());
    expect(long.notAfter).toBe(new Date(new X509Certificate(ca.certificate).validTo).toISOString());
  });

  it("GIVEN the signing profile WHEN generated THEN a self-signed RSA-2048 certificate with a PKCS#1 key, not a CA", async () => {
    const signing = await provider.generate(
      { ...caInputs, commonName: "datastorage-signing", keyAlgorithm: "RSA-2048", profile: "signing" },
      new Date(),
    );
    const cert = new X509Certificate(signing.certificate);
    expect(cert.subject).toBe("CN=datastorage-signing");
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.publicKey.asymmetricKeyType).toBe("rsa");
    expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(signing.privateKey).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    expect(cert.checkPrivateKey(createPrivateKey(signing.privateKey))).toBe(true);
  });

  it("GIVEN a server with the service certificate WHEN a client trusting only the CA connects by each name THEN the handshake verifies", async () => {
    const current = await provider.generate(leafInputs(ca), new Date());
    const server = createServer({ key: current.privateKey, cert: current.certificate }, (socket) => socket.end("ok"));
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const port = (server.address() as AddressInfo).port;
    const handshake = (servername: string | undefined, trusted: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect({ host: "127.0.0.1", port, ca: trusted, ...(servername === undefined ? {} : { servername }) }, () => {
          socket.once("data", (data: Buffer) => resolve(data.toString()));
        });
        socket.once("error", reject);
      });
    try {
      for (const name of [...dnsNames, undefined]) await expect(handshake(name, ca.certificate)).resolves.toBe("ok");
      await expect(handshake("gateway-service", ca.certificate)).rejects.toThrow(/Hostname\/IP does not match certificate's altnames/);
      const other = (await provider.create(caInputs)).outs;
      await expect(handshake("localhost", other.certificate)).rejects.toThrow(/unable to verify|self[- ]signed|unable to get/i);
    } finally {
      server.close();
    }
  });
});

describe("TlsCertificate's lifecycle", () => {
  it("GIVEN the same inputs WHEN diffed THEN no change: a warm up keeps the key", async () => {
    expect(await provider.diff("id", leaf, leafInputs(ca))).toStrictEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });

  it("GIVEN a deciding input changed WHEN diffed THEN a replacement naming it", async () => {
    const other = (await provider.create(caInputs)).outs;
    const cases: Array<[Partial<TlsCertificateInputs>, string[]]> = [
      [{ dnsNames: ["localhost"] }, ["dnsNames"]],
      [{ ipAddresses: [] }, ["ipAddresses"]],
      [{ validityDays: 30 }, ["validityDays"]],
      [{ keyAlgorithm: "RSA-2048" }, ["keyAlgorithm"]],
      [{ commonName: "gateway-service" }, ["commonName"]],
      [{ issuer: { certificate: other.certificate, privateKey: other.privateKey } }, ["issuerCertificate"]],
    ];
    for (const [change, replaces] of cases) {
      expect(await provider.diff("id", leaf, leafInputs(ca, change))).toStrictEqual({
        changes: true,
        replaces,
        deleteBeforeReplace: false,
      });
    }
  });

  it("GIVEN only renewBeforeDays changed WHEN diffed and updated THEN an update that keeps the key and certificate", async () => {
    const news = leafInputs(ca, { renewBeforeDays: 10 });
    expect(await provider.diff("id", leaf, news)).toStrictEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const { outs } = await provider.update("id", leaf, news);
    expect(outs).toStrictEqual({ ...leaf, renewBeforeDays: 10 });
  });

  it("GIVEN a certificate within renewBeforeDays of its end WHEN diffed THEN it is replaced", async () => {
    const dueSoon = { ...leaf, notAfter: new Date(Date.now() + 29 * DAY).toISOString() };
    expect(await provider.diff("id", dueSoon, leafInputs(ca))).toStrictEqual({
      changes: true,
      replaces: ["notAfter"],
      deleteBeforeReplace: false,
    });
    const fresh = { ...leaf, notAfter: new Date(Date.now() + 31 * DAY).toISOString() };
    expect(await provider.diff("id", fresh, leafInputs(ca))).toMatchObject({ changes: false });
    expect(provider.due(undefined, 0, Date.now())).toBe(true);
  });

  it("GIVEN create WHEN run twice on the same inputs THEN each has its own key and serial, the id being the serial", async () => {
    const first = await provider.create(caInputs);
    const second = await provider.create(caInputs);
    expect(first.id).toBe(first.outs.serialNumber);
    expect(first.id).toMatch(/^[0-9a-f]{32}$/);
    expect(second.outs.privateKey).not.toBe(first.outs.privateKey);
    expect(second.id).not.toBe(first.id);
  });
});

describe("TlsCertificate as a resource, under mocks", () => {
  const ca: TlsCertificateArgs = { commonName: "test-ca", keyAlgorithm: "ECDSA-P256", profile: "ca", dnsNames: [], ipAddresses: [] };
  const registered = async (args: TlsCertificateArgs) => {
    const { graph } = await capture(() => new TlsCertificate("ca", args));
    return graph.one({ type: TLS_CERTIFICATE_TYPE, name: "ca" });
  };

  it("GIVEN no options and no day counts WHEN constructed THEN it registers with a year's validity, 30 days' renewal and its key a secret output", async () => {
    const certificate = await registered(ca);
    expect(certificate.inputs).toStrictEqual({ ...ca, validityDays: 365, renewBeforeDays: 30 });
    expect([DEFAULT_VALIDITY_DAYS, DEFAULT_RENEW_BEFORE_DAYS]).toStrictEqual([365, 30]);
    expect(certificate.options.additionalSecretOutputs).toStrictEqual(["privateKey"]);
    expect([certificate.dependencies, certificate.parent]).toStrictEqual([[], expect.stringMatching(/::pulumi:pulumi:Stack::/)]);
  });

  it("GIVEN a short validity and no renewal window THEN the window defaults to a third of it; GIVEN both THEN both are kept", async () => {
    expect((await registered({ ...ca, validityDays: 30 })).inputs).toMatchObject({ validityDays: 30, renewBeforeDays: 10 });
    expect((await registered({ ...ca, validityDays: 90, renewBeforeDays: 0 })).inputs).toMatchObject({
      validityDays: 90,
      renewBeforeDays: 0,
    });
  });

  it.each<[string, Partial<TlsCertificateArgs>, string]>([
    ["no validity", { validityDays: 0 }, 'TlsCertificate "ca": validityDays is 0; expected a whole number of days from 1 to 3650'],
    [
      "a fractional validity",
      { validityDays: 1.5 },
      'TlsCertificate "ca": validityDays is 1.5; expected a whole number of days from 1 to 3650',
    ],
    [
      "a validity given as a string",
      { validityDays: "365" as unknown as number },
      'TlsCertificate "ca": validityDays is "365"; expected a whole number of days from 1 to 3650',
    ],
    [
      "a renewal window as long as the validity",
      { validityDays: 30, renewBeforeDays: 30 },
      'TlsCertificate "ca": renewBeforeDays is 30; expected a whole number of days from 0 to 29 (less than validityDays)',
    ],
    [
      "a negative renewal window",
      { renewBeforeDays: -1 },
      'TlsCertificate "ca": renewBeforeDays is -1; expected a whole number of days from 0 to 364 (less than validityDays)',
    ],
  ])("GIVEN %s WHEN constructed THEN it fails naming the argument, before anything is registered", async (_, bad, message) => {
    await expect(capture(() => new TlsCertificate("ca", { ...ca, ...bad }))).rejects.toThrow(message);
    const { graph } = await capture(() => {
      try {
        new TlsCertificate("ca", { ...ca, ...bad });
      } catch {
        /* asserted above */
      }
    });
    expect(graph.find({ type: TLS_CERTIFICATE_TYPE })).toStrictEqual([]);
  });
});
