import { defineProject } from "vitest/config";

// The real-kind suite (`npm run test:real-kind`): stacks brought up by the real Pulumi engine on
// the real kind, with the node image, registry mirror and stand-in images tools/real-kind builds
// here; real containers in real pods. One file at a time: each brings up its own clusters, and
// their timings are their own. E2E_REAL_KIND_ONLY (a comma-separated list of file names, e.g.
// "demo") runs a named part, as CI does when the whole does not fit.
const only = process.env["E2E_REAL_KIND_ONLY"];
export default defineProject({
  test: {
    name: "real-kind",
    environment: "node",
    pool: "forks",
    reporters: ["default", "json"],
    include:
      only === undefined
        ? ["test/real-kind/*.real-kind.test.ts"]
        : only.split(",").map((name) => `test/real-kind/${name.trim()}.real-kind.test.ts`),
    fileParallelism: false,
    testTimeout: 1_200_000,
    hookTimeout: 1_800_000,
    outputFile: { json: ".vitest/real-kind-results.json" },
  },
});
