import { fixtureCheckout } from "@e2e-infra/testing";
import { describeServiceStack } from "@e2e-infra/testing/vitest";
import { join } from "node:path";

// The authwebhook-e2e stack (the repository's HEAD) under mocks with its own stack file, against a stand-in checkout of the service repository.
describeServiceStack({
  dir: join(__dirname, ".."),
  project: "authwebhook",
  stack: "authwebhook-e2e",
  checkout: fixtureCheckout(),
  helm: true, // KubernautRelease renders the checkout's chart with helm
  outputs: {
    kubeconfigPath: "/home/user/.kube/authwebhook-e2e-config",
    caFile: "stdout of kubernaut-tls-ca-file",
    dataStorageUrl: "https://localhost:28099",
    authWebhookUrl: "https://localhost:30099",
    postgresUrl: "postgresql://slm_user:test_password@localhost:25442/action_history?sslmode=disable",
  },
  collidingPort: ["dataStorageHostPort", 18080, "demo-e2e"],
});
