#!/usr/bin/env bash
# Builds the real-engine toolchain from Go modules into a cache outside the repository, keyed by
# what is built (every go.mod, go.sum, main.go and targets file below go/, and the Go version).
# Idempotent: a complete build for the same key is reused. Prints each build's wall time.
#
#   bash tools/engine/build.sh            # build what is missing; prints the bin directory last
#   bash tools/engine/build.sh --check    # build nothing: print the bin directory if complete, else
#                                         # name what is missing and exit 3
#   E2E_ENGINE_CACHE=/path bash ...       # cache root (default ~/.cache/e2e-infra/engine)
#
# Each directory under go/ is one Go module of ours. Its `targets` file lists, one per line:
#   <binary name> <package path> [<-ldflags value>]
# and each is built with `go build` inside that module (so its require and replace lines apply).
# A module with a gen/ directory first runs `go generate` (files it derives from the modules it
# requires, e.g. the Kubernetes provider's schema; not committed).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${E2E_ENGINE_CACHE:-$HOME/.cache/e2e-infra/engine}"

key="$( { go env GOVERSION; cd "$here/go" && find . -type f \( -name go.mod -o -name go.sum -o -name '*.go' -o -name targets \) -print0 | sort -z | xargs -0 sha256sum; } | sha256sum | cut -c1-16)"
bin="$cache/$key/bin"

if [ "${1:-}" = "--check" ]; then
  missing=""
  for module in "$here"/go/*/; do
    while read -r out _; do
      case "$out" in ''|'#'*) continue ;; esac
      [ -x "$bin/$out" ] || missing="$missing $out"
    done < "$module/targets"
  done
  if [ -n "$missing" ]; then
    echo "not built for this source (key $key):$missing" >&2
    exit 3
  fi
  echo "$bin"
  exit 0
fi
mkdir -p "$bin"

total_start=$(date +%s)
for module in "$here"/go/*/; do
  name="$(basename "$module")"
  generated=""
  while read -r out pkg ldflags; do
    case "$out" in ''|'#'*) continue ;; esac
    if [ -x "$bin/$out" ]; then
      echo "engine build: $out cached"
      continue
    fi
    if [ -d "$module/gen" ] && [ -z "$generated" ]; then
      start=$(date +%s)
      (cd "$module" && go generate .)
      generated=1
      echo "engine build: $name generated in $(( $(date +%s) - start )) s"
    fi
    start=$(date +%s)
    (cd "$module" && go build -trimpath -ldflags "-s -w ${ldflags:-}" -o "$bin/.$out.partial" "$pkg")
    mv "$bin/.$out.partial" "$bin/$out"
    echo "engine build: $out ($name) built in $(( $(date +%s) - start )) s"
  done < "$module/targets"
done
echo "engine build: done in $(( $(date +%s) - total_start )) s"
echo "$bin"
