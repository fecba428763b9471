#!/usr/bin/env node
// One engine operation on one stack (runStack of @e2e-infra/cli/stack-run). Argument: a StackRun as JSON.
// Prints the StackRunResult as JSON on the last line of stdout; the engine's progress goes to
// stderr. Stack programs are TypeScript: loaded as the e2e-infra CLI loads them, transpile-only,
// each file's output cached by its content (@e2e-infra/cli/typescript-hook; the stacks'
// typecheck target checks their types), so an operation starts as `e2e-infra up` does.
"use strict";
const path = require("node:path");
require("@e2e-infra/cli/typescript-hook").register(path.join(__dirname, "..", "tsconfig.json"));
require("@e2e-infra/cli/stack-run")
  .runStack(JSON.parse(process.argv[2]))
  .then((result) => process.stdout.write(JSON.stringify(result) + "\n"))
  .catch((error) => {
    console.error(`pulumi-stack: ${error && error.stack ? error.stack : error}`);
    process.exit(1);
  });
