#!/bin/sh
# Loads a locally built image into a kind cluster through an image archive, which works for
# Docker and Podman images alike. The archive lives in a fresh temporary directory named after
# the stack and resource, and is removed on exit.
# Environment: IMAGE, IMAGE_TOOL (docker or podman), KIND_CLUSTER_NAME, ARCHIVE_PREFIX,
# KIND_EXPERIMENTAL_PROVIDER (optional).
set -eu
command -v kind >/dev/null 2>&1 || { echo "kind is not installed (looked for it on PATH)" >&2; exit 127; }
command -v "$IMAGE_TOOL" >/dev/null 2>&1 || { echo "$IMAGE_TOOL is not installed (looked for it on PATH)" >&2; exit 127; }
work=$(mktemp -d "${TMPDIR:-/tmp}/$ARCHIVE_PREFIX.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$IMAGE_TOOL" save -o "$work/image.tar" "$IMAGE" >&2
kind load image-archive "$work/image.tar" --name "$KIND_CLUSTER_NAME" >&2
