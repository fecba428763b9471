import { fixtureCheckout } from "@e2e-infra/testing";
import { describeServiceStack } from "@e2e-infra/testing/vitest";
import { join } from "node:path";

// The datastorage-e2e stack (the repository's HEAD) under mocks with its own stack file, against a stand-in checkout of the service repository.
describeServiceStack({
  dir: join(__dirname, ".."),
  project: "datastorage",
  stack: "datastorage-e2e",
  checkout: fixtureCheckout(),
  helm: true, // KubernautRelease renders the checkout's chart with helm
  outputs: {
    kubeconfigPath: "/home/user/.kube/datastorage-e2e-config",
    caFile: "stdout of kubernaut-tls-ca-file",
    dataStorageUrl: "https://localhost:28090",
    dataStorageHealthUrl: "http://localhost:28092",
    dataStorageMetricsUrl: "http://localhost:28091",
    postgresUrl: "postgresql://slm_user:test_password@localhost:25433/action_history?sslmode=disable",
  },
  collidingPort: ["dataStorageHostPort", 18080, "demo-e2e"],
});
