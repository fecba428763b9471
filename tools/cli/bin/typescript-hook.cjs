// How the e2e-infra CLI loads TypeScript (its own sources, the packages and the stack programs
// it runs): a require hook for `.ts` that transpiles each file as ts-node's transpile-only mode
// did (TypeScript's transpileModule with the given tsconfig, module nodenext, which is CommonJS
// here: the same JavaScript, byte for byte but the source map), and keeps the output in a cache
// keyed by the file's content. A warm run loads no TypeScript compiler, and V8's compile cache
// (Node 22) keeps the compiled JavaScript of every module, node_modules included.
//
// Without the cache, every run sent each of about 100 files through TypeScript's emitter and
// loaded typescript, ts-node and its source-map support: two thirds of a `graph` run's CPU time.
//
// The cache: $E2E_CLI_CACHE, else $XDG_CACHE_HOME/e2e-infra/cli, else ~/.cache/e2e-infra/cli;
// `typescript/` holds one file per transpiled content (keyed by the source, its file name, the
// tsconfig and TypeScript's version: a checkout's clone shares it) and `v8/` V8's code cache.
// Once a day a run removes what is older than a week (made again when next needed), so edits
// and temporary clones do not pile up. E2E_CLI_CACHE=off transpiles every time and writes nothing. Each output carries its source map inline: NODE_OPTIONS=--enable-source-maps
// makes stack traces point into the TypeScript (off by default: Node then reads every
// dependency's source map too, a third of a second per run).
"use strict";
const { createHash } = require("node:crypto");
const fs = require("node:fs");
const Module = require("node:module");
const os = require("node:os");
const path = require("node:path");

/** Bump when what this hook emits changes (the options below). */
const FORMAT = "2";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Cache files older than this are removed (once a day), and made again when next needed. */
const KEEP_MS = 7 * DAY_MS;

/** The cache directory, or undefined when E2E_CLI_CACHE=off. */
function cacheDirectory(env = process.env) {
  const configured = env["E2E_CLI_CACHE"];
  if (configured === "off") return undefined;
  if (configured !== undefined && configured !== "") return path.resolve(configured);
  return path.join(env["XDG_CACHE_HOME"] || path.join(os.homedir(), ".cache"), "e2e-infra", "cli");
}

/** The tsconfig's text and that of every file it extends (a changed option changes every key). */
function configTexts(tsconfig) {
  const texts = [];
  for (let file = tsconfig; file !== undefined;) {
    const text = fs.readFileSync(file, "utf8");
    texts.push(text);
    const extended = /"extends"\s*:\s*"([^"]+)"/.exec(text);
    file = extended === null ? undefined : path.resolve(path.dirname(file), extended[1]);
  }
  return texts;
}

const sha256 = (text) => createHash("sha256").update(text).digest("hex");

/**
 * Writes `text` to `file` through a temporary file and a rename, so a concurrent run reads the
 * old entry or the new one, never half of one. A cache that cannot be written (a read-only or
 * full disk) only makes the next run slower: those errors are not the command's.
 */
function writeAtomically(file, text) {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(temporary, text);
    fs.renameSync(temporary, file);
  } catch (error) {
    if (!["EACCES", "EPERM", "EROFS", "ENOSPC", "EDQUOT", "ENOTDIR"].includes(error.code)) throw error;
    fs.rmSync(temporary, { force: true });
  }
}

/**
 * Removes the files under `directory` older than KEEP_MS, at most once a day (the `.pruned`
 * file's time says when it last ran). Another run may be reading or writing meanwhile: an entry
 * gone is a miss for it, and a file that went between listing and removing is no error.
 */
function prune(directory, now = Date.now()) {
  const marker = path.join(directory, ".pruned");
  try {
    if (now - fs.statSync(marker).mtimeMs < DAY_MS) return;
  } catch (error) {
    if (error.code !== "ENOENT") throw error;
  }
  writeAtomically(marker, "");
  const walk = (dir) => {
    let names;
    try {
      names = fs.readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      if (error.code === "ENOENT") return;
      throw error;
    }
    for (const entry of names) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name !== ".pruned") {
        try {
          if (now - fs.statSync(file).mtimeMs > KEEP_MS) fs.rmSync(file, { force: true });
        } catch (error) {
          if (error.code !== "ENOENT") throw error;
        }
      }
    }
  };
  walk(directory);
}

/** A transpiler for `.ts` with `tsconfig`'s options; TypeScript is loaded on its first use. */
function transpiler(tsconfig) {
  let typescript;
  let compilerOptions;
  return (source, filename) => {
    if (typescript === undefined) {
      typescript = require("typescript");
      const { config, error } = typescript.readConfigFile(tsconfig, typescript.sys.readFile);
      if (error !== undefined) throw new Error(typescript.flattenDiagnosticMessageText(error.messageText, "\n"));
      const parsed = typescript.parseJsonConfigFileContent(config, typescript.sys, path.dirname(tsconfig));
      compilerOptions = {
        ...parsed.options,
        module: typescript.ModuleKind.NodeNext,
        moduleResolution: typescript.ModuleResolutionKind.NodeNext,
        // As ts-node emits (its fixed options), with the source map inline for Node's own support.
        sourceMap: false,
        inlineSourceMap: true,
        inlineSources: true,
        declaration: false,
        declarationMap: false,
        emitDeclarationOnly: false,
        composite: false,
        incremental: false,
        noEmit: false,
        outDir: undefined,
        outFile: undefined,
        rootDir: undefined,
        declarationDir: undefined,
        tsBuildInfoFile: undefined,
      };
    }
    const result = typescript.transpileModule(source, { fileName: filename, compilerOptions, reportDiagnostics: true });
    // As ts-node: 6059 (rootDir), 18002 and 18003 (the tsconfig's files) are not one file's errors.
    const errors = (result.diagnostics ?? []).filter(
      (diagnostic) => diagnostic.category === typescript.DiagnosticCategory.Error && ![6059, 18002, 18003].includes(diagnostic.code),
    );
    if (errors.length > 0) {
      const host = { getCanonicalFileName: (name) => name, getCurrentDirectory: () => process.cwd(), getNewLine: () => "\n" };
      throw new Error(`could not transpile ${filename}:\n${typescript.formatDiagnostics(errors, host)}`);
    }
    return result.outputText;
  };
}

/** Registers the `.ts` hook with the compiler options of `tsconfig`, and V8's compile cache. */
function register(tsconfig) {
  const directory = cacheDirectory();
  if (directory !== undefined) {
    prune(directory);
    if (typeof Module.enableCompileCache === "function") Module.enableCompileCache(path.join(directory, "v8"));
  }
  const transpile = transpiler(tsconfig);
  // What an output depends on besides its source: this hook's format, the compiler, the tsconfig,
  // and the file's name (its inline source map names it; the directory is not in it).
  const seed = [FORMAT, require("typescript/package.json").version, ...configTexts(tsconfig)].join("\0");
  require.extensions[".ts"] = (module, filename) => {
    const source = fs.readFileSync(filename, "utf8");
    if (directory === undefined) return module._compile(transpile(source, filename), filename);
    const key = sha256(`${seed}\0${path.basename(filename)}\0${source}`).slice(0, 40);
    const entry = path.join(directory, "typescript", `${key}.js`);
    let output;
    try {
      output = fs.readFileSync(entry, "utf8");
    } catch (error) {
      if (error.code !== "ENOENT") throw error;
      output = transpile(source, filename);
      writeAtomically(entry, output);
    }
    return module._compile(output, filename);
  };
}

module.exports = { cacheDirectory, register };
