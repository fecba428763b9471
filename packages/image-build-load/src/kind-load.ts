import { hostCommand, loadScript, type ContainerRuntime, type KindLoadTarget } from "@e2e-infra/core";
import * as pulumi from "@pulumi/pulumi";
import { join } from "node:path";

export const LOAD_SCRIPT = loadScript(join(__dirname, "..", "scripts", "load-image.sh"));

/** What loading an image from the host's image store into a kind cluster takes. */
export interface KindLoadArgs {
  /** The image reference; resolves once the image is in the host's store (after its build or pull). */
  image: pulumi.Output<string>;
  /** The CLI whose store holds it. */
  tool: ContainerRuntime;
  cluster: KindLoadTarget;
  /** The temporary directory's prefix, unique to the stack and resource (see requireArchivePrefix). */
  archivePrefix: string;
  /** The platform to save (a build's `--platform`). Default: the daemon's, where `save` can choose. */
  platform?: string | undefined;
  /** What else makes it load again when it changes, e.g. the image's id under an unchanged reference. */
  triggers?: pulumi.Input<string>[];
}

/**
 * The host command `name` that loads an image into a kind cluster (load-image.sh: save to an
 * archive, `kind load image-archive`). It waits for the image and the cluster, runs again when
 * the image changes (update), and is replaced when the cluster is recreated (a new instance id).
 * Returns the reference, resolving once the image is on the cluster's nodes.
 */
export function loadIntoKind(name: string, args: KindLoadArgs, parent: pulumi.Resource): pulumi.Output<string> {
  const load = hostCommand(
    name,
    {
      create: LOAD_SCRIPT,
      update: LOAD_SCRIPT,
      environment: {
        IMAGE: args.image,
        IMAGE_TOOL: args.tool,
        KIND_CLUSTER_NAME: args.cluster.clusterName,
        KIND_EXPERIMENTAL_PROVIDER: args.cluster.containerRuntime,
        ARCHIVE_PREFIX: args.archivePrefix,
        PLATFORM: args.platform,
      },
      triggers: [args.cluster.instanceId, ...(args.triggers ?? [])],
    },
    { parent },
  );
  return pulumi.all([load.id, args.image]).apply(([, image]) => image);
}
