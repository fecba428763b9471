#!/usr/bin/env node
// The e2e-infra CLI. Stack programs are TypeScript: load them (and this tool) transpile-only,
// each file's output cached by its content (typescript-hook.cjs), as fast as `graph` and `plan`
// need to be on every CI change.
"use strict";
const path = require("node:path");
require("./typescript-hook.cjs").register(path.join(__dirname, "..", "tsconfig.json"));
require("../src/main.ts")
  .main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd() })
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error) => {
    console.error(`e2e-infra: ${error && error.stack ? error.stack : error}`);
    process.exitCode = 1;
  });
