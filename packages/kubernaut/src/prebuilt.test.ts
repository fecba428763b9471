import { captureStack, fixtureCheckout, notRunHere, shimDirectory, toolMissing } from "@e2e-infra/testing";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

// Prebuilt images (config imageTag, imageRegistry) on the Notification fixture stack, with a
// stand-in `docker` whose image store holds what each case puts there.
const dir = join(__dirname, "..", "test", "notification-stack");
const withHelm = it.skipIf(notRunHere("prebuilt images (the stack renders the chart with helm)", toolMissing("helm")));
const saved = { PATH: process.env["PATH"], SHIM_LOG: process.env["SHIM_LOG"], SHIM_STATE: process.env["SHIM_STATE"] };

afterEach(() => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

/** The stack captured with `config`, docker's image store holding `images`. */
function capture(config: Record<string, string>, images: readonly string[]) {
  const shims = shimDirectory(["docker"], { images: Object.fromEntries(images.map((image) => [image, { built: true }])) });
  process.env["PATH"] = `${shims.bin}:${saved.PATH}`;
  process.env["SHIM_LOG"] = shims.log;
  process.env["SHIM_STATE"] = shims.statePath;
  const prefixed = Object.fromEntries(Object.entries(config).map(([key, value]) => [`notification:${key}`, value]));
  return captureStack(dir, "notification-e2e", { config: { "notification:serviceRepository": fixtureCheckout(), ...prefixed } });
}

const CI_IMAGES = ["datastorage", "db-migrate", "notification"].map((name) => `localhost/${name}:ci-1234`);

describe("prebuilt images", () => {
  withHelm(
    "GIVEN imageTag and the images in the host's store THEN nothing is built: each is loaded as it is, and the pods run it",
    async () => {
      const { graph } = await capture({ imageTag: "ci-1234" }, CI_IMAGES);
      expect(graph.find({ name: /-image-build$/ })).toStrictEqual([]);
      for (const name of ["datastorage", "db-migrate", "notification"]) {
        const load = graph.one({ name: `kubernaut-${name}-image-load` });
        expect((load.inputs["environment"] as Record<string, string>)["IMAGE"]).toBe(`localhost/${name}:ci-1234`);
      }
      const controller = graph.one({ name: "kubernaut-chart-deployment-notification-controller" });
      expect(graph.dependsOn(controller, graph.one({ name: "kubernaut-notification-image-load" }))).toBe(true);
      expect(JSON.stringify(controller.inputs)).toContain('"image":"localhost/notification:ci-1234"');
    },
  );

  withHelm(
    "GIVEN imageTag and an image the store does not have THEN the preview fails naming the key, the image and its service",
    async () => {
      await expect(
        capture(
          { imageTag: "ci-1234" },
          CI_IMAGES.filter((image) => !image.includes("notification")),
        ),
      ).rejects.toThrow(
        `Stack "notification-e2e": config notification:imageTag is "localhost/notification:ci-1234"; expected an image in the docker image store (notification's); docker has none by that reference`,
      );
    },
  );

  withHelm("GIVEN imageRegistry too THEN the nodes pull each image from it: nothing is built or loaded", async () => {
    const { graph } = await capture({ imageTag: "ci-1234", imageRegistry: "quay.io/kubernaut-ci" }, []);
    // (The fixture's own mock webhook is a preloaded registry image.)
    expect(graph.find({ name: /^kubernaut-.*-image-(build|load)$/ })).toStrictEqual([]);
    const controller = graph.one({ name: "kubernaut-chart-deployment-notification-controller" });
    expect(JSON.stringify(controller.inputs)).toContain('"image":"quay.io/kubernaut-ci/notification:ci-1234"');
    const job = JSON.stringify(graph.one({ type: "kubernetes:batch/v1:Job" }).inputs);
    expect(job).toContain('"image":"quay.io/kubernaut-ci/db-migrate:ci-1234"');
  });
});

describe("some images built, the others prebuilt (buildImages)", () => {
  withHelm(
    "GIVEN imageTag and buildImages notification THEN the Notification controller's image is built from the checkout, on the builder images given, and the others are loaded by tag; the store need not have the built one",
    async () => {
      const builder = "mirror.example.com/ubi10/go-toolset:1.26";
      const { graph } = await capture(
        { imageTag: "ci-1234", buildImages: "notification", builderImage: builder },
        CI_IMAGES.filter((image) => !image.includes("notification")),
      );
      const build = graph.one({ name: /-image-build$/ });
      expect(build.name).toBe("kubernaut-notification-image-build");
      expect((build.inputs["environment"] as Record<string, string>)["BUILD_ARGS"]).toBe(`BUILDER_IMAGE=${builder}`);
      const controller = graph.one({ name: "kubernaut-chart-deployment-notification-controller" });
      expect(graph.dependsOn(controller, build)).toBe(true);
      expect(JSON.stringify(controller.inputs)).toMatch(/"image":"localhost\/kubernaut-notification:[0-9a-f]{16}"/);
      for (const name of ["datastorage", "db-migrate"]) {
        const load = graph.one({ name: `kubernaut-${name}-image-load` });
        expect((load.inputs["environment"] as Record<string, string>)["IMAGE"]).toBe(`localhost/${name}:ci-1234`);
      }
    },
  );

  withHelm.each<[string, Record<string, string>, string]>([
    [
      "buildImages without imageTag",
      { buildImages: "notification" },
      'config notification:buildImages is "notification"; expected it unset while imageTag is (without it every image is built)',
    ],
    [
      "an image the stack does not have",
      { imageTag: "ci-1234", buildImages: "datastorage,gatway" },
      'config notification:buildImages is "datastorage,gatway"; expected image names of this stack, comma-separated (datastorage, db-migrate, notification); "gatway" is none',
    ],
    [
      "a prebuilt image the store lacks",
      { imageTag: "ci-1234", buildImages: "notification" },
      'config notification:imageTag is "localhost/db-migrate:ci-1234"; expected an image in the docker image store',
    ],
  ])("GIVEN %s THEN the preview fails naming the key", async (_, config, message) => {
    await expect(capture(config, ["localhost/datastorage:ci-1234"])).rejects.toThrow(`Stack "notification-e2e": ${message}`);
  });
});

describe("builder images", () => {
  const BUILDER = "mirror.example.com/ubi10/go-toolset:1.26";
  const BASE = "mirror.example.com/ubi10/ubi-minimal:latest";

  withHelm(
    "GIVEN builderImage and baseImage THEN every image built from the checkout gets them as BUILDER_IMAGE and BASE_IMAGE",
    async () => {
      const plain = await capture({}, []);
      const { graph } = await capture({ builderImage: BUILDER, baseImage: BASE }, []);
      const builds = graph.find({ name: /^kubernaut-.*-image-build$/ });
      expect(builds.map((build) => build.name).sort()).toStrictEqual(
        ["datastorage", "db-migrate", "notification"].map((name) => `kubernaut-${name}-image-build`),
      );
      for (const build of builds) {
        const environment = build.inputs["environment"] as Record<string, string>;
        expect(environment["BUILD_ARGS"]).toBe(`BASE_IMAGE=${BASE}\nBUILDER_IMAGE=${BUILDER}`);
        // The build arguments are part of the tag: a new builder is a new image.
        const before = plain.graph.one({ name: build.name }).inputs["environment"] as Record<string, string>;
        expect(environment["IMAGE"]).not.toBe(before["IMAGE"]);
      }
    },
  );

  withHelm("GIVEN builderImage that is not an image reference THEN the preview fails naming the key", async () => {
    await expect(capture({ builderImage: "go toolset" }, [])).rejects.toThrow(
      'Stack "notification-e2e": config notification:builderImage is "go toolset"; expected an image reference, e.g. mirror.example.com/ubi10/go-toolset:1.26',
    );
  });

  withHelm("GIVEN baseImage with imageTag THEN the preview fails: prebuilt images are not built", async () => {
    await expect(capture({ imageTag: "ci-1234", baseImage: BASE }, CI_IMAGES)).rejects.toThrow(
      `Stack "notification-e2e": config notification:baseImage is "${BASE}"; expected it unset while config notification:imageTag is set and buildImages is not (prebuilt images are not built)`,
    );
  });
});
