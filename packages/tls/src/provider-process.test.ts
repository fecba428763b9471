import { capture, hermeticPath } from "@e2e-infra/testing";
import { spawnSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TLS_CERTIFICATE_TYPE, TlsCertificate, type TlsCertificateInputs } from "./index";

// The provider as Pulumi serializes it into the state, loaded the way the Node.js dynamic
// provider process loads it (require-from-string, the module's paths from the process's working
// directory), in a process of its own: from which directories it finds @peculiar/x509.

const inputs: TlsCertificateInputs = {
  commonName: "kubernaut-inter-service-ca",
  keyAlgorithm: "ECDSA-P256",
  profile: "ca",
  dnsNames: [],
  ipAddresses: [],
  validityDays: 365,
  renewBeforeDays: 30,
};

// What @pulumi/pulumi/cmd/dynamic-provider does with the resource's __provider property.
const LOADER = `"use strict";
const [requireFromString, text, inputs] = [require(process.argv[2]), require("node:fs").readFileSync(process.argv[3], "utf8"), JSON.parse(process.argv[4])];
requireFromString(text).handler().create(inputs).then(
  (result) => console.log(JSON.stringify({ certificate: result.outs.certificate })),
  (error) => console.log(JSON.stringify({ error: error.message })),
);
`;

let serialized: string;
let serializedFile: string;
let scratch: string;
const requireFromStringPath = createRequire(require.resolve("@pulumi/pulumi")).resolve("require-from-string");
// A directory inside the workspace (.vitest/ is ignored by git), as a stack's @pulumi/pulumi is.
const inWorkspace = join(__dirname, "..", ".vitest", `provider-process-${process.pid}`);

beforeAll(async () => {
  await capture(() => new TlsCertificate("ca", inputs, {}), {
    outputs: (args) => {
      if (args.type === TLS_CERTIFICATE_TYPE) serialized = (args.inputs as Record<string, string>)["__provider"]!;
      return undefined;
    },
  });
  scratch = mkdtempSync(join(tmpdir(), "tls-provider-"));
  serializedFile = join(scratch, "provider.js");
  writeFileSync(serializedFile, serialized);
  mkdirSync(inWorkspace, { recursive: true });
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(inWorkspace, { recursive: true, force: true });
});

/** Runs the serialized provider's create with the loader script at `mainDir` (the process's main module), in `cwd`. */
function createIn(mainDir: string, cwd: string): { certificate?: string; error?: string } {
  const main = join(mainDir, "dynamic-provider.cjs");
  writeFileSync(main, LOADER);
  const result = spawnSync(process.execPath, [main, requireFromStringPath, serializedFile, JSON.stringify(inputs)], {
    cwd,
    encoding: "utf8",
    // The provider runs no program: node alone on its PATH.
    env: { PATH: hermeticPath({ utilities: [] }), HOME: scratch },
  });
  if (result.status !== 0) throw new Error(`loader failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").pop()!) as { certificate?: string; error?: string };
}

describe("the serialized provider in a process of its own", () => {
  it("GIVEN the serialized provider THEN it names no path of this machine and does not carry the library's code", () => {
    expect(serialized).not.toContain(join(__dirname, "..", ".."));
    expect(serialized).not.toContain(tmpdir());
    // The library is loaded when the provider runs (by name), not serialized with it.
    expect(serialized).toContain('load("@peculiar/x509")');
    expect(serialized.length).toBeLessThan(40_000);
  });

  it("GIVEN the working directory in the workspace (the CLI in the stack's directory) THEN the library is found from there", () => {
    const cwd = join(__dirname, "..");
    const result = createIn(scratch, cwd);
    expect(result.error).toBeUndefined();
    expect(new X509Certificate(result.certificate!).subject).toBe("CN=kubernaut-inter-service-ca");
  });

  it("GIVEN a working directory with no node_modules (another workDir) and the provider's main script in the workspace THEN the library is found beside it", () => {
    const cwd = mkdtempSync(join(scratch, "workdir-"));
    const result = createIn(inWorkspace, cwd);
    expect(result.error).toBeUndefined();
    expect(new X509Certificate(result.certificate!).ca).toBe(true);
  });

  it("GIVEN neither place has the library THEN create fails saying where it looked and what to do", () => {
    const cwd = mkdtempSync(join(scratch, "workdir-"));
    const result = createIn(scratch, cwd);
    expect(result.error).toContain("@e2e-infra/tls cannot load @peculiar/x509 and reflect-metadata in the dynamic provider process");
    expect(result.error).toContain(`from ${cwd}: Cannot find module 'reflect-metadata'`);
    expect(result.error).toContain(`from ${join(scratch, "dynamic-provider.cjs")}: Cannot find module 'reflect-metadata'`);
    expect(result.error).toContain("run npm install where the stack's @pulumi/pulumi is installed");
  });
});
