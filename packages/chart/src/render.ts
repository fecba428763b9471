import { ArgumentError, parseManifests, type ManifestObject } from "@e2e-infra/core";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

/** What `helm template` renders: a chart, a release name and namespace, values, and the templates to show. */
export interface ChartRender {
  /** The chart directory, e.g. "<checkout>/charts/kubernaut". */
  chart: string;
  /** The release name (`.Release.Name`). */
  release: string;
  /** The release namespace (`.Release.Namespace`), as the objects are rendered into it. */
  namespace: string;
  /** Values, as `-f` would give them (a plain JSON-able object). */
  values: Record<string, unknown>;
  /** Chart-relative template paths to render (`-s`), e.g. "templates/datastorage/datastorage.yaml". */
  templates: readonly string[];
  /** `.Capabilities.KubeVersion`: fixed, so the render does not depend on which cluster is reachable. */
  kubeVersion: string;
}

/**
 * The argv of `helm template` for a render. Client-side (no `--dry-run=server`, no
 * `--validate`): `lookup` returns nothing and `.Capabilities` is the fixed kubeVersion, so the
 * same inputs give the same bytes on every run, before and after the cluster exists.
 */
export function helmTemplateArgv(render: ChartRender): string[] {
  return [
    "template",
    render.release,
    render.chart,
    "--namespace",
    render.namespace,
    "--kube-version",
    render.kubeVersion,
    "--values",
    "-",
    ...render.templates.flatMap((template) => ["--show-only", template]),
  ];
}

/**
 * Renders the chart with `helm` from PATH (values on stdin, no shell) and returns its objects,
 * hooks included, in helm's order. Runs at program time: a pure function of the chart's files
 * and the values. Throws an ArgumentError naming `subject`, the field and helm's own message
 * when the chart, a template or the values are wrong, and an Error saying how to install helm
 * when it is missing.
 */
export function renderChart(subject: string, render: ChartRender): ManifestObject[] {
  if (typeof render.chart !== "string" || !existsSync(join(render.chart, "Chart.yaml"))) {
    throw new ArgumentError(subject, "chart", render.chart, "expected a chart directory (one holding Chart.yaml)");
  }
  if (!Array.isArray(render.templates) || render.templates.length === 0) {
    throw new ArgumentError(
      subject,
      "templates",
      render.templates,
      'expected a list of chart-relative templates, e.g. "templates/app.yaml"',
    );
  }
  render.templates.forEach((template, index) => {
    if (typeof template !== "string" || !existsSync(join(render.chart, template))) {
      throw new ArgumentError(subject, `templates[${index}]`, template, `expected a template file of the chart ${render.chart}`);
    }
  });
  const result = spawnSync("helm", helmTemplateArgv(render), {
    input: JSON.stringify(render.values),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error !== undefined) {
    if ((result.error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error(
        `${subject}: helm is not installed (looked for it on PATH). Install helm 3.14+ (https://helm.sh/docs/intro/install/), ` +
          "or build the pinned one with `bash tools/engine/build.sh --only helm` and put its directory on PATH.",
      );
    }
    throw result.error;
  }
  if (result.status !== 0) {
    const message = result.stderr
      .split("\n")
      .filter((line) => line.trim() !== "" && !line.includes("found symbolic link in path"))
      .join("\n");
    throw new ArgumentError(subject, "values", render.values, `helm template of ${render.chart} failed: ${message}`);
  }
  return parseManifests(result.stdout, `helm template ${render.chart}`);
}
