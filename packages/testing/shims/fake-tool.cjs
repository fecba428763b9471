#!/usr/bin/env node
// A stand-in for kind, podman or docker (the name it is invoked as), for testing host scripts
// where the real tool cannot run. It appends {tool, argv, env, cwd, stdin} to $SHIM_LOG as one
// JSON line and keeps a small world in $SHIM_STATE (clusters, images, loaded images), so the
// scripts' control flow meets the answers the real tools give:
//   kind get clusters | create cluster | delete cluster | get kubeconfig | load image-archive
//   podman|docker build | save -o | image inspect [--format {{.Id}}] | rmi
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const tool = path.basename(process.argv[1]);
const argv = process.argv.slice(2);
const statePath = process.env.SHIM_STATE;
const state = fs.existsSync(statePath)
  ? JSON.parse(fs.readFileSync(statePath, "utf8"))
  : { clusters: {}, images: {}, failures: {} };

let stdin = "";
if (argv.includes("-") || argv.includes("--config=-")) stdin = fs.readFileSync(0, "utf8");

const env = {};
for (const [key, value] of Object.entries(process.env)) {
  if (!key.startsWith("SHIM_") && key !== "PATH" && key !== "PWD" && key !== "SHLVL" && key !== "_") env[key] = value;
}
fs.appendFileSync(process.env.SHIM_LOG, JSON.stringify({ tool, argv, env, cwd: process.cwd(), stdin }) + "\n");

function save() {
  fs.writeFileSync(statePath, JSON.stringify(state, null, 2));
}
function flag(name) {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === name) return argv[i + 1];
    if (argv[i].startsWith(name + "=")) return argv[i].slice(name.length + 1);
  }
  return undefined;
}
function fail(message, code = 1) {
  process.stderr.write(`ERROR: ${message}\n`);
  process.exit(code);
}
function kubeconfig(name) {
  return `apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: https://127.0.0.1:6443\n  name: kind-${name}\ncurrent-context: kind-${name}\n`;
}

const words = argv.filter((arg) => !arg.startsWith("-")).slice(0, 2).join(" ");
const injected = state.failures[`${tool} ${words}`];
if (injected) fail(injected);

if (tool === "kind") {
  const name = flag("--name") ?? flag("-n") ?? "kind";
  if (words === "get clusters") {
    const names = Object.keys(state.clusters);
    if (names.length === 0) process.stderr.write("No kind clusters found.\n");
    else process.stdout.write(names.join("\n") + "\n");
  } else if (words === "create cluster") {
    if (state.clusters[name]) fail(`failed to create cluster: node(s) already exist for a cluster with the name "${name}"`);
    const configFile = flag("--config");
    const config = configFile === undefined ? "" : configFile === "-" ? stdin : fs.readFileSync(configFile, "utf8");
    state.clusters[name] = { config, images: [] };
    const target = flag("--kubeconfig");
    if (target !== undefined) fs.writeFileSync(target, kubeconfig(name));
    process.stderr.write(`Creating cluster "${name}" ...\n`);
    save();
  } else if (words === "delete cluster") {
    process.stderr.write(`Deleting cluster "${name}" ...\n`);
    delete state.clusters[name];
    save();
  } else if (words === "get kubeconfig") {
    if (!state.clusters[name]) fail(`could not locate any control plane nodes for cluster named '${name}'`);
    process.stdout.write(kubeconfig(name) + "\n");
  } else if (words === "load image-archive") {
    const archive = argv.filter((arg) => !arg.startsWith("-"))[2];
    if (!state.clusters[name]) fail(`no nodes found for cluster "${name}"`);
    if (archive === undefined || !fs.existsSync(archive)) fail(`failed to load image: archive ${archive} does not exist`);
    state.clusters[name].images.push(fs.readFileSync(archive, "utf8"));
    save();
  } else {
    fail(`fake kind does not know "${argv.join(" ")}"`, 64);
  }
} else if (tool === "podman" || tool === "docker") {
  const positional = argv.filter((arg, i) => !arg.startsWith("-") && !(i > 0 && ["-t", "-f", "-o", "--target", "--platform", "--build-arg", "--tag", "--file", "--output", "--format"].includes(argv[i - 1])));
  if (argv[0] === "build") {
    const tag = flag("-t") ?? flag("--tag");
    const context = positional[positional.length - 1];
    if (context === undefined || !fs.existsSync(context)) fail(`build context ${context} not found`, 125);
    state.images[tag] = { built: true };
    save();
  } else if (argv[0] === "save") {
    const output = flag("-o") ?? flag("--output");
    const image = positional[1];
    if (!state.images[image]) fail(`${image}: image not known`, 125);
    fs.writeFileSync(output, `archive of ${image}`);
  } else if (argv[0] === "image" && argv[1] === "inspect") {
    if (!state.images[positional[2]]) fail(`no such image ${positional[2]}`, 125);
    // With --format {{.Id}}: an id derived from the reference, as stable as a real one.
    const id = "sha256:" + require("node:crypto").createHash("sha256").update(positional[2]).digest("hex");
    process.stdout.write(flag("--format") === "{{.Id}}" ? `${id}\n` : "[{}]\n");
  } else if (argv[0] === "rmi") {
    delete state.images[positional[1]];
    save();
  } else {
    fail(`fake ${tool} does not know "${argv.join(" ")}"`, 64);
  }
} else {
  fail(`fake-tool: no behaviour for ${tool}`, 64);
}
