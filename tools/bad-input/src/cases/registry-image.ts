import { RegistryImage, type RegistryImageArgs } from "@e2e-infra/image-build-load";
import { casesFor, type ComponentCatalogue } from "../catalogue";
import { fakeKindTarget } from "../fakes";

const good = (): RegistryImageArgs => ({ cluster: fakeKindTarget(), image: "quay.io/prometheus/prometheus:v2.53.0", preload: true });
const { bad, baseline } = casesFor<RegistryImageArgs>(
  "RegistryImage",
  (name, args) => new RegistryImage(name, args),
  good,
  "prometheus-image",
);

/** RegistryImage: every argument (cluster, image, preload, containerRuntime). */
export const registryImage: ComponentCatalogue = {
  component: "RegistryImage",
  args: { file: "packages/image-build-load/src/registry-image.ts", type: "RegistryImageArgs" },
  baseline,
  cases: [
    bad("no cluster", { cluster: undefined }, "cluster", undefined, "expected a kind cluster"),
    bad("a cluster given by its name", { cluster: "kind" }, "cluster", "kind", "expected a kind cluster"),
    bad("no image", { image: undefined }, "image", undefined, "expected an image reference"),
    bad("an image reference with a space", { image: "Bad Ref" }, "image", "Bad Ref", "expected an image reference"),
    bad('preload as the string "true"', { preload: "true" }, "preload", "true", "expected true or false"),
    bad(
      "a container runtime kind does not load from",
      { containerRuntime: "nerdctl" },
      "containerRuntime",
      "nerdctl",
      'expected "docker" or "podman"',
    ),
  ],
};
