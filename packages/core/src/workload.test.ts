import { capture } from "@e2e-infra/testing";
import * as k8s from "@pulumi/kubernetes";
import { describe, expect, it } from "vitest";
import { podService, readyHost } from "./index";

describe("podService and readyHost", () => {
  it("GIVEN a port with a NodePort THEN a NodePort Service without the provider's Service await; readyHost waits for the Deployment", async () => {
    const { graph, outputs } = await capture(() => {
      const deployment = new k8s.apps.v1.Deployment("web", {
        metadata: { name: "web", namespace: "ns" },
        spec: {
          selector: { matchLabels: { app: "web" } },
          template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "x" }] } },
        },
      });
      const service = podService(
        "web-svc",
        {
          serviceName: "web",
          namespace: "ns",
          labels: { app: "web" },
          selector: { app: "web" },
          ports: [
            { name: "http", port: 8080, nodePort: 30081 },
            { name: "metrics", port: 9181 },
          ],
        },
        {},
      );
      return { host: readyHost(deployment, service) };
    });
    const service = graph.one({ name: "web-svc" });
    expect(service.inputs["metadata"]).toMatchObject({ annotations: { "pulumi.com/skipAwait": "true" } });
    expect(service.inputs["spec"]).toStrictEqual({
      type: "NodePort",
      selector: { app: "web" },
      ports: [
        { name: "http", port: 8080, targetPort: "http", nodePort: 30081 },
        { name: "metrics", port: 9181, targetPort: "metrics" },
      ],
    });
    expect(outputs["host"]).toBe("web.ns.svc.cluster.local");
  });
});
