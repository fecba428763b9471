import { assertReadmeShowsExample, captureStack, fixtureCheckout, notRunHere, toolMissing } from "@e2e-infra/testing";
import { describeServiceStack } from "@e2e-infra/testing/vitest";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

// A stack for a service this package does not know (Notification), declared only in the stack
// (test/notification-stack/index.ts, the README's example), with a registry-image workload
// beside it that serves with its own certificate from the release's CA: the tests every service
// stack gets, whose shared checks assert its CRD, image and CA edges.
describeServiceStack({
  dir: join(__dirname, "..", "test", "notification-stack"),
  project: "notification",
  stack: "notification-e2e",
  checkout: fixtureCheckout(),
  helm: true,
  outputs: {
    kubeconfigPath: "/home/user/.kube/notification-e2e-config",
    caFile: "stdout of kubernaut-tls-ca-file",
    metricsUrl: "http://localhost:9186",
  },
});

const dir = join(__dirname, "..", "test", "notification-stack");
const withHelm = it.skipIf(notRunHere("the new service's own edges (the stack renders the chart with helm)", toolMissing("helm")));

describe("a service the package does not know", () => {
  withHelm(
    "GIVEN its own certificate and its registry-image webhook THEN each waits for its certificate, signed by the release's CA, and the webhook for its preloaded image",
    async () => {
      const { graph } = await captureStack(dir, "notification-e2e", { config: { "notification:serviceRepository": fixtureCheckout() } });
      const webhook = graph.one({ name: "mock-slack-deployment" });
      expect(graph.dependsOn(webhook, graph.one({ name: "mock-slack-image-load" }))).toBe(true);
      expect(graph.dependsOn(webhook, graph.one({ name: "kubernaut-tls-mock-slack-secret" }))).toBe(true);
      expect(graph.dependsOn(graph.one({ name: "kubernaut-tls-mock-slack-cert" }), graph.one({ name: "kubernaut-tls-ca" }))).toBe(true);
      // The service itself: its CRD, its image and the CA it trusts, and nothing of the data tier.
      const controller = graph.one({ name: "kubernaut-chart-deployment-notification-controller" });
      for (const name of [
        "kubernaut-crds-notificationrequests.kubernaut.ai",
        "kubernaut-notification-image-load",
        "kubernaut-tls-ca-configmap",
      ]) {
        expect(graph.dependsOn(controller, graph.one({ name })), name).toBe(true);
      }
      expect(graph.dependsOn(graph.one({ name: "kubernaut-tls-notification-metrics-cert" }), graph.one({ name: "kubernaut-tls-ca" }))).toBe(
        true,
      );
      expect(graph.dependsOn(controller, graph.one({ name: "kubernaut-datastorage-deployment-datastorage" }))).toBe(false);
    },
  );

  withHelm(
    "GIVEN coverage THEN the control plane mounts the checkout's coverdata, as the suite's setup adds it then; without coverage it does not",
    async () => {
      const mounts = async (coverage: boolean) => {
        const config = { "notification:serviceRepository": fixtureCheckout(), "notification:coverage": coverage };
        const { graph } = await captureStack(dir, "notification-e2e", { config });
        const environment = graph.one({ name: "cluster-cluster" }).inputs["environment"] as Record<string, string>;
        return (parse(environment["KIND_CONFIG"]!) as { nodes: { extraMounts?: unknown[] }[] }).nodes[0]!.extraMounts;
      };
      expect(await mounts(true)).toStrictEqual([{ hostPath: join(fixtureCheckout(), "coverdata"), containerPath: "/coverdata" }]);
      expect(await mounts(false)).toBeUndefined();
    },
  );

  it("GIVEN the README THEN its worked example is this stack, verbatim", () => {
    assertReadmeShowsExample(join(__dirname, ".."), "test/notification-stack/index.ts");
  });
});
