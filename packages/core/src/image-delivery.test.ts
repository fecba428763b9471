import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { ArgumentError, requireWorkloadImage, type WorkloadImage } from "./index";

describe("requireWorkloadImage", () => {
  const subject = 'ServiceDeployment "app"';

  it("GIVEN an image with or without a pull policy THEN it is returned as it is", () => {
    const loaded: WorkloadImage = { image: pulumi.output("localhost/app:0123456789abcdef") };
    const pulled: WorkloadImage = { image: pulumi.output("quay.io/dexidp/dex:v2.41.1"), pullPolicy: "IfNotPresent" };
    expect(requireWorkloadImage(subject, "image", loaded)).toBe(loaded);
    expect(requireWorkloadImage(subject, "image", pulled)).toBe(pulled);
  });

  it.each<[string, unknown, string]>([
    ["no image", undefined, 'ServiceDeployment "app": image is missing; expected an ImageBuildLoad or a RegistryImage (with image)'],
    [
      "a reference string",
      "quay.io/dexidp/dex:v2.41.1",
      'image is "quay.io/dexidp/dex:v2.41.1"; expected an ImageBuildLoad or a RegistryImage',
    ],
    [
      "an object without image",
      { pullPolicy: "Always" },
      'image is {"pullPolicy":"Always"}; expected an ImageBuildLoad or a RegistryImage',
    ],
    [
      "a pull policy in lower case",
      { image: "x", pullPolicy: "never" },
      'ServiceDeployment "app": image.pullPolicy is "never"; expected one of "Never", "IfNotPresent", "Always"',
    ],
  ])("GIVEN %s THEN an ArgumentError names the field, the value and what is valid", (_, value, message) => {
    expect(() => requireWorkloadImage(subject, "image", value)).toThrow(ArgumentError);
    expect(() => requireWorkloadImage(subject, "image", value)).toThrow(message);
  });
});
