import { inClusterOptions } from "@e2e-infra/core";
import { KindCluster } from "@e2e-infra/kind-cluster";
import { capture, validateKubernetesResources } from "@e2e-infra/testing";
import * as k8s from "@pulumi/kubernetes";
import { describe, expect, it } from "vitest";
import { SigningCertificate, TLS_CERTIFICATE_TYPE, type SigningCertificateArgs } from "./index";

function environment(args: Partial<Omit<SigningCertificateArgs, "cluster" | "namespace">> = {}) {
  return capture(() => {
    const cluster = new KindCluster("kind", { name: "ds-e2e" });
    const ns = new k8s.core.v1.Namespace("ns", { metadata: { name: "e2e" } }, inClusterOptions(cluster, cluster));
    const signing = new SigningCertificate("signing", { cluster, namespace: ns.metadata.name, ...args });
    return { secretName: signing.secretName, certificate: signing.certificate };
  }, {});
}

describe("SigningCertificate graph", () => {
  it("GIVEN defaults WHEN captured THEN an RSA-2048 self-signed key and the Secret datastorage-signing, which waits for the namespace and the key only", async () => {
    const { graph, outputs } = await environment();
    const component = graph.one({ type: "e2e-infra:index:SigningCertificate" });
    expect(
      graph
        .descendants(component)
        .map((r) => `${r.type} ${r.name}`)
        .sort(),
    ).toStrictEqual(["kubernetes:core/v1:Secret signing-secret", `${TLS_CERTIFICATE_TYPE} signing-key`]);
    const key = graph.one({ name: "signing-key" });
    const secret = graph.one({ name: "signing-secret" });
    expect(key.inputs).toStrictEqual({
      commonName: "datastorage-signing",
      keyAlgorithm: "RSA-2048",
      profile: "signing",
      dnsNames: [],
      ipAddresses: [],
      validityDays: 365,
      renewBeforeDays: 30,
    });
    expect(key.dependencies).toStrictEqual([]);
    expect([key.provider, key.deletedWith]).toStrictEqual([null, null]);
    expect(key.options.additionalSecretOutputs).toStrictEqual(["privateKey"]);
    expect([...secret.dependencies].sort()).toStrictEqual([graph.one({ name: "ns" }).urn, key.urn].sort());
    expect(secret.deletedWith).toBe(graph.one({ name: "kind-cluster" }).urn);
    expect(secret.secretInputs).toStrictEqual(["stringData"]);
    expect(secret.inputs).toMatchObject({
      metadata: { name: "datastorage-signing", namespace: "e2e" },
      type: "kubernetes.io/tls",
      stringData: {
        "tls.crt": "-----BEGIN CERTIFICATE-----\ncertificate of signing-key\n-----END CERTIFICATE-----\n",
        "tls.key": "-----BEGIN PRIVATE KEY-----\nkey of signing-key\n-----END PRIVATE KEY-----\n",
      },
    });
    expect(outputs).toStrictEqual({
      secretName: "datastorage-signing",
      certificate: "-----BEGIN CERTIFICATE-----\ncertificate of signing-key\n-----END CERTIFICATE-----\n",
    });
    expect(await validateKubernetesResources(graph)).toMatchObject({ withoutSchema: [] });
  });

  it("GIVEN a Secret name, common name and validity THEN they are used", async () => {
    const { graph } = await environment({ secretName: "audit-signing", commonName: "Audit Signing", validityDays: 30 });
    expect(graph.one({ name: "signing-key" }).inputs).toMatchObject({ commonName: "Audit Signing", validityDays: 30, renewBeforeDays: 10 });
    expect(graph.one({ name: "signing-secret" }).inputs).toMatchObject({ metadata: { name: "audit-signing" } });
  });

  const cases: Array<[string, Partial<SigningCertificateArgs>, string]> = [
    ["a bad Secret name", { secretName: "Signing" }, 'SigningCertificate "signing": secretName is "Signing"; expected a DNS-1123 label'],
    ["a common name with a newline", { commonName: "a\nb" }, 'SigningCertificate "signing": commonName is "a\\nb"; expected a common name'],
    [
      "a validity of 11 years",
      { validityDays: 4015 },
      'SigningCertificate "signing": validityDays is 4015; expected a whole number of days from 1 to 3650',
    ],
    [
      "a negative renewal window",
      { renewBeforeDays: -1 },
      'SigningCertificate "signing": renewBeforeDays is -1; expected a whole number of days from 0 to 364',
    ],
  ];
  it.each(cases)("GIVEN %s THEN construction fails naming it", async (_, args, message) => {
    await expect(environment(args)).rejects.toThrow(message);
  });
});
