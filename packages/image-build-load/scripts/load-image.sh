#!/bin/sh
# Loads a locally built image into a kind cluster through an image archive, which works for
# Docker and Podman images alike. The archive lives in a fresh temporary directory named after
# the stack and resource, and is removed on exit, also on SIGINT or SIGTERM.
# The archive holds one platform whenever the CLI's `save` takes --platform: the build's
# PLATFORM, else the daemon's os/arch. With Docker's containerd image store an image can be an
# index of several platforms of which only one is stored, and an archive of all of them fails
# `kind load`. Docker's CLI lists --platform in `save --help` only from Docker 28 on, and only
# when the daemon's API (1.48+) has it; Podman's `save` has no --platform today.
# Environment: IMAGE, IMAGE_TOOL (docker or podman), KIND_CLUSTER_NAME, ARCHIVE_PREFIX, and
# optional KIND_EXPERIMENTAL_PROVIDER and PLATFORM.
set -eu
command -v kind >/dev/null 2>&1 || { echo "kind is not installed (looked for it on PATH)" >&2; exit 127; }
command -v "$IMAGE_TOOL" >/dev/null 2>&1 || { echo "$IMAGE_TOOL is not installed (looked for it on PATH)" >&2; exit 127; }
set -- save
if "$IMAGE_TOOL" save --help 2>/dev/null | grep -q -e '--platform'; then
  platform=${PLATFORM:-}
  if [ -z "$platform" ] && [ "$IMAGE_TOOL" = docker ]; then
    platform=$(docker version --format '{{.Server.Os}}/{{.Server.Arch}}')
  elif [ -z "$platform" ]; then
    platform=$("$IMAGE_TOOL" info --format '{{.Host.OS}}/{{.Host.Arch}}')
  fi
  set -- "$@" --platform "$platform"
fi
# An archive directory left by a run killed before its trap could run (the engine stops a
# provider with SIGINT to its process group, then SIGKILL 5 s later) is removed first: the
# prefix is this stack's and resource's, and a stack runs one operation at a time.
rm -rf "${TMPDIR:-/tmp}/$ARCHIVE_PREFIX".??????
# The traps come first, so a signal at any point after the directory exists removes it. sh runs
# the EXIT trap on a signal only when the signal is trapped too.
work=""
trap 'if [ -n "$work" ]; then rm -rf -- "$work"; fi' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
work=$(mktemp -d "${TMPDIR:-/tmp}/$ARCHIVE_PREFIX.XXXXXX")
"$IMAGE_TOOL" "$@" -o "$work/image.tar" "$IMAGE" >&2
kind load image-archive "$work/image.tar" --name "$KIND_CLUSTER_NAME" >&2
