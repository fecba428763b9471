import { fixtureCheckout } from "@e2e-infra/testing";
import { describeServiceStack } from "@e2e-infra/testing/vitest";
import { join } from "node:path";

// The aianalysis-e2e stack (the repository's HEAD) under mocks with its own stack file, against a stand-in checkout of the service repository.
describeServiceStack({
  dir: join(__dirname, ".."),
  project: "aianalysis",
  stack: "aianalysis-e2e",
  checkout: fixtureCheckout(),
  helm: true, // KubernautRelease renders the checkout's chart with helm
  outputs: {
    kubeconfigPath: "/home/user/.kube/aianalysis-e2e-config",
    caFile: "stdout of kubernaut-tls-ca-file",
    healthUrl: "http://localhost:8184",
    metricsUrl: "http://localhost:9184",
    kubernautAgentUrl: "https://localhost:8088",
    kubernautAgentHealthUrl: "http://localhost:28088",
    dataStorageUrl: "https://localhost:8091",
    dataStorageHealthUrl: "http://localhost:30281",
    // Under mocks, each workflow's id is derived from its name.
    workflowIds: JSON.stringify({
      "oomkill-increase-memory-v1": "f290eae5-ea6e-4555-af74-06f85e69205e",
      "crashloop-config-fix-v1": "6e08aed8-84ef-9f9a-8bcc-b1d6aa81bba8",
      "node-drain-reboot-v1": "850f4e78-7c66-f96d-187a-d4f925b713a9",
      "memory-optimize-v1": "082ee78c-8239-7b86-5b69-e74d5f54500f",
      "generic-restart-v1": "62ab47ad-a601-66cd-bcb1-f7a4f2687e15",
      "test-signal-handler-v1": "f6609f3a-0ac3-0b3a-26d6-8276369ade60",
    }),
  },
  collidingPort: ["dataStorageHostPort", 18080, "demo-e2e"],
});
