#!/usr/bin/env bash
# The builder's Go: this machine's (tools/engine builds with it too), copied into the build
# context. A go.mod whose go line is newer makes the build fetch that toolchain itself
# (GOTOOLCHAIN=auto, as the service repository's Dockerfiles set it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
command -v go >/dev/null || { echo "go-toolset: no go on PATH (the builder stand-in takes this machine's Go)" >&2; exit 1; }
cp -a "$(go env GOROOT)" "$1/go"
cp "$here/../dnf" "$1/dnf"
