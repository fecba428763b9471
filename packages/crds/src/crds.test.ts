import { hostCommand, inClusterOptions } from "@e2e-infra/core";
import { KindCluster } from "@e2e-infra/kind-cluster";
import { capture, validateKubernetesResources } from "@e2e-infra/testing";
import * as k8s from "@pulumi/kubernetes";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CustomResourceDefinitions } from "./index";

const fixtures = join(__dirname, "..", "test", "fixtures", "crds");

function environment(paths: string[]) {
  return capture(() => {
    const cluster = new KindCluster("kind", { name: "crds-e2e" });
    hostCommand("image-build", { create: "podman build .", environment: {} }, {});
    const crds = new CustomResourceDefinitions("crds", { cluster, paths });
    new k8s.core.v1.ConfigMap(
      "controller",
      { metadata: { namespace: "default" }, data: { watches: crds.ready.apply((names) => names.join(",")) } },
      inClusterOptions(cluster, cluster),
    );
    return { ready: crds.ready, names: crds.names };
  });
}

describe("CustomResourceDefinitions", () => {
  it("GIVEN a directory WHEN captured THEN one CRD resource each, all at once, awaited until Established, through the cluster's provider for CRDs, depending on the cluster only", async () => {
    const { graph, outputs } = await environment([fixtures]);
    const crds = graph.find({ type: "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition" });
    const provider = graph.one({ type: "pulumi:providers:kubernetes", name: "kind-crd-provider" });
    const clusterCommand = graph.one({ name: "kind-cluster" });
    expect(crds.map((crd) => crd.name)).toStrictEqual([
      "crds-remediationrequests.kubernaut.ai",
      "crds-signalprocessings.kubernaut.ai",
      "crds-workflowexecutions.kubernaut.ai",
      "crds-notificationrequests.kubernaut.ai",
    ]);
    for (const crd of crds) {
      expect(crd.dependencies).toStrictEqual([]);
      expect(crd.provider).toBe(provider.urn);
      expect(crd.deletedWith).toBe(clusterCommand.urn);
      expect(graph.transitiveDependencies(crd)).toStrictEqual(new Set([provider.urn, clusterCommand.urn]));
      expect((crd.inputs["metadata"] as { annotations: Record<string, string> }).annotations).toStrictEqual({
        "pulumi.com/waitFor": "condition=Established",
      });
      for (const other of crds) if (other !== crd) expect(graph.independent(crd, other)).toBe(true);
      expect(graph.independent(crd, graph.one({ name: "image-build" }))).toBe(true);
    }
    expect([...graph.one({ name: "controller" }).dependencies].sort()).toStrictEqual(crds.map((crd) => crd.urn).sort());
    expect(outputs["ready"]).toStrictEqual(outputs["names"]);
    expect(await validateKubernetesResources(graph)).toMatchObject({ withoutSchema: [] });
  });

  it("GIVEN a cluster of its own provider only (a shared cluster) WHEN captured THEN the CRDs go through that provider", async () => {
    const { graph } = await capture(() => {
      const provider = new k8s.Provider("shared", { kubeconfig: "kubeconfig of a shared cluster" });
      new CustomResourceDefinitions("crds", { cluster: { provider }, paths: [fixtures] });
    });
    const provider = graph.one({ type: "pulumi:providers:kubernetes", name: "shared" });
    const crds = graph.find({ type: "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition" });
    expect(crds).toHaveLength(4);
    for (const crd of crds) expect(crd.provider).toBe(provider.urn);
  });

  it("GIVEN bad paths THEN construction fails naming the path and what is valid", async () => {
    const empty = mkdtempSync(join(tmpdir(), "crds-"));
    writeFileSync(join(empty, "notes.txt"), "no yaml here");
    const wrong = join(mkdtempSync(join(tmpdir(), "crds-")), "cm.yaml");
    writeFileSync(wrong, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
    await expect(environment([join(fixtures, "missing.yaml")])).rejects.toThrow(
      /CustomResourceDefinitions "crds": paths\[0\] is ".*missing.yaml"; expected an existing CRD file or directory/,
    );
    await expect(environment([empty])).rejects.toThrow(/paths is \[".*"\]; expected at least one CustomResourceDefinition/);
    await expect(environment([wrong])).rejects.toThrow(
      /paths is ".*cm.yaml"; expected only CustomResourceDefinitions \(apiextensions.k8s.io\/v1\); it holds v1 ConfigMap x/,
    );
    await expect(environment([fixtures, join(fixtures, "kubernaut.ai_signalprocessings.yaml")])).rejects.toThrow(
      /expected each CRD once; signalprocessings.kubernaut.ai is also in/,
    );
    await expect(environment([])).rejects.toThrow(/paths is \[\]; expected a list of CRD files or directories/);
  });
});
