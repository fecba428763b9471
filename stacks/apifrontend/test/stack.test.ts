import { fixtureCheckout } from "@e2e-infra/testing";
import { describeServiceStack } from "@e2e-infra/testing/vitest";
import { join } from "node:path";

// The apifrontend-e2e stack (the repository's HEAD) under mocks with its own stack file, against a stand-in checkout of the service repository.
describeServiceStack({
  dir: join(__dirname, ".."),
  project: "apifrontend",
  stack: "apifrontend-e2e",
  checkout: fixtureCheckout(),
  helm: true, // KubernautRelease renders the checkout's chart with helm
  outputs: {
    kubeconfigPath: "/home/user/.kube/apifrontend-e2e-config",
    caFile: "stdout of kubernaut-tls-ca-file",
    apiFrontendUrl: "https://localhost:18443",
    apiFrontendHealthUrl: "http://localhost:18081",
    kubernautAgentUrl: "https://localhost:8088",
    kubernautAgentHealthUrl: "http://localhost:28088",
    kubernautAgentMetricsUrl: "http://localhost:9088",
    dataStorageUrl: "https://localhost:8089",
    dataStorageHealthUrl: "http://localhost:28089",
    prometheusUrl: "http://localhost:9190",
    dexUrl: "https://localhost:5556",
    // Under mocks, each workflow's id is derived from its name.
    workflowIds: JSON.stringify({
      "oomkill-increase-memory-v1": "f290eae5-ea6e-4555-af74-06f85e69205e",
      "memory-optimize-v1": "082ee78c-8239-7b86-5b69-e74d5f54500f",
      "crashloop-config-fix-v1": "6e08aed8-84ef-9f9a-8bcc-b1d6aa81bba8",
      "node-drain-reboot-v1": "850f4e78-7c66-f96d-187a-d4f925b713a9",
      "image-pull-backoff-fix-credentials": "a94c5695-5919-5287-b404-bcbb697a2584",
      "generic-restart-v1": "62ab47ad-a601-66cd-bcb1-f7a4f2687e15",
      "param-validation-test-v1": "cb55b4e9-686f-a863-837d-2a8c9474aa42",
      "ambiguous-kind-fix-v1": "bc42c6a8-a33f-3b84-88c9-e88662fadc9a",
      "istio-authz-fix-v1": "ad843afe-5c7f-2e76-0787-d5c4b1a57779",
    }),
  },
  collidingPort: ["dataStorageHostPort", 18080, "demo-e2e"],
});
