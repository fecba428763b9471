import { ArgumentError } from "@e2e-infra/core";
import { hermeticPath, notRunHere, toolMissing } from "@e2e-infra/testing";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { helmTemplateArgv, renderChart, type ChartRender } from "./index";

// The renderChart tests run the real helm (on PATH; `e2e-infra doctor` checks for it, and CI builds
// the pinned one); without it, those that render say in one line that they do not run. Its
// argument checks and its message when helm is missing are tested either way.
const chart = join(__dirname, "..", "test", "fixtures", "app");
const base: ChartRender = {
  chart,
  release: "demo",
  namespace: "apps",
  values: {},
  templates: ["templates/app.yaml", "templates/hook-job.yaml"],
  kubeVersion: "1.36.1",
};
const keys = (render: ChartRender) => renderChart('Test "app"', render).map((o) => `${o.kind}/${o.metadata.name}`);
const withHelm = it.skipIf(notRunHere("renderChart with the real helm", toolMissing("helm")));

describe("helmTemplateArgv", () => {
  it("GIVEN a render THEN helm template with the release, namespace, a fixed kube version, values on stdin and each template", () => {
    expect(helmTemplateArgv(base)).toStrictEqual([
      "template",
      "demo",
      chart,
      "--namespace",
      "apps",
      "--kube-version",
      "1.36.1",
      "--values",
      "-",
      "--show-only",
      "templates/app.yaml",
      "--show-only",
      "templates/hook-job.yaml",
    ]);
  });
});

describe("renderChart (real helm)", () => {
  withHelm("GIVEN templates THEN their objects, hooks included, in the release namespace, with the values applied", () => {
    const objects = renderChart('Test "app"', { ...base, values: { image: "localhost/app:placeholder", service: { nodePort: 30080 } } });
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toStrictEqual([
      "ServiceAccount/app",
      "ConfigMap/app-config",
      "ClusterRole/app-reader",
      "Service/app",
      "Deployment/app",
      "Job/demo-setup",
    ]);
    expect(objects.filter((o) => o.kind !== "ClusterRole").map((o) => o.metadata.namespace)).toStrictEqual(Array(5).fill("apps"));
    const service = objects.find((o) => o.kind === "Service")!;
    expect(service["spec"]).toMatchObject({ type: "NodePort", ports: [{ name: "http", port: 8080, nodePort: 30080 }] });
    const job = objects.find((o) => o.kind === "Job")!;
    expect(JSON.stringify(job)).toContain("localhost/app:placeholder");
  });

  withHelm("GIVEN the same inputs twice THEN the same objects; lookup sees no cluster and .Capabilities is the given version", () => {
    const probe = { ...base, values: { kubeVersionProbe: true }, templates: ["templates/explode.yaml"] };
    const first = renderChart('Test "app"', probe);
    expect(renderChart('Test "app"', probe)).toStrictEqual(first);
    expect(first[0]!["data"]).toStrictEqual({ kubeVersion: "v1.36.1", lookup: "0" });
  });

  withHelm("GIVEN only some templates THEN only their objects", () => {
    expect(keys({ ...base, templates: ["templates/hook-job.yaml"] })).toStrictEqual(["Job/demo-setup"]);
  });

  withHelm("GIVEN values the schema refuses, or a template's fail THEN an ArgumentError with helm's message", () => {
    expect(() => keys({ ...base, values: { replicas: 0 } })).toThrow(ArgumentError);
    expect(() => keys({ ...base, values: { replicas: 0 } })).toThrow(/values .*helm template of .* failed: .*replicas.*minimum/s);
    expect(() => keys({ ...base, values: { explode: true }, templates: ["templates/explode.yaml"] })).toThrow(
      /explode is set: this chart refuses to render/,
    );
  });

  it("GIVEN a directory that is no chart, or a template it does not have THEN an ArgumentError naming the field, before helm runs", () => {
    expect(() => keys({ ...base, chart: tmpdir() })).toThrow(/chart is ".*"; expected a chart directory \(one holding Chart.yaml\)/);
    expect(() => keys({ ...base, templates: ["templates/app.yaml", "templates/missing.yaml"] })).toThrow(
      /templates\[1\] is "templates\/missing.yaml"; expected a template file of the chart/,
    );
    expect(() => keys({ ...base, templates: [] })).toThrow(/templates is \[\]; expected a list of chart-relative templates/);
  });

  it("GIVEN no helm on PATH THEN an error saying how to install it", () => {
    const path = process.env["PATH"];
    process.env["PATH"] = hermeticPath({ utilities: ["sh"] });
    try {
      expect(() => keys(base)).toThrow(/helm is not installed \(looked for it on PATH\)\. Install helm 3\.14\+/);
    } finally {
      process.env["PATH"] = path;
    }
  });
});
