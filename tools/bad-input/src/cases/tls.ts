import { InterServiceTls, SigningCertificate, type InterServiceTlsArgs, type SigningCertificateArgs } from "@e2e-infra/tls";
import { casesFor, type ComponentCatalogue } from "../catalogue";
import { fakeCluster, files } from "../fakes";

const DAYS = "expected a whole number of days from 1 to 3650";
const COMMON_NAME = "expected a common name: 1 to 64 printable ASCII characters";

const tlsGood = (): InterServiceTlsArgs => ({ cluster: fakeCluster(), namespace: "kubernaut-system", services: ["data-storage-service"] });
const tls = casesFor<InterServiceTlsArgs>("InterServiceTls", (name, args) => new InterServiceTls(name, args), tlsGood, "tls");

/** InterServiceTls (tls): every argument. */
export const interServiceTls: ComponentCatalogue = {
  component: "InterServiceTls",
  args: { file: "packages/tls/src/inter-service-tls.ts", type: "InterServiceTlsArgs" },
  baseline: tls.baseline,
  cases: [
    tls.bad("no cluster", { cluster: undefined }, "cluster", undefined, "expected a cluster"),
    tls.bad("a namespace with an underscore", { namespace: "kubernaut_system" }, "namespace", "kubernaut_system", "expected a namespace"),
    tls.bad("no services", { services: [] }, "services", [], "expected a non-empty list of service names"),
    tls.bad("services as one string", { services: "gateway" }, "services", "gateway", "expected a non-empty list of service names"),
    tls.bad("a service name with capitals", { services: ["DataStorage"] }, "services[0]", "DataStorage", "expected a DNS-1123 label"),
    tls.bad("a service that is null", { services: [null] }, "services[0]", null, "expected a service name or { serviceName, secretName }"),
    tls.bad(
      "a Secret name with a dot",
      { services: [{ serviceName: "gateway", secretName: "gateway.tls" }] },
      "services[0].secretName",
      "gateway.tls",
      "expected a DNS-1123 label",
    ),
    tls.bad("a relative CA file", { caFile: "ca.pem" }, "caFile", "ca.pem", 'expected an absolute file path or one starting with "~/"'),
    tls.bad(
      "a CA file that is a directory",
      { caFile: "/tmp/" },
      "caFile",
      "/tmp/",
      'expected an absolute file path or one starting with "~/"',
    ),
    tls.bad(
      "a CA file naming a shell profile",
      { caFile: files.shellProfile },
      "caFile",
      files.shellProfile,
      "is not a CA file a stack wrote, and a stack never replaces a file it did not write",
    ),
    tls.bad(
      "a CA file another stack wrote",
      { caFile: files.otherStacksCaFile },
      "caFile",
      files.otherStacksCaFile,
      'holds the CA of another stack ("# inter-service CA of e2e-infra stack gateway/gateway-e2e',
    ),
    tls.bad("an empty CA common name", { caCommonName: "" }, "caCommonName", "", COMMON_NAME),
    tls.bad(
      "a CA ConfigMap name with capitals",
      { caConfigMapName: "Inter-Service-CA" },
      "caConfigMapName",
      "Inter-Service-CA",
      "expected a DNS-1123 label",
    ),
    tls.bad('validity as the string "365"', { validityDays: "365" }, "validityDays", "365", DAYS),
    tls.bad("a validity of half a day", { validityDays: 0.5 }, "validityDays", 0.5, DAYS),
    tls.bad(
      "renewal as long as the validity",
      { validityDays: 30, renewBeforeDays: 30 },
      "renewBeforeDays",
      30,
      "expected a whole number of days from 0 to 29 (less than validityDays)",
    ),
  ],
};

const signingGood = (): SigningCertificateArgs => ({ cluster: fakeCluster(), namespace: "kubernaut-system" });
const signing = casesFor<SigningCertificateArgs>(
  "SigningCertificate",
  (name, args) => new SigningCertificate(name, args),
  signingGood,
  "signing",
);

/** SigningCertificate (tls): every argument. */
export const signingCertificate: ComponentCatalogue = {
  component: "SigningCertificate",
  args: { file: "packages/tls/src/signing-certificate.ts", type: "SigningCertificateArgs" },
  baseline: signing.baseline,
  cases: [
    signing.bad("no cluster", { cluster: undefined }, "cluster", undefined, "expected a cluster"),
    signing.bad("no namespace", { namespace: undefined }, "namespace", undefined, "expected a namespace"),
    signing.bad(
      "a Secret name with an underscore",
      { secretName: "signing_cert" },
      "secretName",
      "signing_cert",
      "expected a DNS-1123 label",
    ),
    signing.bad("a common name over 64 characters", { commonName: "c".repeat(65) }, "commonName", "c".repeat(65), COMMON_NAME),
    signing.bad("a negative validity", { validityDays: -1 }, "validityDays", -1, DAYS),
    signing.bad('renewal as the string "7"', { renewBeforeDays: "7" }, "renewBeforeDays", "7", "expected a whole number of days from 0 to"),
  ],
};
