#!/usr/bin/env bash
# Puts Node 22 into .tools/node22 (idempotent). Then: export PATH="$PWD/.tools/node22/node_modules/.bin:$PATH"
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=.tools/node22
if [ -x "$prefix/node_modules/.bin/node" ] && "$prefix/node_modules/.bin/node" --version | grep -q '^v22\.'; then
  exit 0
fi
mkdir -p "$prefix"
# The `node` package's preinstall installs its platform binary (another registry package):
# allow that one script, nothing else.
printf '{ "private": true, "allowScripts": { "node": true } }\n' >"$prefix/package.json"
npm install --prefix "$prefix" --no-save --no-audit --no-fund node@22 >/dev/null
"$prefix/node_modules/.bin/node" --version | grep -q '^v22\.' || { echo "Node 22 did not install into $prefix" >&2; exit 1; }
