// Sums the vitest JSON reports of every workspace into one closing line: "N passed, N failed".
// `node .ci/summary.mjs engine` reads the real-engine suite's report instead ("engine: ..."),
// `node .ci/summary.mjs real-kind` the real-kind suite's ("real-kind: ..."), and
// `node .ci/summary.mjs hermetic` the second run of the tool-dependent tests ("hermetic: ...").
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

let passed = 0;
let failed = 0;
let skipped = 0;
let reports = 0;
const engine = process.argv[2] === "engine";
const realKind = process.argv[2] === "real-kind";
const hermetic = process.argv[2] === "hermetic";
const names = engine
  ? ["engine-results.json", "timed-results.json"]
  : realKind
    ? ["real-kind-results.json"]
    : hermetic
      ? ["hermetic-results.json"]
      : ["results.json"];
for (const group of ["packages", "stacks", "tools"]) {
  if (!existsSync(group)) continue;
  for (const workspace of readdirSync(group)) {
    for (const name of names) {
      const file = join(group, workspace, ".vitest", name);
      if (!existsSync(file)) continue;
      const report = JSON.parse(readFileSync(file, "utf8"));
      reports += 1;
      passed += report.numPassedTests;
      failed += report.numFailedTests;
      skipped += report.numPendingTests + report.numTodoTests;
    }
  }
}
if (reports === 0) {
  console.error("no vitest reports found: no test ran");
  process.exit(1);
}
console.log(
  engine || realKind
    ? `${engine ? "engine" : "real-kind"}: ${passed} passed, ${failed} failed`
    : `${hermetic ? "hermetic" : "tests"}: ${passed} passed, ${failed} failed, ${skipped} skipped`,
);
process.exit(failed > 0 ? 1 : 0);
