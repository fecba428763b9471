import { ArgumentError, subjectOf } from "@e2e-infra/core";
import * as pulumi from "@pulumi/pulumi";

export const RANDOM_KEY_TYPE = "pulumi-nodejs:dynamic:RandomKey";

/** What the state keeps: the key's length and the key itself (base64). */
export interface RandomKeyState {
  bytes: number;
  base64: string;
}

/**
 * The provider: runs in the engine's Node.js dynamic provider process (no plugin; see
 * TlsCertificate). create: `bytes` random bytes from Node's CSPRNG; diff: a new length replaces
 * the key, anything else keeps it (a warm `up` does nothing); read and delete: nothing outside
 * the state.
 */
const provider = {
  diff(_id: string, olds: RandomKeyState, news: { bytes: number }) {
    const replaces = olds.bytes === news.bytes ? [] : ["bytes"];
    return Promise.resolve({ changes: replaces.length > 0, replaces, deleteBeforeReplace: false });
  },
  create(inputs: { bytes: number }) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const crypto = require("node:crypto") as typeof import("node:crypto");
    // The id names the resource, not the key: random too, and nothing of the key.
    return Promise.resolve({
      id: crypto.randomUUID(),
      outs: { bytes: inputs.bytes, base64: crypto.randomBytes(inputs.bytes).toString("base64") },
    });
  },
};

/** The provider object, for tests. */
export const randomKeyProvider = provider;

/**
 * A random key (e.g. an HMAC key) generated once by a Pulumi dynamic resource and kept in the
 * stack's state: a secret there and in every output. @pulumi/random would need its provider
 * plugin; this runs in the language host, as TlsCertificate does.
 */
export class RandomKey extends pulumi.dynamic.Resource {
  /** The key, base64 (a secret). */
  declare readonly base64: pulumi.Output<string>;
  declare readonly bytes: pulumi.Output<number>;

  constructor(name: string, args: { bytes: number }, opts: pulumi.CustomResourceOptions = {}) {
    if (!Number.isInteger(args.bytes) || args.bytes < 16 || args.bytes > 1024) {
      throw new ArgumentError(subjectOf("RandomKey", name), "bytes", args.bytes, "expected a whole number from 16 to 1024");
    }
    super(
      provider,
      name,
      { bytes: args.bytes, base64: undefined },
      { ...opts, additionalSecretOutputs: [...(opts.additionalSecretOutputs ?? []), "base64"] },
      undefined,
      "RandomKey",
    );
    (this as { base64: pulumi.Output<string> }).base64 = pulumi.secret(this.base64);
  }
}
