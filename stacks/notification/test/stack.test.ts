import { fixtureCheckout } from "@e2e-infra/testing";
import { describeServiceStack } from "@e2e-infra/testing/vitest";
import { join } from "node:path";

// The notification-e2e stack (the repository's HEAD) under mocks with its own stack file, against a stand-in checkout of the service repository.
describeServiceStack({
  dir: join(__dirname, ".."),
  project: "notification",
  stack: "notification-e2e",
  checkout: fixtureCheckout(),
  helm: true, // KubernautRelease renders the checkout's chart with helm
  outputs: {
    kubeconfigPath: "/home/user/.kube/notification-e2e-config",
    caFile: "stdout of kubernaut-tls-ca-file",
    metricsUrl: "http://localhost:9186",
    dataStorageUrl: "https://localhost:30090",
    dataStorageHealthUrl: "http://localhost:30281",
  },
  collidingPort: ["notificationMetricsHostPort", 18080, "demo-e2e"],
});
