#!/usr/bin/env node
// One engine operation on one stack (runStack of @e2e-infra/cli/stack-run). Argument: a StackRun as JSON.
// Prints the StackRunResult as JSON on the last line of stdout; the engine's progress goes to
// stderr. Stack programs are TypeScript: loaded through ts-node, transpile-only (the stacks'
// typecheck target checks their types).
"use strict";
const path = require("node:path");
require("ts-node").register({
  transpileOnly: true,
  project: path.join(__dirname, "..", "tsconfig.json"),
  compilerOptions: { module: "nodenext", moduleResolution: "nodenext" },
});
require("@e2e-infra/cli/stack-run")
  .runStack(JSON.parse(process.argv[2]))
  .then((result) => process.stdout.write(JSON.stringify(result) + "\n"))
  .catch((error) => {
    console.error(`pulumi-stack: ${error && error.stack ? error.stack : error}`);
    process.exit(1);
  });
