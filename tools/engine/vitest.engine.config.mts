import { defineProject } from "vitest/config";

// The real-engine suite: not the fast suite's `test` target (no vitest.config.mts here), run by
// `npm run test:engine`. Each file is a scenario on real control planes; they run one at a time
// so a scenario's timings are its own (two stacks at once is a scenario of its own).
// With E2E_ENGINE_TIMED (a scale factor, `npm run test:engine:timed`), only the timed mode runs.
const timed = process.env["E2E_ENGINE_TIMED"] !== undefined;
// Not merged with vitest.shared.mts: a merge would add its include patterns to these.
export default defineProject({
  test: {
    name: "engine",
    environment: "node",
    pool: "forks",
    reporters: ["default", "json"],
    include: timed ? ["test/timed.engine.test.ts"] : ["test/**/*.engine.test.ts"],
    exclude: timed ? [] : ["test/timed.engine.test.ts"],
    fileParallelism: false,
    testTimeout: 900_000,
    hookTimeout: 900_000,
    outputFile: { json: timed ? ".vitest/timed-results.json" : ".vitest/engine-results.json" },
  },
});
