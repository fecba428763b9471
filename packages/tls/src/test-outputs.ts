import type { MockResourceArgs } from "@pulumi/pulumi/runtime/mocks";
import { TLS_CERTIFICATE_TYPE } from "./certificate";

/**
 * Outputs a mocked TlsCertificate returns under `capture` (its `outputs` option): what the
 * provider computes and consumers read. Without them the certificate and key would be undefined
 * under mocks, and the SDK would drop the Secrets' inputs and their edges with them.
 * (A candidate for `defaultOutputs` in @e2e-infra/testing.)
 */
export function mockCertificateOutputs(args: MockResourceArgs): Record<string, unknown> | undefined {
  if (args.type !== TLS_CERTIFICATE_TYPE) return undefined;
  return {
    certificate: `-----BEGIN CERTIFICATE-----\ncertificate of ${args.name}\n-----END CERTIFICATE-----\n`,
    privateKey: `-----BEGIN PRIVATE KEY-----\nkey of ${args.name}\n-----END PRIVATE KEY-----\n`,
    serialNumber: "01",
    notAfter: "2030-01-01T00:00:00.000Z",
  };
}
