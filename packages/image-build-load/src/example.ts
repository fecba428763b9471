import { inClusterOptions } from "@e2e-infra/core";
import { ImageBuildLoad } from "@e2e-infra/image-build-load";
import { KindCluster } from "@e2e-infra/kind-cluster";
import * as k8s from "@pulumi/kubernetes";
import { join } from "node:path";

const cluster = new KindCluster("demo", { name: "demo-e2e" });

// Builds while the cluster is being created; only the load waits for the cluster.
const app = new ImageBuildLoad("app", {
  cluster,
  imageName: "localhost/hello",
  context: join(__dirname, "..", "example", "app"),
});

// `app.image` is "localhost/hello:<content hash>" and resolves once the image is in the cluster.
new k8s.core.v1.Pod(
  "hello",
  {
    metadata: { name: "hello", namespace: "default" },
    spec: { containers: [{ name: "hello", image: app.image, imagePullPolicy: "Never", command: ["/hello"] }] },
  },
  inClusterOptions(cluster, cluster),
);

export const image = app.image;
