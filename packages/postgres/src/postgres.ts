import {
  ArgumentError,
  claimNodePort,
  inClusterOptions,
  isEventual,
  objectUid,
  podService,
  readyHost,
  requireDns1035Label,
  requireImageReference,
  requireInCluster,
  requireOptionalBoolean,
  requireOptionalStringList,
  selectorLabels,
  singletonDeployment,
  standardLabels,
  subjectOf,
  type InClusterArgs,
} from "@e2e-infra/core";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { DEFAULT_STORAGE_SIZE, dataClaimName, requireStorageSize } from "./storage";

/**
 * The reference setup's init.sql, in SQL that runs as the image runs it (psql as POSTGRES_USER
 * on POSTGRES_DB): the application role gets every privilege on its database and on the public
 * schema's objects.
 */
export const DEFAULT_INIT_SQL = `DO $$
BEGIN
  EXECUTE format('GRANT ALL PRIVILEGES ON DATABASE %I TO %I', current_database(), current_user);
  EXECUTE format('GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA public TO %I', current_user);
  EXECUTE format('GRANT ALL PRIVILEGES ON ALL SEQUENCES IN SCHEMA public TO %I', current_user);
  EXECUTE format('GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO %I', current_user);
END
$$;
`;

/**
 * Server settings for a throwaway test database: no fsync, no synchronous commit, no full-page
 * writes. Migrations and tests run several times faster; a crash loses data nobody keeps.
 */
export const THROWAWAY_SETTINGS = ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"];

/**
 * The readiness command: pg_isready over TCP to the server's own port. During initdb the image
 * runs a temporary server on the Unix socket only, so a socket check (or the first log line)
 * reports ready before the real server accepts connections; TCP does not.
 */
export const READINESS_COMMAND = [
  "sh",
  "-c",
  'exec pg_isready --quiet --host=127.0.0.1 --port="${PGPORT:-5432}" --username="$POSTGRES_USER" --dbname="$POSTGRES_DB"',
];

export interface PostgresArgs extends InClusterArgs {
  /** Service and Deployment name. Default "postgresql", the host the reference's DataStorage config names. */
  serviceName?: string;
  /** Default "postgres:16-alpine". */
  image?: string;
  /** Default "action_history". */
  database?: string;
  /** Default "slm_user". */
  user?: string;
  /** Default "test_password" (what the reference's suites connect with), unless generatePassword. */
  password?: pulumi.Input<string>;
  /** Generate a random password (kept in the stack's state) instead of the default. */
  generatePassword?: boolean;
  /** SQL run once when the database is created. Default: DEFAULT_INIT_SQL. */
  initSql?: string;
  /** Expose the Service on this NodePort (30000-32767), e.g. 30432, for a host port mapping. Default: ClusterIP only. */
  nodePort?: number;
  /** Extra `postgres` arguments. Default: THROWAWAY_SETTINGS. */
  serverArgs?: string[];
  /**
   * Size of the data volume, a PersistentVolumeClaim on the cluster's default StorageClass: a
   * whole number of Mi, Gi or Ti, at least 64Mi. Default "1Gi". A new size is a new, empty volume.
   */
  storageSize?: string;
}

/**
 * PostgreSQL in the cluster: a Secret with the credentials, the init SQL, a PersistentVolumeClaim
 * for the data, a Deployment and a Service. Its outputs (host, port, ...) resolve only once the
 * pod is Ready, that is once pg_isready answers over TCP, and so the Service has a ready endpoint:
 * whatever takes them waits for a usable database and for nothing else. `dataId` is the data
 * volume's identity, for what must happen again on a new, empty volume (the migrations).
 */
export class Postgres extends pulumi.ComponentResource {
  readonly serviceName: string;
  /** The database and user names, known up front (for config files that only name them). */
  readonly databaseName: string;
  readonly userName: string;
  /** The password (a secret), known without waiting for the server: for credential files. */
  readonly configuredPassword: pulumi.Output<string>;
  /** In-cluster DNS name, e.g. postgresql.kubernaut-system.svc.cluster.local. Resolves when ready. */
  readonly host: pulumi.Output<string>;
  readonly port: pulumi.Output<number>;
  readonly database: pulumi.Output<string>;
  readonly user: pulumi.Output<string>;
  readonly password: pulumi.Output<string>;
  /** postgresql://user:password@host:5432/database?sslmode=disable (a secret). */
  readonly url: pulumi.Output<string>;
  /** The Secret holding POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB. */
  readonly secretName: pulumi.Output<string>;
  readonly namespace: pulumi.Output<string>;
  /**
   * The data volume's identity: the PersistentVolumeClaim's `metadata.uid`. It changes exactly
   * when Postgres starts on a new, empty volume (a new cluster, the claim deleted and created
   * again, a new storageSize) and stays the same while the data does (a restarted or changed pod).
   * Known once the claim exists.
   */
  readonly dataId: pulumi.Output<string>;
  /** Labels selecting the Postgres pod (for affinity: a Job that runs psql from the same image). */
  readonly podLabels: Record<string, string>;
  readonly image: string;

  constructor(name: string, args: PostgresArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const subject = subjectOf("Postgres", name);
    requireInCluster(subject, args);
    // A Service name is a DNS-1035 label: a DNS-1123 label that starts with a letter.
    const serviceName = requireDns1035Label(subject, "serviceName", args.serviceName ?? "postgresql");
    const image = requireImageReference(subject, "image", args.image ?? "postgres:16-alpine");
    const database = requireIdentifier(subject, "database", args.database ?? "action_history");
    const user = requireIdentifier(subject, "user", args.user ?? "slm_user");
    const generatePassword = requireOptionalBoolean(subject, "generatePassword", args.generatePassword) === true;
    if (generatePassword && args.password !== undefined) {
      throw new ArgumentError(subject, "generatePassword", true, "expected either password or generatePassword, not both");
    }
    const given: unknown = args.password;
    if (given !== undefined && !isEventual(given) && (typeof given !== "string" || given === "")) {
      throw new ArgumentError(subject, "password", given, "expected a non-empty password (a string or an Output), or generatePassword");
    }
    if (args.initSql !== undefined && (typeof args.initSql !== "string" || args.initSql.trim() === "")) {
      throw new ArgumentError(subject, "initSql", args.initSql, "expected SQL statements (omit initSql for the default grants)");
    }
    const serverArgs = requireOptionalStringList(subject, "serverArgs", args.serverArgs, '["-c", "fsync=off"]');
    const storageSize = requireStorageSize(subject, "storageSize", args.storageSize ?? DEFAULT_STORAGE_SIZE);
    if (args.nodePort !== undefined) claimNodePort(subject, "nodePort", args.cluster, args.nodePort);
    super("e2e-infra:index:Postgres", name, {}, opts);

    this.serviceName = serviceName;
    this.databaseName = database;
    this.userName = user;
    this.image = image;
    const labels = standardLabels({ name: "postgresql", instance: name, component: "database" });
    this.podLabels = selectorLabels({ name: "postgresql", instance: name });
    const options = inClusterOptions(args.cluster, this);

    const password = generatePassword
      ? new random.RandomPassword(`${name}-password`, { length: 24, special: false }, { parent: this }).result
      : pulumi.output(args.password ?? "test_password");
    this.configuredPassword = pulumi.secret(password);

    const secret = new k8s.core.v1.Secret(
      `${name}-secret`,
      {
        metadata: { name: `${serviceName}-secret`, namespace: args.namespace, labels },
        type: "Opaque",
        stringData: { POSTGRES_USER: user, POSTGRES_PASSWORD: pulumi.secret(password), POSTGRES_DB: database },
      },
      options,
    );
    const init = new k8s.core.v1.ConfigMap(
      `${name}-init`,
      {
        metadata: { name: `${serviceName}-init`, namespace: args.namespace, labels },
        data: { "init.sql": args.initSql ?? DEFAULT_INIT_SQL },
      },
      options,
    );
    // The data outlives the pod: a restarted or changed pod (strategy Recreate, as the volume is
    // ReadWriteOnce) finds its database. No storageClassName: the cluster's default (kind's
    // "standard", local-path, WaitForFirstConsumer: the claim binds once a pod that mounts it is
    // scheduled).
    // skipAwait: the provider's claim await (pulumi-kubernetes provider/pkg/await/awaiters.go,
    // untilCoreV1PersistentVolumeClaimReady) waits for Bound, or on a WaitForFirstConsumer class
    // for exactly Pending. A claim that a waiting pod binds at once (the claim deleted behind
    // Pulumi's back and created again by refresh + up, while the Postgres pod waits for it) is
    // Bound before the await looks, and the await then runs into its 5-minute timeout: seen on
    // the real engine. Nothing is lost: the Deployment's await (await/deployment.go,
    // checkPersistentVolumeClaimStatus) waits until every claim it mounts is Bound.
    const data = new k8s.core.v1.PersistentVolumeClaim(
      `${name}-data`,
      {
        metadata: {
          name: dataClaimName(serviceName, storageSize),
          namespace: args.namespace,
          labels,
          annotations: { "pulumi.com/skipAwait": "true" },
        },
        spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: storageSize } } },
      },
      options,
    );
    this.dataId = objectUid(data);
    const deployment = singletonDeployment(
      `${name}-deployment`,
      {
        deploymentName: serviceName,
        namespace: args.namespace,
        labels,
        selector: this.podLabels,
        // A new volume (the claim deleted behind Pulumi's back and created again) rolls the pod,
        // so that `host`, and whatever waits for it, waits for a server on the new volume.
        podAnnotations: { "e2e-infra.dev/postgres-data": this.dataId },
        strategy: "Recreate",
        podSpec: {
          containers: [
            {
              name: "postgresql",
              image: this.image,
              args: serverArgs ?? THROWAWAY_SETTINGS,
              ports: [{ name: "postgresql", containerPort: 5432 }],
              envFrom: [{ secretRef: { name: secret.metadata.name } }],
              // A subdirectory of the mount: initdb refuses a mount point that is not empty (a
              // provisioner may put lost+found there), as the postgres image documents.
              env: [{ name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" }],
              volumeMounts: [
                { name: "data", mountPath: "/var/lib/postgresql/data" },
                { name: "init", mountPath: "/docker-entrypoint-initdb.d", readOnly: true },
              ],
              resources: { requests: { memory: "256Mi", cpu: "250m" }, limits: { memory: "512Mi", cpu: "500m" } },
              readinessProbe: {
                exec: { command: READINESS_COMMAND },
                initialDelaySeconds: 2,
                periodSeconds: 2,
                timeoutSeconds: 3,
                failureThreshold: 60,
              },
              livenessProbe: { exec: { command: READINESS_COMMAND }, initialDelaySeconds: 30, periodSeconds: 10, timeoutSeconds: 5 },
            },
          ],
          volumes: [
            { name: "data", persistentVolumeClaim: { claimName: data.metadata.name } },
            { name: "init", configMap: { name: init.metadata.name } },
          ],
        },
      },
      options,
    );
    const service = podService(
      `${name}-service`,
      {
        serviceName,
        namespace: args.namespace,
        labels,
        selector: this.podLabels,
        ports: [{ name: "postgresql", port: 5432, nodePort: args.nodePort }],
      },
      options,
    );

    // pg_isready answers over TCP once the Deployment is awaited; every output is read through
    // `host`, so whatever takes one waits for a usable database.
    this.host = readyHost(deployment, service);
    this.namespace = pulumi.all([this.host, service.metadata]).apply(([, metadata]) => metadata.namespace);
    this.port = this.host.apply(() => 5432);
    this.database = this.host.apply(() => database);
    this.user = this.host.apply(() => user);
    this.password = pulumi.secret(pulumi.all([this.host, password]).apply(([, value]) => value));
    this.secretName = pulumi.all([this.host, secret.metadata]).apply(([, metadata]) => metadata.name);
    this.url = pulumi.secret(
      pulumi
        .all([this.host, password])
        .apply(([host, value]) => `postgresql://${user}:${encodeURIComponent(value)}@${host}:5432/${database}?sslmode=disable`),
    );
    this.registerOutputs({
      host: this.host,
      port: this.port,
      database: this.database,
      user: this.user,
      password: this.password,
      url: this.url,
      dataId: this.dataId,
    });
  }
}

function requireIdentifier(subject: string, field: string, value: unknown): string {
  if (typeof value !== "string" || !/^[a-z_][a-z0-9_]{0,62}$/.test(value)) {
    throw new ArgumentError(
      subject,
      field,
      value,
      "expected a PostgreSQL identifier: lower-case letters, digits and _, starting with a letter or _, at most 63 characters",
    );
  }
  return value;
}
