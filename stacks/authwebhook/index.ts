import { kubernautStack } from "@e2e-infra/kubernaut";
import { join } from "node:path";

// authwebhook-e2e at the repository's HEAD: the suite's kind cluster (its own config, in the
// suite's directory), and the repository's chart with DataStorage and the AuthWebhook under test,
// its webhooks registered with the CA's bundle and its Service on the node port the suite dials
// (reference: SetupAuthWebhookInfrastructureParallel). The suite seeds its ActionTypes itself,
// through the webhooks, and creates its DataStorage client ServiceAccount.
export = () => {
  const stack = kubernautStack(join(__dirname, ".."), {
    kindConfig: "test/e2e/authwebhook/kind-config.yaml",
    // The suite runs in test/e2e/authwebhook: its kind config's ./coverdata is there.
    workingDir: "test/e2e/authwebhook",
    ports: {
      dataStorageHostPort: { nodePort: 30081, service: "datastorage" },
      authWebhookHostPort: { nodePort: 30099, service: "authwebhook", port: "https" },
      postgresHostPort: { nodePort: 30442, service: "postgresql" },
      // Its Redis, which no spec connects to; the chart's Valkey serves TLS in the cluster only.
      redisHostPort: 30386,
    },
    namespace: "authwebhook-e2e",
    // CreateTestNamespace's label.
    namespaceLabels: { test: "datastorage-e2e" },
    services: { authwebhook: {} },
  });
  const release = stack.release();
  return {
    kubeconfigPath: stack.cluster.kubeconfigPath,
    caFile: release.caFile,
    dataStorageUrl: stack.url("dataStorageHostPort"),
    authWebhookUrl: stack.url("authWebhookHostPort"),
    postgresUrl: stack.url("postgresHostPort"),
  };
};
