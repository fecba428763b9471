import { RegistryImage } from "@e2e-infra/image-build-load";
import { kubernautStack, withSecretMount } from "@e2e-infra/kubernaut";
import { ServiceDeployment } from "@e2e-infra/service-deployment";
import { join } from "node:path";

// notification-e2e: a service the packages do not know, declared here with a certificate of its own
// from the release's CA, and the mock webhook its suite sends to (a registry image) with another.
export = () => {
  const stack = kubernautStack(join(__dirname, ".."), {
    kindConfig: "test/infrastructure/kind-notification-config.yaml",
    workingDir: ".",
    // Its setup adds the coverage mount in code, and only with coverage (CreateKindClusterWithExtraMounts).
    extraMounts: [{ hostPath: "coverdata", containerPath: "/coverdata", coverageOnly: true }],
    namespace: "notification-e2e",
    ports: {
      notificationMetricsHostPort: { nodePort: 30186, service: "notification", port: "metrics" },
      dataStorageHostPort: { nodePort: 30090, service: "datastorage" },
      dataStorageHealthHostPort: { nodePort: 30281, service: "datastorage", port: "health" },
    },
    services: {
      notification: {
        definition: {
          templates: ["templates/notification/notification.yaml"],
          dockerfile: "docker/notification-controller.Dockerfile",
          goPackage: "cmd/notification",
          service: "notification-metrics",
          ports: ["metrics"],
          deployment: "notification-controller",
          watches: ["notificationrequests.kubernaut.ai"],
          certificates: [{ serviceName: "notification-metrics", secretName: "notification-tls" }],
        },
        // Its template mounts no certificate (as Kubernaut Agent's would): the stack mounts it.
        patches: { "Deployment/notification-controller": (pod) => withSecretMount(pod, "notification-tls", "/etc/tls") },
      },
    },
    certificates: [{ serviceName: "mock-slack", secretName: "mock-slack-tls" }],
  });
  const { cluster } = stack;
  const release = stack.release();
  const tls = (key: string) => ({ secretKeyRef: { name: release.tls.secretNames["mock-slack"]!, key } });
  new ServiceDeployment("mock-slack", {
    cluster,
    namespace: release.namespace,
    image: new RegistryImage("mock-slack-image", { cluster, image: "docker.io/mockserver/mockserver:5.15.0", preload: true }),
    ports: [{ name: "https", containerPort: 1080, servicePort: 8080 }],
    env: { MOCKSERVER_TLS_X509_CERTIFICATE: tls("tls.crt"), MOCKSERVER_TLS_PRIVATE_KEY: tls("tls.key") },
  });
  return { kubeconfigPath: cluster.kubeconfigPath, caFile: release.caFile, metricsUrl: stack.url("notificationMetricsHostPort") };
};
