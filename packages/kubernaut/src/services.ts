/** A service's certificate from the release's CA: the Service name it is for and its Secret. */
export interface ServiceCertificate {
  serviceName: string;
  secretName: string;
}

/**
 * A service of the repository the release can run beside DataStorage: what the chart renders for
 * it, what builds its image, the Service whose ports the suite maps, its Deployment, and the CRDs
 * its informers watch (its pods start once those are Established: a controller's cache fails to
 * sync without them). The repository's known services are in KUBERNAUT_SERVICES; a stack gives
 * any other in its `services` (`definition`), with no change in this package.
 */
export interface ServiceDefinition {
  /** The chart's templates that render it, relative to charts/kubernaut. */
  templates: readonly string[];
  /** The Dockerfile that builds its image, relative to the checkout. */
  dockerfile: string;
  /** The Go main package the Dockerfile builds, relative to the checkout, e.g. "cmd/gateway". */
  goPackage: string;
  /** The image name the chart renders (`<registry>/<image>:<tag>`). Default: the service's name. */
  image?: string;
  /** The Service whose ports the suite maps, and the chart's names of its ports. */
  service: string;
  ports: readonly string[];
  /** Those of its ports that speak TLS (their URLs are https). */
  tlsPorts?: readonly string[];
  deployment: string;
  /** The CRDs its informers watch, e.g. "remediationrequests.kubernaut.ai". */
  watches: readonly string[];
  /** Certificates it serves with, signed by the release's CA. */
  certificates?: readonly ServiceCertificate[];
  /**
   * Admission webhook configurations it serves ("Kind/name"): registered with the CA's bundle
   * once its Deployment and Service are up (before that, with failurePolicy Fail, they would
   * refuse every request they match).
   */
  webhooks?: readonly string[];
  /** Chart values the release sets for it, beneath the stack's own. */
  values?: Record<string, unknown>;
  /** Rendered objects the release does not register ("Kind/name"), with why. */
  omit?: readonly string[];
}

/** The repository's services the stacks run, by the chart's values key (at KUBERNAUT_HEAD). */
export const KUBERNAUT_SERVICES: Readonly<Record<string, ServiceDefinition>> = {
  gateway: {
    templates: ["templates/gateway/gateway.yaml"],
    dockerfile: "docker/gateway.Dockerfile",
    goPackage: "cmd/gateway",
    service: "gateway-service",
    ports: ["http", "health", "metrics"],
    deployment: "gateway",
    // pkg/gateway/server_constructors.go: its informer cache's only kind.
    watches: ["remediationrequests.kubernaut.ai"],
    // The chart leaves it disabled. The suite's CORS test expects its dashboard origin allowed;
    // the Go setup leaves CORS at the code's default, every origin (pkg/http/cors).
    values: { enabled: true, config: { cors: { allowedOrigins: ["*"] } } },
  },
  signalprocessing: {
    templates: ["templates/signalprocessing/signalprocessing.yaml"],
    dockerfile: "docker/signalprocessing-controller.Dockerfile",
    goPackage: "cmd/signalprocessing",
    service: "signalprocessing-controller-metrics",
    ports: ["metrics"],
    deployment: "signalprocessing-controller",
    // internal/controller/signalprocessing: For(&SignalProcessing{}).
    watches: ["signalprocessings.kubernaut.ai"],
  },
  workflowexecution: {
    templates: ["templates/workflowexecution/workflowexecution.yaml"],
    dockerfile: "docker/workflowexecution-controller.Dockerfile",
    goPackage: "cmd/workflowexecution",
    service: "workflowexecution-controller-metrics",
    ports: ["metrics"],
    deployment: "workflowexecution-controller",
    // internal/controller/workflowexecution: For(&WorkflowExecution{}). It looks for Tekton's
    // PipelineRuns once, at start (cmd/workflowexecution/main.go): give Tekton's readiness in waitsFor.
    watches: ["workflowexecutions.kubernaut.ai"],
    // The workflow namespace is the stack's: the suite's has no Pod Security "restricted", which
    // Tekton's own step containers do not meet.
    omit: ["Namespace/kubernaut-workflows"],
  },
  remediationorchestrator: {
    templates: ["templates/remediationorchestrator/remediationorchestrator.yaml"],
    dockerfile: "docker/remediationorchestrator-controller.Dockerfile",
    goPackage: "cmd/remediationorchestrator",
    service: "remediationorchestrator-controller",
    ports: ["metrics"],
    deployment: "remediationorchestrator-controller",
    // internal/controller/remediationorchestrator/reconcile_loop.go: For RemediationRequests, Owns
    // the children it creates; a second controller For RemediationApprovalRequests.
    watches: [
      "remediationrequests.kubernaut.ai",
      "signalprocessings.kubernaut.ai",
      "aianalyses.kubernaut.ai",
      "workflowexecutions.kubernaut.ai",
      "remediationapprovalrequests.kubernaut.ai",
      "notificationrequests.kubernaut.ai",
      "effectivenessassessments.kubernaut.ai",
    ],
  },
  kubernautAgent: {
    templates: ["templates/kubernaut-agent/kubernaut-agent.yaml"],
    dockerfile: "docker/kubernautagent.Dockerfile",
    goPackage: "cmd/kubernautagent",
    image: "kubernautagent",
    service: "kubernaut-agent",
    ports: ["https", "health", "metrics"],
    tlsPorts: ["https"],
    deployment: "kubernaut-agent",
    // cmd/kubernautagent: its AgentSession manager, and its workflow catalogue's cluster-wide informers.
    watches: ["agentsessions.kubernaut.ai", "remediationworkflows.kubernaut.ai", "actiontypes.kubernaut.ai"],
    certificates: [{ serviceName: "kubernaut-agent", secretName: "kubernautagent-tls" }],
  },
  authwebhook: {
    templates: ["templates/authwebhook/authwebhook.yaml", "templates/authwebhook/webhooks.yaml"],
    dockerfile: "docker/authwebhook.Dockerfile",
    goPackage: "cmd/authwebhook",
    service: "authwebhook",
    // Its webhook server (the authwebhook suite dials it on a node port).
    ports: ["https"],
    tlsPorts: ["https"],
    deployment: "authwebhook",
    // cmd/authwebhook/main.go: the RemediationWorkflow reconciler, and an index and a start-up
    // list of ActionTypes.
    watches: ["remediationworkflows.kubernaut.ai", "actiontypes.kubernaut.ai"],
    certificates: [{ serviceName: "authwebhook", secretName: "authwebhook-tls" }],
    webhooks: ["MutatingWebhookConfiguration/authwebhook-mutating", "ValidatingWebhookConfiguration/authwebhook-validating"],
  },
};

/** DataStorage and its data tier, which every release runs (not a service under test). */
export const DATA_STORAGE: ServiceDefinition = {
  templates: [
    "templates/datastorage/datastorage.yaml",
    "templates/rbac/datastorage-rbac.yaml",
    "templates/infrastructure/postgresql.yaml",
    "templates/infrastructure/valkey.yaml",
    "templates/hooks/migration-job.yaml",
  ],
  dockerfile: "docker/data-storage.Dockerfile",
  goPackage: "cmd/datastorage",
  service: "data-storage-service",
  ports: ["http", "health", "metrics"],
  tlsPorts: ["http"],
  deployment: "datastorage",
  // No workload reads the CRDs at start (DataStorage stopped at HEAD: server_routes.go).
  watches: [],
  // The servers that speak TLS besides the services' own: DataStorage and Valkey.
  certificates: [
    { serviceName: "data-storage-service", secretName: "datastorage-tls" },
    { serviceName: "valkey", secretName: "valkey-tls" },
  ],
};
