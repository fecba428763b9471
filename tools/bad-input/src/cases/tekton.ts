import { Tekton, type TektonArgs } from "@e2e-infra/tekton";
import * as pulumi from "@pulumi/pulumi";
import { join } from "node:path";
import { casesFor, type ComponentCatalogue } from "../catalogue";
import { fakeCluster, files, TEKTON_RELEASE } from "../fakes";

const good = (): TektonArgs => ({
  cluster: { ...fakeCluster(), kubeconfig: pulumi.secret("apiVersion: v1\nkind: Config\n") },
  manifestFile: TEKTON_RELEASE,
  workloadNamespace: "kubernaut-workflows",
});
const { bad, baseline } = casesFor<TektonArgs>("Tekton", (name, args) => new Tekton(name, args), good, "tekton");
const CREDENTIALS = "expected an existing registry credentials file";

/** Tekton: every argument (cluster, manifestFile, dockerConfigFile, workloadNamespace, pullSecretName). */
export const tekton: ComponentCatalogue = {
  component: "Tekton",
  args: { file: "packages/tekton/src/tekton.ts", type: "TektonArgs" },
  baseline,
  cases: [
    bad("no cluster", { cluster: undefined }, "cluster", undefined, "expected a cluster"),
    bad(
      "a cluster without its kubeconfig",
      { cluster: fakeCluster() },
      "cluster.kubeconfig",
      undefined,
      "expected the cluster's kubeconfig, an Output",
    ),
    bad("no manifest", { manifestFile: undefined }, "manifestFile", undefined, "expected an existing Tekton release manifest"),
    bad(
      "a manifest that does not exist",
      { manifestFile: join(files.dir, "release.yaml") },
      "manifestFile",
      join(files.dir, "release.yaml"),
      "expected an existing Tekton release manifest",
    ),
    bad(
      "a manifest that is a directory",
      { manifestFile: files.dir },
      "manifestFile",
      files.dir,
      "expected an existing Tekton release manifest",
    ),
    bad(
      "a manifest without Tekton's controller",
      { manifestFile: files.notARelease },
      "manifestFile",
      files.notARelease,
      "it has no Deployment tekton-pipelines/tekton-pipelines-controller",
    ),
    bad(
      "a manifest that is no YAML",
      { manifestFile: files.brokenYaml },
      "manifestFile",
      files.brokenYaml,
      "expected a Tekton Pipelines release",
    ),
    bad(
      "credentials that do not exist",
      { dockerConfigFile: join(files.dir, "missing-auth.json") },
      "dockerConfigFile",
      join(files.dir, "missing-auth.json"),
      CREDENTIALS,
    ),
    bad(
      "credentials that are no JSON",
      { dockerConfigFile: files.notJson },
      "dockerConfigFile",
      files.notJson,
      'expected a JSON file with an "auths" object',
    ),
    bad(
      "credentials without auths",
      { dockerConfigFile: files.noAuths },
      "dockerConfigFile",
      files.noAuths,
      'expected a JSON file with an "auths" object',
    ),
    bad(
      "a pull Secret name with upper case and _",
      { dockerConfigFile: files.auth, pullSecretName: "Quay_Pull" },
      "pullSecretName",
      "Quay_Pull",
      "expected a DNS-1123 subdomain",
    ),
    bad(
      "a pull Secret name without credentials (would be dropped)",
      { pullSecretName: "quay-pull-secret" },
      "pullSecretName",
      "quay-pull-secret",
      "expected dockerConfigFile with it",
    ),
    bad(
      "a workload namespace with upper case and _",
      { workloadNamespace: "Kubernaut_Workflows" },
      "workloadNamespace",
      "Kubernaut_Workflows",
      "expected a namespace",
    ),
    bad("a workload namespace that is a number", { workloadNamespace: 42 }, "workloadNamespace", 42, "expected a namespace"),
  ],
};
