#!/bin/sh
# Builds an image with Podman. Environment: IMAGE (name:tag), CONTEXT, DOCKERFILE, and optional
# TARGET, PLATFORM and BUILD_ARGS (one NAME=VALUE per line).
set -eu
command -v podman >/dev/null 2>&1 || { echo "podman is not installed (looked for it on PATH)" >&2; exit 127; }
set -- build --tag "$IMAGE" --file "$DOCKERFILE"
if [ -n "${TARGET:-}" ]; then set -- "$@" --target "$TARGET"; fi
if [ -n "${PLATFORM:-}" ]; then set -- "$@" --platform "$PLATFORM"; fi
if [ -n "${BUILD_ARGS:-}" ]; then
  while IFS= read -r arg; do
    if [ -n "$arg" ]; then set -- "$@" --build-arg "$arg"; fi
  done <<EOF_ARGS
$BUILD_ARGS
EOF_ARGS
fi
podman "$@" "$CONTEXT" >&2
