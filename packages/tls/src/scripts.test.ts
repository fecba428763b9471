import { KindCluster } from "@e2e-infra/kind-cluster";
import { capture, runHostScript, shellcheck, shimDirectory, type Shims } from "@e2e-infra/testing";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { InterServiceTls } from "./index";

// The CA file's host scripts exactly as InterServiceTls hands them to its host command (script
// text and environment from the captured RegisterResource request), run by /bin/sh.

let scripts: { create: string; delete: string; check: string };
let environment: Record<string, string>;
const PEM = "-----BEGIN CERTIFICATE-----\ncertificate of tls-ca\n-----END CERTIFICATE-----\n";
const HEADER = "# inter-service CA of e2e-infra stack test/test; removed when that stack is destroyed";
/** What the file holds once this stack wrote it: the header naming the stack, then the certificate. */
const WRITTEN = `${HEADER}\n${PEM}`;

beforeAll(async () => {
  const { graph } = await capture(() => {
    const cluster = new KindCluster("kind", { name: "ds-e2e" });
    new InterServiceTls("tls", { cluster, namespace: "e2e", services: ["dex"], caFile: "~/.kube/inter-service-ca.pem" });
  }, {});
  const file = graph.one({ name: "tls-ca-file" });
  scripts = { create: file.inputs["create"] as string, delete: file.inputs["delete"] as string, check: file.inputs["check"] as string };
  environment = file.inputs["environment"] as Record<string, string>;
});

let shims: Shims;
let home: string;

function run(script: keyof typeof scripts, extra: Record<string, string> = {}) {
  return runHostScript(scripts[script], { ...environment, ...extra }, { shims, home });
}

describe("the CA file", () => {
  beforeAll(() => {
    shims = shimDirectory([]);
    home = shims.root;
  });

  it("GIVEN no file WHEN created THEN the CA is written beside the kubeconfig (~ expanded), readable by all, and its path printed", () => {
    const result = run("create");
    const path = join(home, ".kube", "inter-service-ca.pem");
    expect(result).toMatchObject({ status: 0, stdout: `${path}\n`, stderr: "" });
    expect(readFileSync(path, "utf8")).toBe(WRITTEN);
    expect(statSync(path).mode & 0o777).toBe(0o644);
    expect(readdirSync(join(home, ".kube"))).toStrictEqual(["inter-service-ca.pem"]);
  });

  it("GIVEN the file WHEN checked THEN 0; GIVEN it changed or gone THEN 3, so refresh drops it and the next up writes it", () => {
    const path = join(home, ".kube", "inter-service-ca.pem");
    expect(run("check").status).toBe(0);
    writeFileSync(path, `${HEADER}\nanother CA of this stack\n`);
    expect(run("check")).toMatchObject({ status: 3, stderr: `CA file ${path} is gone or holds another certificate\n` });
    expect(run("create").status).toBe(0);
    expect(readFileSync(path, "utf8")).toBe(WRITTEN);
  });

  it("GIVEN a leftover temporary file of a killed run WHEN created THEN it is gone afterwards", () => {
    const leftover = join(home, ".kube", ".inter-service-ca.pem.tmp.abcdef");
    writeFileSync(leftover, "partial");
    expect(run("create").status).toBe(0);
    expect(existsSync(leftover)).toBe(false);
  });

  it("GIVEN another stack's CA in the file WHEN deleted THEN it is left, saying so; GIVEN this CA THEN removed; GIVEN none THEN nothing to do", () => {
    const path = join(home, ".kube", "inter-service-ca.pem");
    writeFileSync(path, "another stack's CA\n");
    expect(run("delete")).toMatchObject({ status: 0, stderr: `leaving ${path}: it holds another CA certificate than this stack's\n` });
    expect(readFileSync(path, "utf8")).toBe("another stack's CA\n");
    rmSync(path);
    expect(run("create").status).toBe(0);
    expect(run("delete")).toMatchObject({ status: 0, stderr: "" });
    expect(existsSync(path)).toBe(false);
    expect(run("delete")).toMatchObject({ status: 0, stderr: "" });
    expect(run("check").status).toBe(3);
  });

  it("GIVEN a path that is a directory WHEN created THEN it fails naming it", () => {
    const dir = join(home, "certs");
    mkdirSync(dir);
    expect(run("create", { CA_FILE: dir })).toMatchObject({
      status: 1,
      stderr: `CA file path ${dir} is a directory; expected a file path\n`,
    });
  });

  it("GIVEN a file this stack did not write (another stack's, a user's) WHEN created THEN it fails saying so and the file is untouched", () => {
    const path = join(home, ".kube", "inter-service-ca.pem");
    for (const theirs of [
      "# inter-service CA of e2e-infra stack gateway/gateway-e2e; removed when that stack is destroyed\n-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n",
      "-----BEGIN CERTIFICATE-----\nthe Go setup's CA\n-----END CERTIFICATE-----\n",
      "my notes\n",
    ]) {
      writeFileSync(path, theirs);
      const result = run("create");
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`CA file ${path} exists and this stack did not write it`);
      expect(readFileSync(path, "utf8")).toBe(theirs);
      expect(run("delete").stderr).toContain("leaving");
      expect(readFileSync(path, "utf8")).toBe(theirs);
    }
    rmSync(path);
  });

  it("GIVEN the file as an earlier version wrote it (this CA, no header) WHEN created THEN it is this stack's: rewritten with the header; deleted THEN removed", () => {
    const path = join(home, ".kube", "inter-service-ca.pem");
    writeFileSync(path, PEM);
    expect(run("create").status).toBe(0);
    expect(readFileSync(path, "utf8")).toBe(WRITTEN);
    writeFileSync(path, PEM);
    expect(run("delete")).toMatchObject({ status: 0, stderr: "" });
    expect(existsSync(path)).toBe(false);
  });

  it("GIVEN the shipped scripts THEN shellcheck finds nothing", () => {
    const dir = join(__dirname, "..", "scripts");
    expect(shellcheck(readdirSync(dir).map((file) => join(dir, file)))).toBe("");
  });
});
