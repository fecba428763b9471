import { KindCluster } from "@e2e-infra/kind-cluster";
import { capture } from "@e2e-infra/testing";
import { describe, expect, it } from "vitest";
import { MONITORING_URLS, suiteAlertManager, suitePrometheus } from "./index";

function monitoring(rules?: Record<string, string>) {
  return capture(() => {
    const cluster = new KindCluster("cluster", {
      name: "em-e2e",
      nodes: [
        {
          role: "control-plane",
          extraPortMappings: [
            { containerPort: 30190, hostPort: 9190 },
            { containerPort: 30191, hostPort: 9193 },
          ],
        },
      ],
    });
    const prometheus = suitePrometheus("prometheus", {
      cluster,
      namespace: "kubernaut-system",
      nodePort: 30190,
      ...(rules === undefined ? {} : { rules }),
    });
    const alertManager = suiteAlertManager("alertmanager", { cluster, namespace: "kubernaut-system", nodePort: 30191 });
    return { prometheus: prometheus.hostUrls["http"], alertManager: alertManager.hostUrls["http"] };
  });
}

describe("suitePrometheus and suiteAlertManager", () => {
  it("GIVEN the suite's node ports THEN the Services the services' config names, on those node ports, with the host URLs the suite uses", async () => {
    const { graph, outputs } = await monitoring();
    const service = (name: string) =>
      graph.one({ name }).inputs as { metadata: { name: string }; spec: { type: string; ports: { port: number; nodePort: number }[] } };
    expect(service("prometheus-service")).toMatchObject({
      metadata: { name: "prometheus-svc" },
      spec: { type: "NodePort", ports: [{ port: 9090, nodePort: 30190 }] },
    });
    expect(service("alertmanager-service")).toMatchObject({
      metadata: { name: "alertmanager-svc" },
      spec: { type: "NodePort", ports: [{ port: 9093, nodePort: 30191 }] },
    });
    expect(MONITORING_URLS).toStrictEqual({ prometheus: "http://prometheus-svc:9090", alertManager: "http://alertmanager-svc:9093" });
    expect(outputs).toStrictEqual({ prometheus: "http://localhost:9190", alertManager: "http://localhost:9193" });
    // It sends alerts to AlertManager's Service, and takes the suites' metrics over OTLP.
    const config = graph.one({ name: "prometheus-config-prometheus-config" }).inputs as { data: Record<string, string> };
    expect(config.data["prometheus.yml"]).toContain("targets: [alertmanager-svc:9093]");
    const container = (
      graph.one({ name: "prometheus-deployment" }).inputs as { spec: { template: { spec: { containers: { args: string[] }[] } } } }
    ).spec.template.spec.containers[0]!;
    expect(container.args).toContain("--web.enable-otlp-receiver");
    expect(graph.find({ name: /prometheus-rules/ })).toStrictEqual([]);
  });

  it("GIVEN rules THEN they are files of the directory Prometheus reads its rules from", async () => {
    const { graph } = await monitoring({ "grounding.yml": "groups: []\n" });
    const rules = graph.one({ name: "prometheus-config-prometheus-rules" }).inputs as { data: Record<string, string> };
    expect(rules.data).toStrictEqual({ "grounding.yml": "groups: []\n" });
    const deployment = graph.one({ name: "prometheus-deployment" });
    expect(graph.dependsOn(deployment, graph.one({ name: "prometheus-config-prometheus-rules" }))).toBe(true);
  });
});
