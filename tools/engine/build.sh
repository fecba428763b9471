#!/usr/bin/env bash
# Builds the real-engine toolchain from Go modules into a cache outside the repository. Each
# module is cached on its own, keyed by its own files (go.mod, go.sum, Go files, targets) and the
# Go version, so adding or changing one module rebuilds only that module's binaries. One bin
# directory holds every binary (hard links into the modules' directories), keyed by the set of
# module keys. Idempotent: a complete build for the same key is reused. Prints each build's wall
# time.
#
#   bash tools/engine/build.sh                # build what is missing; prints the bin directory last
#   bash tools/engine/build.sh --check        # build nothing: print the bin directory if complete,
#                                             # else name what is missing and exit 3
#   bash tools/engine/build.sh --only helm    # build just that binary; prints the directory holding
#                                             # it (its module's, with no other module's binaries)
#   bash tools/engine/build.sh --check --only helm   # build nothing: print that directory, or exit 3
#   bash tools/engine/build.sh --go tools/real-kind/go   # another set of modules (the real-kind
#                                             # toolchain), in the same cache
#   E2E_ENGINE_CACHE=/path bash ...           # cache root (default ~/.cache/e2e-infra/engine)
#
# Layout under the cache root:
#   modules/<module>/<module key>/bin   one module's binaries
#   <key>/bin                           every binary, <key> hashing the modules' names and keys
#
# Each directory under go/ (or the --go directory) is one Go module of ours. Its `targets` file lists, one per line:
#   <binary name> <package path> [<-ldflags value>]
# and each is built with `go build` inside that module (so its require and replace lines apply).
# A module with a gen/ directory first runs `go generate` (files it derives from the modules it
# requires, e.g. the Kubernetes provider's schema; not committed). A module with a `tags` file
# builds with the build tags on its one line (e.g. goose without the database drivers it does
# not need).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${E2E_ENGINE_CACHE:-$HOME/.cache/e2e-infra/engine}"

check=""
only=""
godir="$here/go"
while [ $# -gt 0 ]; do
  case "$1" in
    --check) check=1 ;;
    --only)
      [ $# -ge 2 ] || { echo "build.sh: --only needs a binary name" >&2; exit 2; }
      only="$2"
      shift
      ;;
    --go)
      [ $# -ge 2 ] && [ -d "$2" ] || { echo "build.sh: --go needs a directory of Go modules" >&2; exit 2; }
      godir="$(cd "$2" && pwd)"
      shift
      ;;
    *) echo "build.sh: unknown argument: $1 (usage: build.sh [--check] [--only <binary>] [--go <dir>])" >&2; exit 2 ;;
  esac
  shift
done

goversion="$(go env GOVERSION)"

# The key of one module: the Go version and the module's own files.
module_key() {
  { echo "$goversion"; cd "$1" && find . -type f \( -name go.mod -o -name go.sum -o -name '*.go' -o -name targets -o -name tags \) -print0 | sort -z | xargs -0 sha256sum; } \
    | sha256sum | cut -c1-16
}

# The binary names a module's targets file lists.
targets_of() {
  local out _
  while read -r out _; do
    case "$out" in ''|'#'*) continue ;; esac
    echo "$out"
  done < "$1/targets"
}

# Builds one module's binaries into its bin directory: all of them, or only the one named in $3.
build_module() {
  local module="$1" modbin="$2" want="${3:-}" name generated="" out pkg ldflags start
  name="$(basename "$module")"
  mkdir -p "$modbin"
  while read -r out pkg ldflags; do
    case "$out" in ''|'#'*) continue ;; esac
    [ -z "$want" ] || [ "$out" = "$want" ] || continue
    if [ -x "$modbin/$out" ]; then
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
    tags=""
    if [ -f "$module/tags" ]; then tags="$(head -n 1 "$module/tags")"; fi
    (cd "$module" && go build -trimpath -tags "$tags" -ldflags "-s -w ${ldflags:-}" -o "$modbin/.$out.partial.$$" "$pkg")
    mv "$modbin/.$out.partial.$$" "$modbin/$out"
    echo "engine build: $out ($name) built in $(( $(date +%s) - start )) s"
  done < "$module/targets"
}

modules=()
keys=()
for module in "$godir"/*/; do
  module="${module%/}"
  modules+=("$module")
  keys+=("$(module_key "$module")")
done

if [ -n "$only" ]; then
  for i in "${!modules[@]}"; do
    if targets_of "${modules[$i]}" | grep -qxF -- "$only"; then
      modbin="$cache/modules/$(basename "${modules[$i]}")/${keys[$i]}/bin"
      if [ -n "$check" ]; then
        [ -x "$modbin/$only" ] || { echo "not built for this source: $only (in $modbin)" >&2; exit 3; }
      else
        total_start=$(date +%s)
        build_module "${modules[$i]}" "$modbin" "$only"
        echo "engine build: done in $(( $(date +%s) - total_start )) s"
      fi
      echo "$modbin"
      exit 0
    fi
  done
  echo "build.sh: no module under $godir builds $only" >&2
  exit 2
fi

key="$(for i in "${!modules[@]}"; do echo "$(basename "${modules[$i]}") ${keys[$i]}"; done | sha256sum | cut -c1-16)"
bin="$cache/$key/bin"

if [ -n "$check" ]; then
  missing=""
  unlinked=""
  for i in "${!modules[@]}"; do
    modbin="$cache/modules/$(basename "${modules[$i]}")/${keys[$i]}/bin"
    for out in $(targets_of "${modules[$i]}"); do
      if ! [ -x "$modbin/$out" ]; then
        missing="$missing $out"
      elif ! [ -x "$bin/$out" ]; then
        unlinked="$unlinked $out"
      fi
    done
  done
  if [ -n "$missing$unlinked" ]; then
    echo "${missing:+not built for this source (key $key):$missing}${missing:+${unlinked:+; }}${unlinked:+built, not yet linked into $bin:$unlinked}" >&2
    exit 3
  fi
  echo "$bin"
  exit 0
fi

total_start=$(date +%s)
mkdir -p "$bin"
for i in "${!modules[@]}"; do
  modbin="$cache/modules/$(basename "${modules[$i]}")/${keys[$i]}/bin"
  build_module "${modules[$i]}" "$modbin"
  for out in $(targets_of "${modules[$i]}"); do
    # A hard link (the same file, so a binary's own directory is the bin directory); a copy
    # where the file system refuses one.
    if ! [ "$bin/$out" -ef "$modbin/$out" ]; then
      ln -f "$modbin/$out" "$bin/$out" 2>/dev/null || cp -f "$modbin/$out" "$bin/$out"
    fi
  done
done
echo "engine build: done in $(( $(date +%s) - total_start )) s"
echo "$bin"
