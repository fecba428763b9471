import { logger, workspaceRoot } from "@nx/devkit";
import type { Tree } from "@nx/devkit";
import { fixtureCheckout, notRunHere, toolMissing } from "@e2e-infra/testing";
import { describeServiceStack } from "@e2e-infra/testing/vitest";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { serviceStack } from "../index";
import { STAND_IN_CHECKOUT, WROTE_KUBERNAUT } from "./generator";
import { planKubernautStack } from "./kubernaut-plan";
import { workspaceWithStacks, writeGeneratedStack } from "./workspace";

// The generator for a suite of the service repository (the stand-in checkout has Notification's
// kind config and chart templates, in HEAD's layout): the kubernaut way, its service read from the
// chart with helm. The stack it writes is then run through the tests every service stack gets.

const helm = toolMissing("helm");
const withHelm = it.skipIf(notRunHere("the generator's kubernaut way (it reads the service from the chart with helm)", helm));

// The workspace as it was before stacks/notification, which began as what this writes.
const workspace = () => {
  const tree = workspaceWithStacks(workspaceRoot);
  tree.delete("stacks/notification");
  return tree;
};

function generate(name: string, options: { dataStoragePort?: number } = {}): { tree: Tree; said: string[] } {
  const tree = workspace();
  const said: string[] = [];
  const spy = vi.spyOn(logger, "info").mockImplementation((message: unknown) => void said.push(String(message)));
  try {
    serviceStack(tree, { name, skipInstall: true, ...options });
  } finally {
    spy.mockRestore();
  }
  return { tree, said };
}

describe("nx g @e2e-infra/tools:service-stack, for a suite of the service repository", () => {
  withHelm(
    "GIVEN notification, whose kind config and chart templates the checkout has THEN the kubernaut way, its definition read from the chart",
    () => {
      const { tree, said } = generate("notification", { dataStoragePort: 30090 });
      expect(said).toStrictEqual([WROTE_KUBERNAUT("notification", "test/infrastructure/kind-notification-config.yaml")]);
      const index = tree.read("stacks/notification/index.ts", "utf-8")!;
      expect(index).toContain('kubernautStack(join(__dirname, ".."), {');
      expect(index).toContain('dataStorageHostPort: { nodePort: 30090, service: "datastorage" },');
      expect(index).toContain('dataStorageHealthHostPort: { nodePort: 30281, service: "datastorage", port: "health" },');
      expect(index).toContain("port30186HostPort: 30186,");
      expect(index).toContain(`        definition: {
          templates: ["templates/notification/notification.yaml"],
          dockerfile: "docker/notification-controller.Dockerfile",
          goPackage: "cmd/notification",
          service: "notification-metrics",
          ports: ["metrics"],
          deployment: "notification-controller",
          watches: ["notificationrequests.kubernaut.ai"],
        },`);
      // The suite's own host ports, in the group of the stacks at HEAD; no stand-in Dockerfile (the checkout has its own).
      expect(tree.read("stacks/notification/Pulumi.notification-e2e.yaml", "utf-8")).toContain("notification:port30186HostPort: 9186\n");
      expect(tree.read("stacks/notification/Pulumi.yaml", "utf-8")).toContain("    default: kubernaut-head\n");
      expect(tree.exists(`${STAND_IN_CHECKOUT}/docker/notification.Dockerfile`)).toBe(false);
    },
  );

  withHelm(
    "GIVEN a suite whose kind config does not map DataStorage's API on the port given THEN it names dataStoragePort and the ports it maps, and writes nothing",
    () => {
      const tree = workspace();
      const before = tree.listChanges().length;
      expect(() => serviceStack(tree, { name: "notification", skipInstall: true })).toThrow(
        "dataStoragePort is 30081; expected the node port of DataStorage's API that test/infrastructure/kind-notification-config.yaml maps (it maps 30186, 30090, 30281): --dataStoragePort <port>",
      );
      expect(tree.listChanges()).toHaveLength(before);
    },
  );

  it("GIVEN a service the package knows THEN no definition: KUBERNAUT_SERVICES has it", () => {
    const plan = planKubernautStack(fixtureCheckout(), "gateway", {});
    expect(plan.definition).toBeUndefined();
    expect(plan.ports.map((port) => port.key)).toStrictEqual([
      "port30080HostPort",
      "port30180HostPort",
      "port30090HostPort",
      "dataStorageHostPort",
      "dataStorageHealthHostPort",
      "port30185HostPort",
      "port30183HostPort",
      "port30082HostPort",
    ]);
  });
});

// What it wrote for notification, on disk beside the stacks (.generated/, git-ignored), run
// through the tests every service stack gets: its graph, invariants, CRD, image and CA edges,
// ts-node, bad config.
const generated = join(workspaceRoot, ".generated", "notification");
if (helm === undefined) {
  writeGeneratedStack(generate("notification", { dataStoragePort: 30090 }).tree, "notification", generated);
  describeServiceStack({
    dir: generated,
    project: "notification",
    stack: "notification-e2e",
    checkout: fixtureCheckout(),
    helm: true,
    outputs: {
      kubeconfigPath: "/home/user/.kube/notification-e2e-config",
      caFile: "stdout of kubernaut-tls-ca-file",
      dataStorageUrl: "https://localhost:30090",
      dataStorageHealthUrl: "http://localhost:30281",
    },
    golden: false,
  });
}
