#!/bin/sh
# Builds an image with the docker or podman CLI (IMAGE_TOOL). The CLI, unlike an API client,
# honours Docker contexts (colima, OrbStack, Rancher Desktop) and Podman's connections.
# --force-rm: a failed step of Docker's classic builder leaves no container behind (it kept one
# per failed build; Podman's default; BuildKit's docker build accepts it and has none to keep).
# Environment: IMAGE_TOOL, IMAGE (name:tag), CONTEXT, DOCKERFILE, and optional TARGET, PLATFORM,
# BUILD_ARGS (one NAME=VALUE per line) and CACHES (podman only: one SOURCE:TARGET per line, a
# host directory mounted read-write into every RUN step; a missing one is made 0777, as the
# Dockerfile's RUN steps write it as whatever user it names, and its missing parent 0700).
# With CACHES, no layer cache (--layers=false): Podman leaves each mount's target in the layer of
# every RUN step, created by root, and its layer cache does not tell builds with mounts from
# builds without, so a later build of the same Dockerfile without them would reuse those layers
# and fail to write there (Go: "failed to initialize build cache ... permission denied").
set -eu
command -v "$IMAGE_TOOL" >/dev/null 2>&1 || { echo "$IMAGE_TOOL is not installed (looked for it on PATH)" >&2; exit 127; }
set -- build --force-rm --tag "$IMAGE" --file "$DOCKERFILE"
if [ -n "${TARGET:-}" ]; then set -- "$@" --target "$TARGET"; fi
if [ -n "${PLATFORM:-}" ]; then set -- "$@" --platform "$PLATFORM"; fi
if [ -n "${BUILD_ARGS:-}" ]; then
  while IFS= read -r arg; do
    if [ -n "$arg" ]; then set -- "$@" --build-arg "$arg"; fi
  done <<EOF_ARGS
$BUILD_ARGS
EOF_ARGS
fi
if [ -n "${CACHES:-}" ]; then
  while IFS= read -r cache; do
    if [ -z "$cache" ]; then continue; fi
    source="${cache%%:*}"
    if [ ! -d "$source" ]; then
      parent="$(dirname "$source")"
      if [ ! -d "$parent" ]; then
        mkdir -p "$(dirname "$parent")"
        mkdir -m 0700 "$parent" 2>/dev/null || [ -d "$parent" ]
      fi
      mkdir -m 0777 "$source" 2>/dev/null || [ -d "$source" ]
    fi
    set -- "$@" --volume "$cache"
  done <<EOF_CACHES
$CACHES
EOF_CACHES
  set -- "$@" --layers=false
fi
"$IMAGE_TOOL" "$@" "$CONTEXT" >&2
