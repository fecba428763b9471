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
// A host command's stdout: the RemediationWorkflow registration's is each workflow's id by name
// (JSON, which a stack reads, as in ../src/mock-outputs.ts); any other's is opaque text.
const stdout = (args) => {
  const names = ((args.inputs.environment || {}).WORKFLOW_NAMES || "").split("\n").filter((name) => name !== "");
  return names.length === 0 ? `stdout of ${args.name}` : JSON.stringify(Object.fromEntries(names.map((name) => [name, `id-of-${name}`])));
};
pulumi.runtime.setMocks(
  {
    newResource: (args) => ({
      id: `${args.name}-id`,
      state: { ...args.inputs, stdout: stdout(args), certificate: `certificate of ${args.name}`, metadata: { ...(args.inputs.metadata || {}), name: args.name, uid: `uid-of-${args.name}` }, status: {}, resources: [] },
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
