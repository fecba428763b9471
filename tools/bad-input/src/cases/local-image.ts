import { LocalImage, type LocalImageArgs } from "@e2e-infra/image-build-load";
import { shimDirectory } from "@e2e-infra/testing";
import { casesFor, type ComponentCatalogue } from "../catalogue";
import { fakeKindTarget } from "../fakes";

// A stand-in docker and podman whose image store holds the one image the good arguments name: the
// cases run where no container CLI, or another store, is.
const GOOD = "localhost/gateway:ci-1234";
const store = shimDirectory(["docker", "podman"], { images: { [GOOD]: { built: true } } });

/** LocalImage, constructed with the stand-in image store on PATH (it looks its image up when the program runs). */
function withStandInStore(name: string, args: LocalImageArgs): LocalImage {
  const saved = { PATH: process.env["PATH"], SHIM_LOG: process.env["SHIM_LOG"], SHIM_STATE: process.env["SHIM_STATE"] };
  Object.assign(process.env, { PATH: `${store.bin}:${saved.PATH ?? ""}`, SHIM_LOG: store.log, SHIM_STATE: store.statePath });
  try {
    return new LocalImage(name, args);
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

const good = (): LocalImageArgs => ({ cluster: fakeKindTarget(), image: GOOD });
const { bad, baseline } = casesFor<LocalImageArgs>("LocalImage", withStandInStore, good, "gateway-image");

/** LocalImage: every argument (cluster, image, containerRuntime). */
export const localImage: ComponentCatalogue = {
  component: "LocalImage",
  args: { file: "packages/image-build-load/src/local-image.ts", type: "LocalImageArgs" },
  baseline,
  cases: [
    bad("no cluster", { cluster: undefined }, "cluster", undefined, "expected a kind cluster"),
    bad("no image", { image: undefined }, "image", undefined, "expected an image reference"),
    bad("an image reference with a space", { image: "Bad Ref" }, "image", "Bad Ref", "expected an image reference"),
    bad(
      "an image the host's store does not have",
      { image: "localhost/gateway:ci-9999" },
      "image",
      "localhost/gateway:ci-9999",
      "expected an image in the docker image store; docker has none by that reference",
    ),
    bad(
      "a container runtime kind does not load from",
      { containerRuntime: "nerdctl" },
      "containerRuntime",
      "nerdctl",
      'expected "docker" or "podman"',
    ),
  ],
};
