import { CustomResourceDefinitions, type CustomResourceDefinitionsArgs } from "@e2e-infra/crds";
import { join } from "node:path";
import { casesFor, type ComponentCatalogue } from "../catalogue";
import { CRD_FILE, fakeCluster, files } from "../fakes";

const good = (): CustomResourceDefinitionsArgs => ({ cluster: fakeCluster(), paths: [CRD_FILE] });
const { bad, baseline } = casesFor<CustomResourceDefinitionsArgs>(
  "CustomResourceDefinitions",
  (name, args) => new CustomResourceDefinitions(name, args),
  good,
  "crds",
);

/** CustomResourceDefinitions: every argument (cluster, paths). */
export const crds: ComponentCatalogue = {
  component: "CustomResourceDefinitions",
  args: { file: "packages/crds/src/crds.ts", type: "CustomResourceDefinitionsArgs" },
  baseline,
  cases: [
    bad("no cluster", { cluster: undefined }, "cluster", undefined, "expected a cluster"),
    bad("a cluster without a provider", { cluster: {} }, "cluster", {}, "expected a cluster"),
    bad("paths as one string", { paths: CRD_FILE }, "paths", CRD_FILE, "expected a list of CRD files or directories"),
    bad("no paths", { paths: [] }, "paths", [], "expected a list of CRD files or directories"),
    bad(
      "a path that does not exist",
      { paths: [join(files.dir, "nope.yaml")] },
      "paths[0]",
      join(files.dir, "nope.yaml"),
      "expected an existing CRD file or directory",
    ),
    bad("a path that is a number", { paths: [42] }, "paths[0]", 42, "expected an existing CRD file or directory"),
    bad(
      "a file holding a ConfigMap",
      { paths: [files.configMap] },
      "paths",
      files.configMap,
      "expected only CustomResourceDefinitions (apiextensions.k8s.io/v1)",
    ),
    bad(
      "a v1beta1 CRD",
      { paths: [files.v1beta1Crd] },
      "paths",
      files.v1beta1Crd,
      "expected only CustomResourceDefinitions (apiextensions.k8s.io/v1)",
    ),
    bad("a file that is no YAML", { paths: [files.brokenYaml] }, "paths", files.brokenYaml, "expected CRD manifests"),
    bad(
      "a directory without YAML files",
      { paths: [files.emptyDir] },
      "paths",
      [files.emptyDir],
      "expected at least one CustomResourceDefinition",
    ),
    bad("one CRD twice", { paths: [CRD_FILE, CRD_FILE] }, "paths", CRD_FILE, "expected each CRD once"),
  ],
};
