#!/bin/sh
# Builds an image with the docker or podman CLI (IMAGE_TOOL). The CLI, unlike an API client,
# honours Docker contexts (colima, OrbStack, Rancher Desktop) and Podman's connections.
# --force-rm: a failed step of Docker's classic builder leaves no container behind (it kept one
# per failed build; Podman's default; BuildKit's docker build accepts it and has none to keep).
# Environment: IMAGE_TOOL, IMAGE (name:tag), CONTEXT, DOCKERFILE, and optional TARGET, PLATFORM
# and BUILD_ARGS (one NAME=VALUE per line).
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
"$IMAGE_TOOL" "$@" "$CONTEXT" >&2
