import { RegistryImage } from "@e2e-infra/image-build-load";
import { kubernautStack } from "@e2e-infra/kubernaut";
import { ServiceDeployment } from "@e2e-infra/service-deployment";
import { readFileSync } from "node:fs";
import { join } from "node:path";

// notification-e2e at the repository's HEAD: the suite's kind cluster (the coverage mount its
// setup adds in code, only with coverage), and the repository's chart with DataStorage, the
// Notification controller under test (the suite's routing rules, its delivery credentials as
// files) and the AuthWebhook; beside them the mock webhook the deliveries go to (reference:
// CreateNotificationCluster, DeployNotificationAuditInfrastructure, DeployNotificationController).
// File deliveries stay in the pod (/tmp/notifications, as in the chart and the Go setup): the
// specs read them with kubectl exec.

// The suite's delivery credentials (its setup's delivery-credentials Secret): the mock webhook's
// URLs and test routing keys, one file each, named as the routing rules' credentialRef.
const MOCK = "http://mock-webhook:8080";
const CREDENTIALS: Record<string, string> = {
  "slack-success": `${MOCK}/webhook`,
  "slack-failure": `${MOCK}/webhook/fail`,
  "pagerduty-success": "e2e-test-routing-key-success",
  "pagerduty-failure": "e2e-test-routing-key-failure",
  "teams-success": `${MOCK}/teams`,
  "teams-failure": `${MOCK}/teams/fail`,
};

export = () => {
  const stack = kubernautStack(join(__dirname, ".."), {
    kindConfig: "test/infrastructure/kind-notification-config.yaml",
    workingDir: ".",
    extraMounts: [{ hostPath: "coverdata", containerPath: "/coverdata", coverageOnly: true }],
    ports: {
      notificationMetricsHostPort: { nodePort: 30186, service: "notification", port: "metrics" },
      dataStorageHostPort: { nodePort: 30090, service: "datastorage" },
      dataStorageHealthHostPort: { nodePort: 30281, service: "datastorage", port: "health" },
    },
    // The specs create NotificationRequests there; the controller watches its own namespace only.
    namespace: "notification-e2e",
    namespaceLabels: { test: "datastorage-e2e" },
    services: {
      notification: {
        definition: {
          templates: ["templates/notification/notification.yaml"],
          dockerfile: "docker/notification-controller.Dockerfile",
          goPackage: "cmd/notification",
          service: "notification-metrics",
          ports: ["metrics"],
          deployment: "notification-controller",
          // internal/controller/notification: For(&NotificationRequest{}), nothing else.
          watches: ["notificationrequests.kubernaut.ai"],
        },
        values: {
          routing: { content: readFileSync(join(__dirname, "routing.yaml"), "utf8") },
          credentials: Object.keys(CREDENTIALS).map((name) => ({ name, secretName: "delivery-credentials", secretKey: name })),
        },
      },
      // The suite's setup deploys it last (DeployAuthWebhookManifestsOnly): NotificationRequests'
      // deletion goes through its webhook.
      authwebhook: {},
    },
    secrets: { "delivery-credentials": CREDENTIALS },
  });
  const { cluster } = stack;
  const release = stack.release();
  new ServiceDeployment("mock-webhook", {
    cluster,
    namespace: release.namespace,
    image: new RegistryImage("mock-webhook-image", { cluster, image: "docker.io/library/nginx:alpine" }),
    ports: [{ name: "http", containerPort: 8080, servicePort: 8080 }],
    configMaps: [
      {
        name: "mock-webhook-config",
        mountPath: "/etc/nginx/conf.d",
        files: { "default.conf": readFileSync(join(__dirname, "mock-webhook.conf"), "utf8") },
      },
    ],
    readinessProbe: { path: "/webhook", port: "http" },
  });
  return {
    kubeconfigPath: cluster.kubeconfigPath,
    caFile: release.caFile,
    metricsUrl: stack.url("notificationMetricsHostPort"),
    dataStorageUrl: stack.url("dataStorageHostPort"),
    dataStorageHealthUrl: stack.url("dataStorageHealthHostPort"),
  };
};
