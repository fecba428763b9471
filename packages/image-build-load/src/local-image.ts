import {
  ArgumentError,
  requireImageReference,
  subjectOf,
  type ContainerRuntime,
  type KindLoadTarget,
  type WorkloadImage,
} from "@e2e-infra/core";
import * as pulumi from "@pulumi/pulumi";
import { spawnSync } from "node:child_process";
import { requireArchivePrefix, requireContainerRuntime, requireKindCluster } from "./image-args";
import { loadIntoKind } from "./kind-load";

/** Arguments of a LocalImage. Plain values: they decide what runs on the host, so they are checked when the program runs. */
export interface LocalImageArgs {
  /** The kind cluster it is loaded into. */
  cluster: KindLoadTarget;
  /** A reference in the host's image store, e.g. "localhost/gateway:ci-1234" (an image a CI pipeline built once). */
  image: string;
  /** The CLI whose store holds it. Default: the cluster's container runtime, else Docker. */
  containerRuntime?: ContainerRuntime;
}

/**
 * The id in `tool`'s image store of each reference (`references`: what each is for -> reference),
 * by reference; throws an ArgumentError naming `field`, the first reference the store does not
 * have and what it is for. For a stack to check every prebuilt image before it registers anything.
 */
export function requireLocalImages(
  subject: string,
  field: string,
  references: Record<string, string>,
  tool: ContainerRuntime,
): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const [what, reference] of Object.entries(references)) {
    const inspect = spawnSync(tool, ["image", "inspect", "--format", "{{.Id}}", reference], { encoding: "utf8" });
    const id = inspect.status === 0 ? inspect.stdout.trim().split("\n")[0] : undefined;
    if (id === undefined || id === "") {
      const said = (inspect.stderr ?? "").trim().split("\n")[0] ?? "";
      const why =
        inspect.error !== undefined
          ? `${tool} could not be run: ${inspect.error.message}`
          : /no such (image|object)/i.test(said) || said === ""
            ? `${tool} has none by that reference`
            : `${tool} image inspect said: ${said}`;
      const whose = what === reference ? "" : ` (${what}'s)`;
      throw new ArgumentError(
        subject,
        field,
        reference,
        `expected an image in the ${tool} image store${whose}; ${why}: build or load it first (\`${tool} load -i <archive>\`)`,
      );
    }
    ids[reference] = id;
  }
  return ids;
}

/**
 * An image already in the host's image store (built once by a CI pipeline, for example), loaded into
 * the cluster: pass it where an ImageBuildLoad goes. Nothing is built. Its absence fails the preview,
 * naming the reference; the load runs again when the image under the reference changes (its id),
 * though pods restart only when the reference does (as a CI pipeline's per-run tag does).
 */
export class LocalImage extends pulumi.ComponentResource implements WorkloadImage {
  /** The reference for a pod spec, resolving once the image is on the cluster's nodes. */
  readonly image: pulumi.Output<string>;
  /** Pods start the loaded copy; there is no registry to pull it from. */
  readonly pullPolicy = "Never" as const;
  /** The image's id in the host's store when the program ran. */
  readonly id: string;

  constructor(name: string, args: LocalImageArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const subject = subjectOf("LocalImage", name);
    requireKindCluster(subject, args.cluster);
    const reference = requireImageReference(subject, "image", args.image, "localhost/gateway:ci-1234");
    const tool = requireContainerRuntime(subject, "containerRuntime", args.containerRuntime, args.cluster);
    const archivePrefix = requireArchivePrefix(subject, name);
    const id = requireLocalImages(subject, "image", { [reference]: reference }, tool)[reference]!;
    super("e2e-infra:index:LocalImage", name, {}, opts);

    this.id = id;
    this.image = loadIntoKind(
      `${name}-load`,
      { image: pulumi.output(reference), tool, cluster: args.cluster, archivePrefix, triggers: [id] },
      this,
    );
    this.registerOutputs({ image: this.image, pullPolicy: this.pullPolicy, id });
  }
}
