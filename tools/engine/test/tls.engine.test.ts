import { spawnSync } from "node:child_process";
import { createPrivateKey, X509Certificate } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ENGINE_DIR, engineUser, kindClusters, pulumiStack, stepNames, type EngineUser } from "../src/engine";

// @e2e-infra/tls on the real engine: the key material is a dynamic resource that loads
// @peculiar/x509 in the engine's Node.js dynamic provider process, the ConfigMap and Secrets go
// to a real API server (behind the kind stand-in), and the CA file is written beside the
// kubeconfig by a host command. No image is built, so no Docker daemon is needed.
const dir = join(ENGINE_DIR, "test", "fixtures", "tls");
const stack = "dev";
const namespace = "tls-e2e";
let user: EngineUser;
let caFile: string;

function kubectl(...args: string[]): string {
  const result = spawnSync(join(user.bin, "kubectl"), ["--kubeconfig", join(user.home, ".kube", "tls-e2e-config"), ...args], {
    encoding: "utf8",
    env: user.env,
  });
  if (result.status !== 0) throw new Error(`kubectl ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

/** The ConfigMap's ca.crt and each Secret's files, as the cluster has them. */
function clusterMaterial() {
  const configMap = JSON.parse(kubectl("get", "configmap", "inter-service-ca", "-n", namespace, "-o", "json")) as {
    data: Record<string, string>;
  };
  const secret = (name: string) => {
    const object = JSON.parse(kubectl("get", "secret", name, "-n", namespace, "-o", "json")) as {
      type: string;
      data: Record<string, string>;
    };
    const decoded = Object.fromEntries(
      Object.entries(object.data).map(([key, value]) => [key, Buffer.from(value, "base64").toString("utf8")]),
    );
    return { type: object.type, ...decoded } as { type: string; "tls.crt": string; "tls.key": string };
  };
  return {
    ca: configMap.data["ca.crt"]!,
    datastorage: secret("datastorage-tls"),
    dex: secret("dex-tls"),
    signing: secret("datastorage-signing"),
  };
}

/** Everything the stack's state holds, as text. */
function stateText(): string {
  const stacks = join(user.home, ".pulumi-e2e-infra", ".pulumi", "stacks", "tls");
  return readdirSync(stacks)
    .map((file) => readFileSync(join(stacks, file), "utf8"))
    .join("\n");
}

let first: ReturnType<typeof clusterMaterial>;
/** The CA file as the stack writes it: a first line naming the stack, then the CA certificate. */
const caFileText = (ca: string) => `# inter-service CA of e2e-infra stack tls/${stack}; removed when that stack is destroyed\n${ca}`;

beforeAll(() => {
  user = engineUser("tls");
  caFile = join(user.home, ".kube", "inter-service-ca.pem");
});

describe("inter-service TLS and the signing certificate on the real engine", () => {
  it("GIVEN nothing WHEN up THEN the CA, the services' certificates and the signing certificate are in the cluster, and the CA beside the kubeconfig", async () => {
    const result = await pulumiStack(user, { operation: "up", dir, stack });
    expect(stepNames(result)["create"]).toEqual(
      expect.arrayContaining([
        "tls-ca",
        "tls-ca-configmap",
        "tls-ca-file",
        "tls-data-storage-service-cert",
        "tls-data-storage-service-secret",
        "tls-dex-cert",
        "tls-dex-secret",
        "signing-key",
        "signing-secret",
      ]),
    );
    expect(result.outputs).toStrictEqual({
      caFile,
      secretNames: { "data-storage-service": "datastorage-tls", dex: "dex-tls" },
      signingSecret: "datastorage-signing",
    });

    first = clusterMaterial();
    const ca = new X509Certificate(first.ca);
    expect([ca.subject, ca.ca, ca.publicKey.asymmetricKeyType]).toStrictEqual(["CN=kubernaut-inter-service-ca", true, "ec"]);
    expect(readFileSync(caFile, "utf8")).toBe(caFileText(first.ca));

    for (const [secret, service] of [
      [first.datastorage, "data-storage-service"],
      [first.dex, "dex"],
    ] as const) {
      expect(secret.type).toBe("kubernetes.io/tls");
      const cert = new X509Certificate(secret["tls.crt"]);
      expect(cert.checkIssued(ca)).toBe(true);
      expect(cert.verify(ca.publicKey)).toBe(true);
      expect(cert.subjectAltName).toBe(
        `DNS:localhost, DNS:${service}, DNS:${service}.${namespace}, DNS:${service}.${namespace}.svc, DNS:${service}.${namespace}.svc.cluster.local, IP Address:127.0.0.1`,
      );
      expect(cert.checkPrivateKey(createPrivateKey(secret["tls.key"]))).toBe(true);
      expect(Date.parse(cert.validTo) - Date.now()).toBeGreaterThan(364 * 86_400_000);
    }
    const signing = new X509Certificate(first.signing["tls.crt"]);
    expect([first.signing.type, signing.subject, signing.publicKey.asymmetricKeyDetails?.modulusLength]).toStrictEqual([
      "kubernetes.io/tls",
      "CN=datastorage-signing",
      2048,
    ]);
    expect(signing.verify(signing.publicKey)).toBe(true);
    expect(signing.checkPrivateKey(createPrivateKey(first.signing["tls.key"]))).toBe(true);

    // The private keys are secrets in the state: encrypted, nowhere in plain text.
    const state = stateText();
    expect(state).toContain("BEGIN CERTIFICATE");
    for (const key of [first.datastorage["tls.key"], first.dex["tls.key"], first.signing["tls.key"]]) {
      expect(state).not.toContain(key.split("\n")[1]);
    }
    expect(state).not.toMatch(/PRIVATE KEY/);

    // The dynamic provider ran in the CLI's working directory, a copy of the project files where
    // @peculiar/x509 cannot be resolved: it was loaded from beside the @pulumi/pulumi running it.
    const workDir = join(user.home, "work", stack);
    expect(existsSync(join(workDir, "Pulumi.yaml"))).toBe(true);
    expect(() => createRequire(join(workDir, "index.js")).resolve("@peculiar/x509")).toThrow(/Cannot find module '@peculiar\/x509'/);
  });

  it("GIVEN the environment is up WHEN previewed with --expect-no-changes and up again THEN nothing changes and the keys are the same", async () => {
    const preview = await pulumiStack(user, { operation: "preview", dir, stack, expectNoChanges: true });
    expect(stepNames(preview)).toStrictEqual({});
    const again = await pulumiStack(user, { operation: "up", dir, stack, expectNoChanges: true });
    expect(stepNames(again)).toStrictEqual({});
    expect(clusterMaterial()).toStrictEqual(first);
    expect(readFileSync(caFile, "utf8")).toBe(caFileText(first.ca));
  });

  it("GIVEN the CA file removed behind Pulumi's back WHEN refresh then up THEN the same CA is written again", async () => {
    rmSync(caFile);
    await pulumiStack(user, { operation: "refresh", dir, stack });
    const result = await pulumiStack(user, { operation: "up", dir, stack });
    expect(stepNames(result)).toStrictEqual({ create: ["tls-ca-file"] });
    expect(readFileSync(caFile, "utf8")).toBe(caFileText(first.ca));
    expect(clusterMaterial()).toStrictEqual(first);
  });

  it("GIVEN the stack WHEN destroyed THEN the CA file is removed and the cluster is gone", async () => {
    const result = await pulumiStack(user, { operation: "destroy", dir, stack });
    expect(stepNames(result)["delete"]).toEqual(expect.arrayContaining(["tls-ca", "tls-ca-file", "signing-key"]));
    expect(existsSync(caFile)).toBe(false);
    expect(kindClusters(user)).not.toContain("tls-e2e");
    expect(existsSync(join(user.home, ".kube", "tls-e2e-config"))).toBe(false);
  });
});
