import { createServer, type Server } from "node:http";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchTektonRelease, tektonReleaseUrl } from "./index";

const fixture = readFileSync(join(__dirname, "..", "test", "fixtures", "release.yaml"), "utf8");
let server: Server;
let base = "";
let requests = 0;
beforeAll(async () => {
  server = createServer((request, response) => {
    requests += 1;
    if (request.url === "/v1.7.0/release.yaml") response.end(fixture);
    else response.writeHead(404).end("not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  base = typeof address === "object" && address !== null ? `http://127.0.0.1:${address.port}` : "";
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("fetchTektonRelease", () => {
  it("GIVEN a version THEN the release URL is GitHub's", () => {
    expect(tektonReleaseUrl("v1.7.0")).toBe("https://github.com/tektoncd/pipeline/releases/download/v1.7.0/release.yaml");
  });

  it("GIVEN a first call THEN it downloads into the cache; GIVEN a second THEN no request is made", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "tekton-cache-"));
    const before = requests;
    const file = await fetchTektonRelease("v1.7.0", { cacheDir, url: `${base}/v1.7.0/release.yaml` });
    expect(file).toBe(join(cacheDir, "v1.7.0", "release.yaml"));
    expect(readFileSync(file, "utf8")).toBe(fixture);
    expect(await fetchTektonRelease("v1.7.0", { cacheDir, url: `${base}/v1.7.0/release.yaml` })).toBe(file);
    expect(requests - before).toBe(1);
  });

  it("GIVEN another download of the same release in progress (its partial file) THEN this one neither overwrites nor takes that file", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "tekton-cache-"));
    const other = join(cacheDir, "v1.7.0", "release.yaml.partial");
    mkdirSync(join(cacheDir, "v1.7.0"));
    writeFileSync(other, "half of another process's download");
    const file = await fetchTektonRelease("v1.7.0", { cacheDir, url: `${base}/v1.7.0/release.yaml` });
    expect(readFileSync(file, "utf8")).toBe(fixture);
    expect(readFileSync(other, "utf8")).toBe("half of another process's download");
  });

  it("GIVEN a release that is not there THEN the error names the URL and the status, and nothing is cached", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "tekton-cache-"));
    await expect(fetchTektonRelease("v9.9.9", { cacheDir, url: `${base}/v9.9.9/release.yaml` })).rejects.toThrow(
      `could not download the Tekton v9.9.9 release from ${base}/v9.9.9/release.yaml: HTTP 404`,
    );
    expect(existsSync(join(cacheDir, "v9.9.9", "release.yaml"))).toBe(false);
  });

  it("GIVEN a bad version THEN it says what a version looks like", async () => {
    await expect(fetchTektonRelease("latest")).rejects.toThrow('Tekton version "latest": expected vMAJOR.MINOR.PATCH');
  });
});
