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
const args = process.argv.slice(2);
if (args[0] === "record") {
  require("../src/record.ts")
    .record(process.stdin, process.stdout)
    .catch((error) => {
      console.error(`e2e-infra record: ${error.message}`);
      process.exit(1);
    });
} else {
  require("../src/main.ts")
    .run(args)
    .then((text) => process.stdout.write(text))
    .catch((error) => {
      console.error(`e2e-infra: ${error.message}`);
      process.exit(1);
    });
}
