#!/bin/sh
# Puts a registry image into the host's image store with the docker or podman CLI (IMAGE_TOOL),
# for load-image.sh to load into kind. An image the host already has is kept, as a pod's
# IfNotPresent keeps a node's: a machine that pulled it before, or that holds a local stand-in
# under that name, needs no registry. Give a tag or digest: a moving tag is not pulled again.
# Environment: IMAGE_TOOL (docker or podman), IMAGE (the reference).
set -eu
command -v "$IMAGE_TOOL" >/dev/null 2>&1 || { echo "$IMAGE_TOOL is not installed (looked for it on PATH)" >&2; exit 127; }
if "$IMAGE_TOOL" image inspect "$IMAGE" >/dev/null 2>&1; then
  exit 0
fi
"$IMAGE_TOOL" pull "$IMAGE" >&2
