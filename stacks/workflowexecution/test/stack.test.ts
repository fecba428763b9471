import { fixtureCheckout } from "@e2e-infra/testing";
import { describeServiceStack } from "@e2e-infra/testing/vitest";
import { join } from "node:path";

// The workflowexecution-e2e stack (the repository's HEAD) under mocks with its own stack file, against a stand-in checkout of the service repository.
describeServiceStack({
  dir: join(__dirname, ".."),
  project: "workflowexecution",
  stack: "workflowexecution-e2e",
  checkout: fixtureCheckout(),
  helm: true, // KubernautRelease renders the checkout's chart with helm
  config: { "workflowexecution:tektonManifest": join(__dirname, "fixtures", "tekton-release.yaml") },
  outputs: {
    kubeconfigPath: "/home/user/.kube/workflowexecution-e2e-config",
    caFile: "stdout of kubernaut-tls-ca-file",
    metricsUrl: "http://localhost:9185",
    dataStorageUrl: "https://localhost:8092",
    dataStorageHealthUrl: "http://localhost:30281",
    // Under mocks, each workflow's id is derived from its name.
    workflowIds: JSON.stringify({
      "test-hello-world": "29496210-9803-c338-46f8-ec73a228e1b1",
      "test-intentional-failure": "7e67f6a5-c7cd-fcc1-4345-8d623676b037",
      "test-dep-secret-job": "f4df61ea-09a0-0f04-bcc2-b9a1624cd881",
      "test-dep-secret-tekton": "323166a1-91fe-59ab-a15b-ea881645f055",
      "test-dep-configmap-job": "9d65e26f-7a83-8928-62c0-730a56441e54",
      "test-dep-configmap-tekton": "e658fe1f-b46e-4dd0-69a8-920f5969cf2b",
      "test-job-hello-world": "c7186e45-8e0f-0718-75c0-c26c47cf1fec",
      "test-job-intentional-failure": "eb6efde6-51bd-efcc-f571-dbdca1f6058c",
      "test-job-oomkill": "90ba48d4-f9d0-a183-4462-038fad4019d6",
      "test-ansible-success": "9c7127c5-1242-40f4-bf74-eb33c2c57921",
      "test-ansible-failure": "5e6f706d-2d5d-cab9-a48c-862471b60268",
      "test-dep-secret-ansible": "5e2f7d40-d26c-db1c-6ec2-bcf7bdf012c8",
      "test-dep-configmap-ansible": "cfde8c9e-4dfa-aeea-5370-157febd2bd8c",
    }),
    tektonReady: "tekton-pipelines",
  },
  withoutSchema: ["test-echo-task", "test-fail-task", "test-hello-world", "test-intentional-failure"],
  collidingPort: ["dataStorageHostPort", 18080, "demo-e2e"],
});
