import { capture } from "@e2e-infra/testing";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { RandomKey, randomKeyProvider } from "./index";

describe("RandomKey", () => {
  it("GIVEN bytes WHEN created THEN that many random bytes, base64; a second key differs", async () => {
    const first = await randomKeyProvider.create({ bytes: 32 });
    const second = await randomKeyProvider.create({ bytes: 32 });
    expect(Buffer.from(first.outs.base64, "base64")).toHaveLength(32);
    expect(first.outs.base64).not.toBe(second.outs.base64);
    expect(first.id).not.toContain(first.outs.base64);
  });

  it("GIVEN the same length THEN no change (a warm up keeps the key); another length THEN a new key", async () => {
    const state = (await randomKeyProvider.create({ bytes: 32 })).outs;
    expect(await randomKeyProvider.diff("id", state, { bytes: 32 })).toStrictEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect(await randomKeyProvider.diff("id", state, { bytes: 64 })).toStrictEqual({
      changes: true,
      replaces: ["bytes"],
      deleteBeforeReplace: false,
    });
  });

  it("GIVEN a key THEN it is a secret output; a bad length fails before anything is registered", async () => {
    const { outputs } = await capture(() => {
      const key = new RandomKey("hmac", { bytes: 32 });
      return { secret: pulumi.isSecret(key.base64) };
    });
    expect(outputs["secret"]).toBe(true);
    for (const bytes of [8, 32.5, "32", 4096]) {
      expect(() => new RandomKey("hmac", { bytes: bytes as number })).toThrow(
        /RandomKey "hmac": bytes is .*; expected a whole number from 16 to 1024/,
      );
    }
  });
});
