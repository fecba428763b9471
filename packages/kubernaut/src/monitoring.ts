import { RegistryImage } from "@e2e-infra/image-build-load";
import type { KindCluster } from "@e2e-infra/kind-cluster";
import { ServiceDeployment } from "@e2e-infra/service-deployment";
import type * as pulumi from "@pulumi/pulumi";

/**
 * Prometheus and AlertManager as the suites' Go setup deploys them beside the services
 * (test/infrastructure/prometheus_alertmanager_e2e.go at HEAD): registry images the nodes pull,
 * Services named as the services' config and the suites reach them (prometheus-svc:9090,
 * alertmanager-svc:9093), on the node ports the suite's kind config maps. Their in-cluster URLs
 * are MONITORING_URLS, for the chart's values (monitoring.prometheus.url, ...).
 */
export const MONITORING_URLS = { prometheus: "http://prometheus-svc:9090", alertManager: "http://alertmanager-svc:9093" };

export interface SuitePrometheusArgs {
  cluster: KindCluster;
  /** The release namespace (release.namespace): it runs beside the services. */
  namespace: pulumi.Input<string>;
  /** The node port of its API, which the suite's kind config maps (30190 in the suites). */
  nodePort: number;
  /** Alerting rule files by name (e.g. "grounding.yml": "groups: ..."), read from /etc/prometheus/rules. Default none. */
  rules?: Record<string, string>;
}

// One scrape job, the kubelets' cAdvisor metrics of containers' CPU and memory (what the services
// read back), and the suite's own metrics: written to it over OTLP and remote write.
const PROMETHEUS_CONFIG = `global:
  scrape_interval: 15s
  evaluation_interval: 15s
scrape_configs:
  - job_name: kubelet-cadvisor
    scrape_interval: 10s
    kubernetes_sd_configs:
      - role: node
    scheme: https
    tls_config:
      insecure_skip_verify: true
    bearer_token_file: /var/run/secrets/kubernetes.io/serviceaccount/token
    relabel_configs:
      - action: labelmap
        regex: __meta_kubernetes_node_label_(.+)
      - source_labels: [__meta_kubernetes_node_address_InternalIP]
        target_label: __address__
        replacement: \${1}:10250
      - target_label: __metrics_path__
        replacement: /metrics/cadvisor
    metric_relabel_configs:
      - source_labels: [__name__]
        regex: container_(cpu_usage_seconds_total|memory_working_set_bytes|memory_usage_bytes|spec_memory_limit_bytes)
        action: keep
alerting:
  alertmanagers:
    - static_configs:
        - targets: [alertmanager-svc:9093]
rule_files:
  - /etc/prometheus/rules/*.yml
`;

/** Prometheus (prom/prometheus:latest) as Service prometheus-svc, port 9090 on `nodePort`. */
export function suitePrometheus(name: string, args: SuitePrometheusArgs, opts: pulumi.ComponentResourceOptions = {}): ServiceDeployment {
  const { cluster, namespace } = args;
  return new ServiceDeployment(
    name,
    {
      cluster,
      namespace,
      workloadName: "prometheus",
      serviceName: "prometheus-svc",
      image: new RegistryImage(`${name}-image`, { cluster, image: "docker.io/prom/prometheus:latest" }, opts),
      args: [
        "--config.file=/etc/prometheus/prometheus.yml",
        // The suites write their metrics to it.
        "--web.enable-remote-write-receiver",
        "--web.enable-otlp-receiver",
        "--storage.tsdb.retention.time=1h",
        "--storage.tsdb.min-block-duration=5m",
        "--web.listen-address=:9090",
      ],
      ports: [{ name: "http", containerPort: 9090, servicePort: 9090, nodePort: args.nodePort }],
      readinessProbe: { path: "/-/ready", port: "http", initialDelaySeconds: 5, periodSeconds: 5 },
      livenessProbe: { path: "/-/healthy", port: "http", initialDelaySeconds: 10, periodSeconds: 10 },
      resources: { requests: { cpu: "200m", memory: "256Mi" }, limits: { cpu: "3000m", memory: "768Mi" } },
      // The kubelets' cAdvisor endpoint, found through the nodes.
      clusterRules: [
        {
          apiGroups: [""],
          resources: ["nodes", "nodes/proxy", "nodes/metrics", "pods", "services", "endpoints"],
          verbs: ["get", "list", "watch"],
        },
        { nonResourceURLs: ["/metrics", "/metrics/cadvisor"], verbs: ["get"] },
      ],
      configMaps: [
        { name: "prometheus-config", mountPath: "/etc/prometheus", files: { "prometheus.yml": PROMETHEUS_CONFIG } },
        // Without rules, rule_files matches no file.
        ...(args.rules === undefined ? [] : [{ name: "prometheus-rules", mountPath: "/etc/prometheus/rules", files: args.rules }]),
      ],
    },
    opts,
  );
}

export interface SuiteAlertManagerArgs {
  cluster: KindCluster;
  /** The release namespace (release.namespace): it runs beside the services. */
  namespace: pulumi.Input<string>;
  /** The node port of its API, which the suite's kind config maps (30191 in the suites). */
  nodePort: number;
}

// Every alert goes to the Gateway's Prometheus endpoint (where a suite runs one; elsewhere the
// webhook fails, and the alerts stay readable through the API, as the suites read them).
const ALERTMANAGER_CONFIG = `global:
  resolve_timeout: 1m
route:
  receiver: gateway-webhook
  group_wait: 5s
  group_interval: 5s
  repeat_interval: 1h
receivers:
  - name: gateway-webhook
    webhook_configs:
      - url: http://gateway-service:8080/api/v1/signals/prometheus
        send_resolved: false
`;

/** AlertManager (prom/alertmanager:latest) as Service alertmanager-svc, port 9093 on `nodePort`. */
export function suiteAlertManager(
  name: string,
  args: SuiteAlertManagerArgs,
  opts: pulumi.ComponentResourceOptions = {},
): ServiceDeployment {
  const { cluster, namespace } = args;
  return new ServiceDeployment(
    name,
    {
      cluster,
      namespace,
      workloadName: "alertmanager",
      serviceName: "alertmanager-svc",
      image: new RegistryImage(`${name}-image`, { cluster, image: "docker.io/prom/alertmanager:latest" }, opts),
      args: ["--config.file=/etc/alertmanager/alertmanager.yml", "--web.listen-address=:9093", "--log.level=debug"],
      ports: [{ name: "http", containerPort: 9093, servicePort: 9093, nodePort: args.nodePort }],
      readinessProbe: { path: "/-/ready", port: "http", initialDelaySeconds: 5, periodSeconds: 5 },
      livenessProbe: { path: "/-/healthy", port: "http", initialDelaySeconds: 10, periodSeconds: 10 },
      resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "250m", memory: "128Mi" } },
      configMaps: [{ name: "alertmanager-config", mountPath: "/etc/alertmanager", files: { "alertmanager.yml": ALERTMANAGER_CONFIG } }],
    },
    opts,
  );
}
