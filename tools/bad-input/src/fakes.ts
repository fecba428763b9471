import type { ClusterTarget } from "@e2e-infra/core";
import type { KindLoadTarget } from "@e2e-infra/kind-cluster";
import { fixtureCheckout } from "@e2e-infra/testing";
import * as pulumi from "@pulumi/pulumi";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Stand-ins for the components a component takes (a cluster, a Postgres, an image), with the
 * members it reads. They are plain objects, not resources: a case registers nothing but what the
 * component under test registers, so "nothing registered" is exact.
 */

/** A cluster of its own per case: NodePort claims are kept per cluster, so cases do not see each other's. */
export function fakeCluster(): ClusterTarget {
  return { provider: {} as ClusterTarget["provider"] };
}

export function fakeKindTarget(): KindLoadTarget {
  return { clusterName: pulumi.output("kind"), instanceId: pulumi.output("kind-id"), containerRuntime: undefined };
}

export function fakePostgres() {
  return {
    serviceName: "postgresql",
    databaseName: "action_history",
    userName: "slm_user",
    configuredPassword: pulumi.secret("test_password"),
    host: pulumi.output("postgresql.ns.svc.cluster.local"),
    port: pulumi.output(5432),
    database: pulumi.output("action_history"),
    user: pulumi.output("slm_user"),
    password: pulumi.secret("test_password"),
    secretName: pulumi.output("postgresql-secret"),
    dataId: pulumi.output("0b6e7c1e-data-volume-uid"),
    podLabels: { "app.kubernetes.io/name": "postgresql" },
    image: "postgres:16-alpine",
  };
}

export function fakeRedis() {
  return {
    serviceName: "redis",
    host: pulumi.output("redis.ns.svc.cluster.local"),
    address: pulumi.output("redis.ns.svc.cluster.local:6379"),
  };
}

export function fakeMigrations() {
  return { applied: pulumi.output("hash") };
}

export function fakeImage() {
  return { image: pulumi.output("localhost/app:0123456789abcdef") };
}

export function fakeCrds() {
  return { names: ["things.example.com"], ready: pulumi.output(["things.example.com"]) };
}

/** The repository root. */
export const ROOT = join(__dirname, "..", "..", "..");
/** The stand-in checkout of the service repository the stacks' tests use. */
export const CHECKOUT = fixtureCheckout();
export const TEKTON_RELEASE = join(ROOT, "stacks", "workflowexecution", "test", "fixtures", "tekton-release.yaml");
export const CRD_FILE = join(CHECKOUT, "config", "crd", "bases", "kubernaut.ai_remediationrequests.yaml");
export const MIGRATIONS = join(CHECKOUT, "migrations");

/** Files some cases need, written once into a temporary directory. */
export const files = (() => {
  const dir = mkdtempSync(join(tmpdir(), "bad-input-"));
  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, text);
    return path;
  };
  return {
    dir,
    emptyDir: (() => {
      const path = join(dir, "empty");
      mkdirSync(path);
      return path;
    })(),
    context: (() => {
      write("context/Dockerfile", "FROM scratch\nCOPY . /\n");
      return join(dir, "context");
    })(),
    auth: write("auth.json", JSON.stringify({ auths: { "quay.io": { auth: "dXNlcjpwYXNz" } } })),
    notJson: write("not-json.txt", "user: pass\n"),
    shellProfile: write("home/.bashrc", 'export PATH="$HOME/bin:$PATH"\nalias ll="ls -l"\n'),
    notKubeconfig: write("pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n"),
    otherStacksCaFile: write(
      "kube/inter-service-ca.pem",
      "# inter-service CA of e2e-infra stack gateway/gateway-e2e; removed when that stack is destroyed\n-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n",
    ),
    noAuths: write("no-auths.json", JSON.stringify({ credHelpers: {} })),
    configMap: write("configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: not-a-crd\ndata: {}\n"),
    v1beta1Crd: write(
      "v1beta1.yaml",
      "apiVersion: apiextensions.k8s.io/v1beta1\nkind: CustomResourceDefinition\nmetadata:\n  name: things.example.com\nspec: {}\n",
    ),
    brokenYaml: write("broken.yaml", "apiVersion: v1\nkind: [unclosed\n"),
    notARelease: write("not-a-release.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: tekton-pipelines\n"),
    sqlDir: (() => {
      write("sql/001_init.sql", "-- +goose Up\nCREATE TABLE t (id int);\n");
      return join(dir, "sql");
    })(),
    metaCommandDir: (() => {
      write("meta/001_meta.sql", "-- +goose Up\n\\i other.sql\n");
      return join(dir, "meta");
    })(),
    noSqlDir: (() => {
      write("no-sql/README.md", "nothing here\n");
      return join(dir, "no-sql");
    })(),
  };
})();
