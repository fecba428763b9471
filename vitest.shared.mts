import { defineConfig } from "vitest/config";

/** Settings every workspace's vitest.config.ts merges in. */
export default defineConfig({
  test: {
    environment: "node",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Pulumi's runtime keeps its state in process globals: one test file per process.
    pool: "forks",
    isolate: true,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The JSON report lets .ci/run print one "N passed, N failed" line for all workspaces.
    reporters: ["default", "json"],
    outputFile: { json: ".vitest/results.json" },
  },
});
