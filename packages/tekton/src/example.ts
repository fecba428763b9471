import { inClusterOptions } from "@e2e-infra/core";
import { KindCluster } from "@e2e-infra/kind-cluster";
import { Tekton } from "@e2e-infra/tekton";
import * as k8s from "@pulumi/kubernetes";
import { join } from "node:path";

const cluster = new KindCluster("cluster", { name: "workflowexecution-e2e" });
const workflows = new k8s.core.v1.Namespace("workflows", { metadata: { name: "kubernaut-workflows" } }, inClusterOptions(cluster, cluster));

// In a stack: manifestFile: await fetchTektonRelease("v1.7.0") (downloaded once, then cached).
const tekton = new Tekton("tekton", { cluster, manifestFile: join(__dirname, "..", "test", "fixtures", "release.yaml") });

// Created once Tekton's webhook serves: no "failed calling webhook ... connection refused".
new k8s.apiextensions.CustomResource(
  "hello-world",
  {
    apiVersion: "tekton.dev/v1",
    kind: "Pipeline",
    metadata: { name: "test-hello-world", namespace: workflows.metadata.name, annotations: { "e2e-infra.dev/tekton": tekton.ready } },
    spec: {
      tasks: [
        {
          name: "echo",
          taskSpec: { steps: [{ name: "echo", image: "registry.access.redhat.com/ubi9/ubi-minimal:latest", script: "echo hello" }] },
        },
      ],
    },
  },
  inClusterOptions(cluster, cluster),
);

export const tektonReady = tekton.ready;
