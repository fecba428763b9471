import type { KindCluster } from "@e2e-infra/kind-cluster";
import { KUBERNAUT_HEAD, kubernautReleasePaths, type ServiceName } from "./kubernaut-release";
import { readStackSettings, requireServiceRepository, type StackSettings } from "./stack-config";
import { suiteCluster, type SuiteClusterArgs } from "./suite-cluster";

export interface HeadStackArgs extends Pick<SuiteClusterArgs, "kindConfig" | "nodePorts" | "workingDir" | "extraMounts"> {
  /** The services under test the stack's KubernautRelease runs: the checkout must have what they read. */
  services?: readonly ServiceName[];
  /** Further paths of the checkout the stack reads itself. */
  paths?: readonly string[];
  /** The stack's config keys besides its host ports and serviceRepository (readStackSettings). */
  otherKeys?: readonly string[];
}

export interface HeadStack {
  settings: StackSettings;
  /** The service repository's checkout, with every path the stack reads. */
  repository: string;
  /** The suite's own kind cluster. */
  cluster: KindCluster;
  /** `<scheme>://localhost:<the host port of key>`. */
  hostUrl: (scheme: "http" | "https", hostPortKey: string) => string;
}

/**
 * What every stack at the repository's HEAD starts from: its settings (a host port key per node
 * port the suite's kind config maps), the checkout (every path the stack reads, checked before
 * anything is registered, naming the commit it was verified against) and the suite's own cluster.
 */
export function headStack(stacksDir: string, args: HeadStackArgs): HeadStack {
  const settings = readStackSettings(stacksDir, Object.keys(args.nodePorts), ["serviceRepository", ...(args.otherKeys ?? [])]);
  const repository = requireServiceRepository(
    settings,
    [args.kindConfig, ...kubernautReleasePaths(args.services), ...(args.paths ?? [])],
    KUBERNAUT_HEAD,
  );
  const cluster = suiteCluster(settings, repository, {
    kindConfig: args.kindConfig,
    nodePorts: args.nodePorts,
    workingDir: args.workingDir,
    verifiedAgainst: KUBERNAUT_HEAD,
    ...(args.extraMounts === undefined ? {} : { extraMounts: args.extraMounts }),
  });
  return {
    settings,
    repository,
    cluster,
    hostUrl: (scheme, hostPortKey) => {
      const port = settings.hostPorts[hostPortKey];
      if (port === undefined)
        throw new Error(`no host port key ${hostPortKey}; the stack's keys are ${Object.keys(settings.hostPorts).join(", ")}`);
      return `${scheme}://localhost:${port}`;
    },
  };
}
