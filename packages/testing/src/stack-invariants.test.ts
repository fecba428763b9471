import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { capture, plainSecretInputs } from "./index";

describe("plainSecretInputs", () => {
  it("GIVEN a password in a plain input and one in a secret input THEN only the plain one, by resource and path", async () => {
    const { graph } = await capture(() => {
      new k8s.core.v1.Secret("kept", { metadata: { name: "db" }, stringData: { password: pulumi.secret("test_password") } });
      new k8s.core.v1.ConfigMap("leaked", { metadata: { name: "app" }, data: { url: "postgresql://u:test_password@db/x" } });
      new k8s.core.v1.ConfigMap("key", { metadata: { name: "tls" }, data: { "tls.key": "-----BEGIN EC PRIVATE KEY-----\n..." } });
      new k8s.core.v1.ConfigMap("fine", { metadata: { name: "other" }, data: { user: "slm_user" } });
    });
    expect(plainSecretInputs(graph)).toStrictEqual(["leaked data.url", "key data.tls.key"]);
  });
});
