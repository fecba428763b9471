#!/usr/bin/env bash
# goose v3.27.2, as the engine toolchain builds it from its Go module (tools/engine/go/goose:
# without the drivers of databases other than PostgreSQL, as the repository's Dockerfile builds it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="$(bash "$here/../../../engine/build.sh" --only goose | tail -n 1)"
cp "$bin/goose" "$1/goose"
