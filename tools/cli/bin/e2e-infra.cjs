#!/usr/bin/env node
// The e2e-infra CLI. Stack programs are TypeScript: load them (and this tool) through ts-node,
// transpile-only, as fast as `graph` and `plan` need to be on every CI change.
"use strict";
const path = require("node:path");
require("ts-node").register({
  transpileOnly: true,
  project: path.join(__dirname, "..", "tsconfig.json"),
  compilerOptions: { module: "nodenext", moduleResolution: "nodenext" },
});
require("../src/main.ts")
  .main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd() })
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error) => {
    console.error(`e2e-infra: ${error && error.stack ? error.stack : error}`);
    process.exitCode = 1;
  });
