import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureDockerDaemon, nodeBaseImageStandIn } from "../src/docker";
import { REPO_ROOT, engineUser, kindClusters, pulumiStack, stepNames, type EngineUser } from "../src/engine";

// demo-e2e's database on the real engine: Postgres keeps its data on a PersistentVolumeClaim of
// the cluster's default StorageClass, which the kind stand-in binds as kind's does (when the pod
// that mounts it is scheduled), and the migrations Job is named after the migration set and the
// claim's uid. A restarted pod
// keeps its data, so nothing is to be done; a new volume is an empty database, so the migrations
// run again. No container runs under kwok, so the database itself cannot be read: the test
// asserts what decides it, the volume each pod mounts and the Job that ran against it.
const dir = join(REPO_ROOT, "stacks", "demo");
const stack = "demo-e2e";
const namespace = "demo";
const postgresPods = "app.kubernetes.io/name=postgresql,app.kubernetes.io/instance=postgres";
const DATA_ID = "e2e-infra.dev/postgres-data";
let user: EngineUser;

interface Claim {
  metadata: { name: string; uid: string; deletionTimestamp?: string };
  status: { phase: string };
}
interface Job {
  metadata: { name: string; uid: string; annotations?: Record<string, string> };
  status: { succeeded?: number };
}
interface Pod {
  metadata: { name: string; uid: string; deletionTimestamp?: string };
  spec: { volumes: { name: string; persistentVolumeClaim?: { claimName: string }; emptyDir?: object }[] };
  status: { phase: string };
}

function kubectl(...args: string[]): string {
  const result = spawnSync(join(user.bin, "kubectl"), ["--kubeconfig", join(user.home, ".kube", `${stack}-config`), ...args], {
    encoding: "utf8",
    env: user.env,
  });
  if (result.status !== 0) throw new Error(`kubectl ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

const items = <T>(...args: string[]): T[] => (JSON.parse(kubectl("get", ...args, "-n", namespace, "-o", "json")) as { items: T[] }).items;
const claims = () => items<Claim>("persistentvolumeclaims");
const jobs = () => items<Job>("jobs");
const postgresPod = (): Pod => {
  const pods = items<Pod>("pods", "-l", postgresPods).filter((pod) => pod.metadata.deletionTimestamp === undefined);
  expect(pods.map((pod) => pod.status.phase)).toStrictEqual(["Running"]);
  return pods[0]!;
};
/** The claim the Postgres pod keeps its data on (undefined when the data is not on a claim). */
const dataClaim = (pod: Pod) => pod.spec.volumes.find((volume) => volume.name === "data")?.persistentVolumeClaim?.claimName;

const up = () => pulumiStack(user, { operation: "up", dir, stack });
const warmPreview = () => pulumiStack(user, { operation: "preview", dir, stack, expectNoChanges: true });

beforeAll(async () => {
  user = engineUser("database-identity");
  await ensureDockerDaemon(user.home);
  nodeBaseImageStandIn();
});

describe("demo-e2e's database identity on the real engine", () => {
  it("GIVEN nothing WHEN up THEN Postgres's data is on a claim bound when its pod was scheduled, and the migrations Job carries the claim's uid", async () => {
    await up();
    const pod = postgresPod();
    const [claim] = claims();
    expect(claims()).toHaveLength(1);
    expect(dataClaim(pod)).toBe(claim?.metadata.name);
    expect(claim!.status.phase).toBe("Bound");
    const [job] = jobs();
    expect(jobs()).toHaveLength(1);
    expect(job!.status.succeeded).toBe(1);
    expect(job!.metadata.annotations?.[DATA_ID]).toBe(claim!.metadata.uid);
    await warmPreview();
  });

  it("GIVEN the Postgres pod restarted WHEN previewed THEN the new pod mounts the same volume (the data is kept) and nothing is to be done", async () => {
    const before = { pod: postgresPod(), claims: claims().map((claim) => claim.metadata.uid), jobs: jobs().map((job) => job.metadata.uid) };
    kubectl("delete", "pod", before.pod.metadata.name, "-n", namespace, "--wait=true", "--timeout=60s");
    kubectl("wait", "--for=condition=Ready", "pod", "-l", postgresPods, "-n", namespace, "--timeout=60s");
    const after = postgresPod();
    expect(after.metadata.uid).not.toBe(before.pod.metadata.uid);
    // An emptyDir would be a new, empty data directory for the new pod.
    expect(dataClaim(after), "the new pod's data volume is a claim").toBeDefined();
    expect(dataClaim(after)).toBe(dataClaim(before.pod));
    expect(claims().map((claim) => claim.metadata.uid)).toStrictEqual(before.claims);
    await warmPreview();
    expect(jobs().map((job) => job.metadata.uid)).toStrictEqual(before.jobs);
  });

  it("GIVEN Postgres's volume deleted behind Pulumi's back (its claim, then its pod) WHEN refresh then up THEN a new claim, Postgres rolled onto it, and a new migrations Job for it; then nothing more to do", async () => {
    // As a user empties the database: the claim is deleted (it stays Terminating while the pod
    // mounts it), then the pod; the Deployment's new pod waits for a claim of that name.
    const [firstClaim] = claims();
    const [firstJob] = jobs();
    kubectl("delete", "persistentvolumeclaims", "-l", "app.kubernetes.io/instance=postgres", "-n", namespace, "--wait=false");
    kubectl("delete", "pod", "-l", postgresPods, "-n", namespace, "--wait=true", "--timeout=60s");
    await pulumiStack(user, { operation: "refresh", dir, stack });
    const result = await up();
    // Exactly the volume's chain: the claim, Postgres rolled onto it, the Job under a new name
    // (created, then the old one deleted). The app, which waits for the migrations, is untouched.
    expect(stepNames(result)).toStrictEqual({
      create: ["postgres-data"],
      "create-replacement": ["migrations-job"],
      "delete-replaced": ["migrations-job"],
      replace: ["migrations-job"],
      update: ["postgres-deployment"],
    });

    const pod = postgresPod();
    const [claim] = claims();
    expect(claims()).toHaveLength(1);
    expect(claim!.metadata.uid).not.toBe(firstClaim?.metadata.uid);
    expect(claim!.status.phase).toBe("Bound");
    expect(dataClaim(pod)).toBe(claim!.metadata.name);
    const [job] = jobs();
    expect(jobs()).toHaveLength(1);
    expect(job!.metadata.uid).not.toBe(firstJob?.metadata.uid);
    expect(job!.metadata.name).not.toBe(firstJob?.metadata.name);
    expect(job!.status.succeeded).toBe(1);
    expect(job!.metadata.annotations?.[DATA_ID]).toBe(claim!.metadata.uid);
    await warmPreview();
  });

  it("GIVEN it converged WHEN destroyed THEN the cluster is gone", async () => {
    await pulumiStack(user, { operation: "destroy", dir, stack });
    expect(kindClusters(user)).not.toContain(stack);
  });
});
