import { ChartObjects, renderChart } from "@e2e-infra/chart";
import { inClusterOptions } from "@e2e-infra/core";
import { KindCluster } from "@e2e-infra/kind-cluster";
import * as k8s from "@pulumi/kubernetes";
import { join } from "node:path";

const cluster = new KindCluster("cluster", { name: "app-e2e" });
const namespace = new k8s.core.v1.Namespace("apps", { metadata: { name: "apps" } }, inClusterOptions(cluster, cluster));

// At program time, with `helm` from PATH: a pure function of the chart's files and the values.
const objects = renderChart('Example "app"', {
  chart: join(__dirname, "..", "test", "fixtures", "app"), // in a stack: join(serviceRepository, "charts/<name>")
  release: "demo",
  namespace: "apps",
  values: { image: "localhost/app:placeholder", service: { nodePort: 30080 } },
  templates: ["templates/app.yaml"],
  kubeVersion: "1.36.1",
});

// What the chart's Deployment reads but does not render: the stack makes it.
const credentials = new k8s.core.v1.Secret(
  "credentials",
  { metadata: { name: "app-credentials", namespace: namespace.metadata.name }, stringData: { password: "s3cret" } },
  inClusterOptions(cluster, cluster),
);

const app = new ChartObjects("app", {
  cluster,
  namespace: namespace.metadata.name,
  objects,
  // In a stack: an ImageBuildLoad's `image`, so the pods wait for exactly their image.
  images: { "localhost/app:placeholder": "localhost/app:0123456789abcdef" },
  references: { "Secret/app-credentials": credentials.metadata.name },
  // The reader role is not needed here (say why at the call, as here).
  omit: ["ClusterRole/app-reader"],
});

export const registered = Object.keys(app.resources);
