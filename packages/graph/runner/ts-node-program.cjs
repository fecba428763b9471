// Runs a stack program the way Pulumi's Node.js runtime loads it (ts-node from the project's
// node_modules, the stack's tsconfig.json, type checking on, CommonJS), under Pulumi's mocks,
// and prints the names of its outputs as JSON. Argument: JSON {dir, project, stack, config}.
"use strict";
const path = require("node:path");
const { dir, project, stack, config } = JSON.parse(process.argv[2]);
process.chdir(dir);
require("ts-node").register({
  project: "tsconfig.json",
  compilerOptions: { target: "ES2020", module: "nodenext", moduleResolution: "nodenext", sourceMap: "true" },
});
const pulumi = require("@pulumi/pulumi");
pulumi.runtime.setMocks(
  {
    newResource: (args) => ({
      id: `${args.name}-id`,
      state: { ...args.inputs, stdout: `stdout of ${args.name}`, certificate: `certificate of ${args.name}`, metadata: { ...(args.inputs.metadata || {}), name: args.name, uid: `uid-of-${args.name}` }, status: {}, resources: [] },
    }),
    call: () => ({}),
  },
  project,
  stack,
);
pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(config).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)])));
const program = require(path.join(dir, "index.ts"));
Promise.resolve(typeof program === "function" ? program() : program).then(
  (outputs) => console.log(JSON.stringify(Object.keys(outputs ?? {}).sort())),
  (error) => {
    console.error(error && error.stack ? error.stack : String(error));
    process.exit(1);
  },
);
