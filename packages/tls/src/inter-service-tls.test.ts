import { inClusterOptions } from "@e2e-infra/core";
import { KindCluster } from "@e2e-infra/kind-cluster";
import { capture, validateKubernetesResources, type Capture } from "@e2e-infra/testing";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { InterServiceTls, TLS_CERTIFICATE_TYPE, type InterServiceTlsArgs } from "./index";

const services: InterServiceTlsArgs["services"] = [{ serviceName: "data-storage-service", secretName: "datastorage-tls" }, "dex"];

function environment(
  args: Partial<Omit<InterServiceTlsArgs, "cluster" | "namespace">> = {},
  kubeconfigPath = "~/.kube/ds-e2e-config",
): Promise<Capture> {
  return capture(
    () => {
      const cluster = new KindCluster("kind", { name: "ds-e2e", kubeconfigPath });
      const ns = new k8s.core.v1.Namespace("ns", { metadata: { name: "e2e" } }, inClusterOptions(cluster, cluster));
      const tls = new InterServiceTls("tls", { cluster, namespace: ns.metadata.name, services, ...args });
      return {
        caCertificate: tls.caCertificate,
        caConfigMapName: tls.caConfigMapName,
        secretNames: tls.secretNames,
        caFile: tls.caFile,
        secret: pulumi.isSecret(tls.caCertificate),
      };
    },
    {},
  );
}

describe("InterServiceTls graph", () => {
  it("GIVEN two services WHEN captured THEN a CA, a certificate and Secret per service, the ConfigMap and the CA file, named after the component", async () => {
    const { graph } = await environment();
    const tls = graph.one({ type: "e2e-infra:index:InterServiceTls" });
    expect(
      graph
        .descendants(tls)
        .map((r) => `${r.type} ${r.name}`)
        .sort(),
    ).toStrictEqual([
      "kubernetes:core/v1:ConfigMap tls-ca-configmap",
      "kubernetes:core/v1:Secret tls-data-storage-service-secret",
      "kubernetes:core/v1:Secret tls-dex-secret",
      "pulumi-nodejs:dynamic:HostCommand tls-ca-file",
      `${TLS_CERTIFICATE_TYPE} tls-ca`,
      `${TLS_CERTIFICATE_TYPE} tls-data-storage-service-cert`,
      `${TLS_CERTIFICATE_TYPE} tls-dex-cert`,
    ]);
  });

  it("GIVEN the graph THEN the ConfigMap and Secrets wait for the namespace and their key material only, and the key material for nothing of the cluster", async () => {
    const { graph } = await environment();
    const ns = graph.one({ name: "ns" });
    const ca = graph.one({ name: "tls-ca" });
    const dsCert = graph.one({ name: "tls-data-storage-service-cert" });
    const dexCert = graph.one({ name: "tls-dex-cert" });
    const sorted = (urns: string[]) => [...urns].sort();
    expect(graph.one({ name: "tls-ca-configmap" }).dependencies).toStrictEqual(sorted([ns.urn, ca.urn]));
    expect(sorted(graph.one({ name: "tls-data-storage-service-secret" }).dependencies)).toStrictEqual(sorted([ns.urn, dsCert.urn]));
    expect(sorted(graph.one({ name: "tls-dex-secret" }).dependencies)).toStrictEqual(sorted([ns.urn, dexCert.urn]));
    expect(ca.dependencies).toStrictEqual([]);
    // A certificate's DNS names carry the namespace's name, so it waits for the namespace too.
    expect(sorted(dsCert.dependencies)).toStrictEqual(sorted([ca.urn, ns.urn]));
    // The CA file's place follows from the kubeconfig's path as configured: it does not wait for
    // the kubeconfig (nor the cluster) to be written.
    expect(graph.one({ name: "tls-ca-file" }).dependencies).toStrictEqual([ca.urn]);
    const cluster = graph.one({ name: "kind-cluster" });
    const provider = graph.one({ type: "pulumi:providers:kubernetes" });
    // The CA waits for nothing; no key material is deleted with the cluster or uses its provider.
    expect(graph.dependsOn(ca, cluster)).toBe(false);
    for (const key of graph.find({ type: TLS_CERTIFICATE_TYPE })) {
      expect([key.provider, key.deletedWith], key.name).toStrictEqual([null, null]);
    }
    for (const object of graph.find({ name: /^tls-.*-(secret|configmap)$/ })) {
      expect([object.provider, object.deletedWith]).toStrictEqual([provider.urn, cluster.urn]);
    }
  });

  it("GIVEN the graph THEN the key material's inputs are exact, deterministic, and every private key is a secret", async () => {
    const { graph } = await environment();
    const ca = graph.one({ name: "tls-ca" });
    expect(ca.inputs).toStrictEqual({
      commonName: "kubernaut-inter-service-ca",
      keyAlgorithm: "ECDSA-P256",
      profile: "ca",
      dnsNames: [],
      ipAddresses: [],
      validityDays: 365,
      renewBeforeDays: 30,
    });
    const ds = graph.one({ name: "tls-data-storage-service-cert" });
    expect(ds.inputs).toStrictEqual({
      commonName: "data-storage-service",
      keyAlgorithm: "ECDSA-P256",
      profile: "server",
      dnsNames: [
        "localhost",
        "data-storage-service",
        "data-storage-service.e2e",
        "data-storage-service.e2e.svc",
        "data-storage-service.e2e.svc.cluster.local",
      ],
      ipAddresses: ["127.0.0.1"],
      validityDays: 365,
      renewBeforeDays: 30,
      issuer: {
        certificate: "-----BEGIN CERTIFICATE-----\ncertificate of tls-ca\n-----END CERTIFICATE-----\n",
        privateKey: "-----BEGIN PRIVATE KEY-----\nkey of tls-ca\n-----END PRIVATE KEY-----\n",
      },
    });
    expect(ds.secretInputs).toStrictEqual(["issuer.privateKey"]);
    for (const key of graph.find({ type: TLS_CERTIFICATE_TYPE })) expect(key.options.additionalSecretOutputs).toStrictEqual(["privateKey"]);

    const secret = graph.one({ name: "tls-data-storage-service-secret" });
    expect(secret.secretInputs).toStrictEqual(["stringData"]);
    expect(secret.inputs).toMatchObject({
      metadata: { name: "datastorage-tls", namespace: "e2e" },
      type: "kubernetes.io/tls",
      stringData: {
        "tls.crt": "-----BEGIN CERTIFICATE-----\ncertificate of tls-data-storage-service-cert\n-----END CERTIFICATE-----\n",
        "tls.key": "-----BEGIN PRIVATE KEY-----\nkey of tls-data-storage-service-cert\n-----END PRIVATE KEY-----\n",
      },
    });
    expect(graph.one({ name: "tls-dex-secret" }).inputs).toMatchObject({ metadata: { name: "dex-tls" } });
    expect(graph.one({ name: "tls-ca-configmap" }).inputs).toMatchObject({
      metadata: { name: "inter-service-ca", namespace: "e2e" },
      data: { "ca.crt": "-----BEGIN CERTIFICATE-----\ncertificate of tls-ca\n-----END CERTIFICATE-----\n" },
    });
    expect(graph.one({ name: "tls-ca-configmap" }).secretInputs).toStrictEqual([]);

    const again = await environment();
    expect(again.graph.resources.map((r) => r.inputs)).toStrictEqual(graph.resources.map((r) => r.inputs));
  });

  it("GIVEN the cluster's kubeconfig path WHEN captured THEN the CA file goes beside it, through the environment, and the outputs resolve", async () => {
    const { graph, outputs } = await environment();
    const file = graph.one({ name: "tls-ca-file" });
    expect(file.inputs["environment"]).toStrictEqual({
      CA_FILE: "~/.kube/inter-service-ca.pem",
      CA_HEADER: "# inter-service CA of e2e-infra stack test/test; removed when that stack is destroyed",
      CA_PEM: "-----BEGIN CERTIFICATE-----\ncertificate of tls-ca\n-----END CERTIFICATE-----\n",
    });
    expect(file.inputs["triggers"]).toStrictEqual(["~/.kube/inter-service-ca.pem"]);
    expect(file.inputs["create"]).toMatch(/^#!\/bin\/sh\n/);
    expect(outputs).toStrictEqual({
      caCertificate: "-----BEGIN CERTIFICATE-----\ncertificate of tls-ca\n-----END CERTIFICATE-----\n",
      caConfigMapName: "inter-service-ca",
      secretNames: { "data-storage-service": "datastorage-tls", dex: "dex-tls" },
      caFile: "stdout of tls-ca-file",
      secret: false,
    });
  });

  it("GIVEN caFile WHEN captured THEN it is used as given; GIVEN no kubeconfig path and no caFile THEN no file", async () => {
    const given = await environment({ caFile: "~/certs/ca.pem" });
    expect(given.graph.one({ name: "tls-ca-file" }).inputs["environment"]).toMatchObject({ CA_FILE: "~/certs/ca.pem" });
    const none = await capture(() => {
      const cluster = new KindCluster("kind", { name: "ds-e2e" });
      return { noCaFile: new InterServiceTls("tls", { cluster, namespace: "e2e", services }).caFile === undefined };
    }, {});
    expect(none.graph.find({ name: "tls-ca-file" })).toStrictEqual([]);
    expect(none.outputs).toStrictEqual({ noCaFile: true });
  });

  it("GIVEN the objects WHEN validated THEN each matches the Kubernetes schema", async () => {
    const { graph } = await environment();
    const report = await validateKubernetesResources(graph);
    expect(report.withoutSchema).toStrictEqual([]);
    expect(report.validated).toHaveLength(4);
  });
});

describe("InterServiceTls and a file already at the CA file's path", () => {
  const inHome = async (home: string, args: Partial<InterServiceTlsArgs> = {}) =>
    capture(
      () => {
        const cluster = new KindCluster("kind", { name: "ds-e2e", kubeconfigPath: "~/.kube/ds-e2e-config" });
        new InterServiceTls("tls", { cluster, namespace: "e2e", services, ...args });
      },
      { home, project: "datastorage", stack: "datastorage-e2e" },
    );
  const homeWith = (file: string, text: string) => {
    const home = mkdtempSync(join(tmpdir(), "tls-home-"));
    mkdirSync(dirname(join(home, file)), { recursive: true });
    writeFileSync(join(home, file), text);
    return home;
  };

  it("GIVEN another stack's CA file beside the kubeconfig THEN the preview fails naming it and that stack, before anything is registered", async () => {
    const theirs = "# inter-service CA of e2e-infra stack gateway/gateway-e2e; removed when that stack is destroyed\n-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n";
    const home = homeWith(".kube/inter-service-ca.pem", theirs);
    await expect(inHome(home)).rejects.toThrow(
      `InterServiceTls "tls": caFile is "~/.kube/inter-service-ca.pem"; expected a new file or the CA file this stack wrote (the default: beside the cluster's kubeconfig); ${home}/.kube/inter-service-ca.pem holds the CA of another stack ("# inter-service CA of e2e-infra stack gateway/gateway-e2e; removed when that stack is destroyed"): destroy that stack first, or remove the file if that stack is gone, and a stack never replaces a file it did not write`,
    );
    expect(readFileSync(join(home, ".kube/inter-service-ca.pem"), "utf8")).toBe(theirs);
  });

  it("GIVEN caFile naming a shell profile THEN the preview fails saying it is not a CA file a stack wrote", async () => {
    const home = homeWith(".bashrc", "alias ll='ls -l'\n");
    await expect(inHome(home, { caFile: "~/.bashrc" })).rejects.toThrow(
      `caFile is "~/.bashrc"; expected a new file or the CA file this stack wrote; ${home}/.bashrc is not a CA file a stack wrote`,
    );
  });

  it("GIVEN this stack's own CA file, or one bare certificate (an earlier version's; the write compares it) THEN the preview goes on", async () => {
    const own = "# inter-service CA of e2e-infra stack datastorage/datastorage-e2e; removed when that stack is destroyed\n-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n";
    await expect(inHome(homeWith(".kube/inter-service-ca.pem", own))).resolves.toBeDefined();
    const bare = "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n";
    await expect(inHome(homeWith(".kube/inter-service-ca.pem", bare))).resolves.toBeDefined();
  });
});

describe("InterServiceTls bad input", () => {
  const cases: Array<[string, Partial<InterServiceTlsArgs>, string]> = [
    [
      "no services",
      { services: [] },
      'InterServiceTls "tls": services is []; expected a non-empty list of service names or { serviceName, secretName }, e.g. ["gateway-service"]',
    ],
    [
      "a service name that is no DNS label",
      { services: ["Gateway"] },
      'InterServiceTls "tls": services[0] is "Gateway"; expected a DNS-1123 label',
    ],
    [
      "a bad secret name",
      { services: [{ serviceName: "gateway-service", secretName: "gateway_tls" }] },
      'InterServiceTls "tls": services[0].secretName is "gateway_tls"; expected a DNS-1123 label',
    ],
    [
      "a service name too long for its Secret",
      { services: ["a".repeat(60)] },
      `InterServiceTls "tls": services[0] is "${"a".repeat(60)}-tls"; expected a DNS-1123 label`,
    ],
    [
      "one Secret for two services",
      { services: ["gateway", { serviceName: "gateway-service", secretName: "gateway-tls" }] },
      'InterServiceTls "tls": services[1].secretName is "gateway-tls"; expected each secretName once; services[0] has it',
    ],
    [
      "a service twice",
      { services: ["dex", "dex"] },
      'InterServiceTls "tls": services[1].serviceName is "dex"; expected each serviceName once; services[0] has it',
    ],
    [
      "a validity of 0 days",
      { validityDays: 0 },
      'InterServiceTls "tls": validityDays is 0; expected a whole number of days from 1 to 3650',
    ],
    ["a validity in hours", { validityDays: 0.5 }, "validityDays is 0.5; expected a whole number of days from 1 to 3650"],
    [
      "a renewal window as long as the validity",
      { validityDays: 10, renewBeforeDays: 10 },
      'InterServiceTls "tls": renewBeforeDays is 10; expected a whole number of days from 0 to 9 (less than validityDays)',
    ],
    [
      "a relative CA file",
      { caFile: "ca.pem" },
      'InterServiceTls "tls": caFile is "ca.pem"; expected an absolute file path or one starting with "~/", on one line',
    ],
    ["a CA file that is a directory path", { caFile: "/tmp/" }, 'caFile is "/tmp/"; expected an absolute file path'],
    [
      "a bad ConfigMap name",
      { caConfigMapName: "Inter-Service-CA" },
      'InterServiceTls "tls": caConfigMapName is "Inter-Service-CA"; expected a DNS-1123 label',
    ],
    [
      "an empty CA name",
      { caCommonName: "" },
      'InterServiceTls "tls": caCommonName is ""; expected a common name: 1 to 64 printable ASCII characters',
    ],
  ];
  it.each(cases)("GIVEN %s THEN construction fails naming it, and nothing of it is registered", async (_, args, message) => {
    const { graph, outputs } = await capture(() => {
      const cluster = new KindCluster("kind", { name: "ds-e2e" });
      try {
        new InterServiceTls("tls", { cluster, namespace: "e2e", services, ...args });
        return { error: "none" };
      } catch (error) {
        return { error: (error as Error).message };
      }
    });
    expect(outputs["error"]).toContain(message);
    expect(graph.find({ name: /^tls/ })).toStrictEqual([]);
  });

  it("GIVEN no cluster or a bad namespace THEN construction fails naming it", async () => {
    const run = (args: Partial<InterServiceTlsArgs>) =>
      capture(
        () => new InterServiceTls("tls", { cluster: new KindCluster("kind", { name: "ds-e2e" }), namespace: "e2e", services, ...args }),
      );
    await expect(run({ cluster: undefined })).rejects.toThrow(
      'InterServiceTls "tls": cluster is missing; expected a cluster: a KindCluster, or { provider } for another cluster',
    );
    await expect(run({ namespace: "E2E" })).rejects.toThrow(
      'InterServiceTls "tls": namespace is "E2E"; expected a namespace: an Output such as namespace.metadata.name, or a DNS-1123 label',
    );
  });
});
