import { KindCluster } from "@e2e-infra/kind-cluster";
import { capture, fixtureCheckout } from "@e2e-infra/testing";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { goBuildSources } from "./environment";
import { DataTier, serviceImage } from "./index";

function checkoutCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "checkout-"));
  cpSync(fixtureCheckout(), dir, { recursive: true, verbatimSymlinks: true });
  return dir;
}

function write(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/** The data tier and the Gateway's image over `repository`, as gateway-e2e composes them: each build's image reference. */
async function imageReferences(repository: string): Promise<Record<string, string>> {
  const { graph } = await capture(() => {
    const cluster = new KindCluster("cluster", { name: "env-e2e" });
    new DataTier("data", { cluster, namespace: "kubernaut-system", repository });
    serviceImage("gateway-image", {
      cluster,
      repository,
      imageName: "localhost/kubernaut-gateway",
      dockerfile: "docker/gateway-ubi9.Dockerfile",
      coverage: false,
      goPackage: "cmd/gateway",
    });
  });
  return Object.fromEntries(
    graph.find({ name: /-image-build$/ }).map((build) => [build.name, (build.inputs["environment"] as Record<string, string>)["IMAGE"]!]),
  );
}

/** Which images' references differ between two captures. */
function changed(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys(before)
    .filter((name) => before[name] !== after[name])
    .sort();
}

describe("service images from one checkout", () => {
  it("GIVEN the Gateway's own source changed WHEN captured again THEN only the Gateway's image reference changes", async () => {
    const checkout = checkoutCopy();
    const before = await imageReferences(checkout);
    expect(Object.keys(before).sort()).toStrictEqual(["data-datastorage-image-build", "gateway-image-build"]);
    write(checkout, {
      "cmd/gateway/main.go": `${readFileSync(join(checkout, "cmd/gateway/main.go"), "utf8")}\nfunc init() { println(1) }\n`,
    });
    const after = await imageReferences(checkout);
    expect(changed(before, after)).toStrictEqual(["gateway-image-build"]);
    write(checkout, { "pkg/gateway/routes.go": "package gateway\n" });
    expect(changed(after, await imageReferences(checkout))).toStrictEqual(["gateway-image-build"]);
  });

  it("GIVEN DataStorage's server, its client (which the Gateway imports), a shared package, a migration or a CRD changed THEN exactly the images that read it change", async () => {
    const checkout = checkoutCopy();
    const cases: Array<[Record<string, string>, string[]]> = [
      [{ "pkg/datastorage/server/server.go": "package server\n\nfunc Run() { println(1) }\n" }, ["data-datastorage-image-build"]],
      [{ "api/openapi/data-storage-v1.yaml": "openapi: 3.0.3\npaths: {}\n" }, ["data-datastorage-image-build"]],
      [{ "pkg/datastorage/client/client.go": "package client\n\nfunc New() {}\n" }, ["gateway-image-build"]],
      [
        { "pkg/shared/health/health.go": "package health\n\nfunc Serve() { println(1) }\n" },
        ["data-datastorage-image-build", "gateway-image-build"],
      ],
      [{ "go.sum": "example.com/dependency v1.0.0 h1:stand-in=\n" }, ["data-datastorage-image-build", "gateway-image-build"]],
      [{ "migrations/016_more.sql": "SELECT 1;\n", "config/crd/bases/kubernaut.ai_remediationrequests.yaml": "# changed\n" }, []],
      [{ "cmd/signalprocessing/main.go": "package main\n\nfunc main() {}\n", "docs/notes.md": "notes\n" }, []],
    ];
    let before = await imageReferences(checkout);
    for (const [files, expected] of cases) {
      write(checkout, files);
      const after = await imageReferences(checkout);
      expect(changed(before, after), Object.keys(files).join(", ")).toStrictEqual(expected);
      before = after;
    }
  });
});

describe("goBuildSources", () => {
  it("GIVEN the stand-in checkout THEN the Gateway's build reads go.mod, go.sum and the packages it imports, transitively", () => {
    expect(goBuildSources("s", fixtureCheckout(), "cmd/gateway")).toStrictEqual([
      "go.mod",
      "go.sum",
      "cmd/gateway",
      "pkg/datastorage/client",
      "pkg/gateway",
      "pkg/shared/health",
    ]);
    expect(goBuildSources("s", fixtureCheckout(), "./cmd/datastorage/")).toStrictEqual([
      "go.mod",
      "go.sum",
      "cmd/datastorage",
      "pkg/datastorage/server",
      "pkg/shared/health",
    ]);
  });

  it("GIVEN every form of import, comments, tests, vendor and a local replace THEN only the module's imported packages, outermost first", () => {
    const module = mkdtempSync(join(tmpdir(), "gomod-"));
    write(module, {
      "go.mod": 'module "example.com/app"\n\ngo 1.25\n\nreplace example.com/lib => ./third_party/lib\n',
      "vendor/modules.txt": "# example.com/lib v1.0.0\n",
      "third_party/lib/lib.go": "package lib\n",
      "cmd/app/main.go": [
        '/* import "example.com/app/pkg/commented" */',
        "//go:build linux",
        "package main",
        "",
        'import "example.com/app/pkg/single"',
        "import (",
        '\tfmt "fmt"',
        '\t_ "example.com/app/pkg/blank"',
        '\t// "example.com/app/pkg/commented"',
        '\t. "example.com/app/pkg/dot"',
        "\traw `example.com/app/pkg/raw`",
        ")",
        "",
        'func main() { fmt.Println("import \\"example.com/app/pkg/string\\"") }',
        "",
      ].join("\n"),
      "cmd/app/main_test.go": 'package main\n\nimport "example.com/app/pkg/testonly"\n',
      "pkg/single/single.go": 'package single\n\nimport "example.com/app/pkg/single/inner"\n',
      "pkg/single/inner/inner.go": 'package inner\n\nimport "example.com/app/pkg/deep"\n',
      "pkg/deep/deep.go": "package deep\n",
      "pkg/blank/blank.go": "package blank\n",
      "pkg/dot/dot.go": "package dot\n",
      "pkg/raw/raw.go": "package raw\n",
      "pkg/commented/c.go": "package commented\n",
      "pkg/string/s.go": "package string\n",
      "pkg/testonly/t.go": "package testonly\n",
    });
    expect(goBuildSources("s", module, "cmd/app")).toStrictEqual([
      "go.mod",
      "vendor",
      "cmd/app",
      "pkg/blank",
      "pkg/deep",
      "pkg/dot",
      "pkg/raw",
      "pkg/single",
      "third_party/lib",
    ]);
  });

  it("GIVEN a package that imports the module's root package THEN the whole checkout", () => {
    const module = mkdtempSync(join(tmpdir(), "gomod-"));
    write(module, {
      "go.mod": "module example.com/app\n",
      "app.go": "package app\n",
      "cmd/app/main.go": 'package main\n\nimport "example.com/app"\n',
    });
    expect(goBuildSources("s", module, "cmd/app")).toStrictEqual(["go.mod", "."]);
  });
});

describe("serviceImage's Go caches", () => {
  async function caches(containerRuntime: "docker" | "podman"): Promise<string | undefined> {
    const { graph } = await capture(() => {
      const cluster = new KindCluster("cluster", { name: "env-e2e", containerRuntime });
      serviceImage("gateway-image", {
        cluster,
        repository: fixtureCheckout(),
        imageName: "localhost/kubernaut-gateway",
        dockerfile: "docker/gateway-ubi9.Dockerfile",
        coverage: false,
        goPackage: "cmd/gateway",
      });
    });
    return (graph.one({ name: "gateway-image-build" }).inputs["environment"] as Record<string, string | undefined>)["CACHES"];
  }

  it("GIVEN Podman THEN the build mounts the user's cache of Go modules and of Go builds where go-toolset keeps them; GIVEN Docker THEN none", async () => {
    vi.stubEnv("XDG_CACHE_HOME", "/var/cache/me");
    try {
      expect(await caches("podman")).toBe(
        [
          "/var/cache/me/e2e-infra/build-cache/go-mod:/opt/app-root/src/go/pkg/mod",
          "/var/cache/me/e2e-infra/build-cache/go-build:/opt/app-root/src/.cache/go-build",
        ].join("\n"),
      );
      expect(await caches("docker")).toBeUndefined();
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe("serviceImage bad input", () => {
  const cases: Array<[string, string, string, RegExp]> = [
    [
      "a missing main package",
      fixtureCheckout(),
      "cmd/nope",
      /serviceImage "gateway-image": goPackage is "cmd\/nope"; expected the main package's directory, relative to the checkout .*kubernaut-checkout, e\.g\. "cmd\/gateway"/,
    ],
    ["an absolute main package", fixtureCheckout(), "/cmd/gateway", /goPackage is "\/cmd\/gateway"; expected the main package's directory/],
    [
      "a main package outside the checkout",
      fixtureCheckout(),
      "../cmd/gateway",
      /goPackage is "..\/cmd\/gateway"; expected the main package's directory/,
    ],
    [
      "a checkout that is no Go module",
      mkdtempSync(join(tmpdir(), "not-go-")),
      ".",
      /serviceImage "gateway-image": repository is ".*not-go-.*"; expected a Go module checkout \(a go.mod with a module line\)/,
    ],
  ];
  it.each(cases)(
    "GIVEN %s WHEN the program runs THEN it throws naming the argument, before any resource",
    async (_, repository, goPackage, message) => {
      let thrown: unknown;
      const { graph } = await capture(() => {
        const cluster = new KindCluster("cluster", { name: "env-e2e" });
        try {
          serviceImage("gateway-image", {
            cluster,
            repository,
            imageName: "localhost/kubernaut-gateway",
            dockerfile: "docker/gateway-ubi9.Dockerfile",
            coverage: false,
            goPackage,
          });
        } catch (error) {
          thrown = error;
        }
      });
      expect(String(thrown)).toMatch(message);
      expect(graph.find({ name: /^gateway-image/ })).toStrictEqual([]);
    },
  );
});
