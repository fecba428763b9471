#!/usr/bin/env bash
# Everything the real-kind suite needs, built or started when missing (each step is cached, so a
# second run takes seconds): the suite's Docker daemon (daemon.sh), the toolchain and node image
# (images.sh), the nodes' registry mirror (mirror.sh) holding the stand-ins of the registry
# images the stacks pull (stand-ins/). Prints, last, the lines the suite reads:
#   DOCKER_HOST=<the test daemon>
#   E2E_REAL_KIND_BIN=<directory of kind, kubectl and the rest>
#   E2E_REAL_KIND_NODE_IMAGE=<node image>
set -euo pipefail
shopt -s inherit_errexit
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

# What it runs, by the Debian package that has it (Go: 1.26, from go.dev): all missing ones named at once.
missing=""
for need in dockerd:docker.io docker:docker.io mmdebstrap:mmdebstrap skopeo:skopeo docker-registry:docker-registry \
  jq:jq gcc:gcc ip:iproute2 go:go-1.26-with-its-module-proxy; do
  command -v "${need%%:*}" >/dev/null 2>&1 || missing="$missing ${need#*:}"
done
[ -f /usr/include/seccomp.h ] || missing="$missing libseccomp-dev"
if [ -n "$missing" ]; then
  echo "prepare.sh: missing on this machine (Debian packages):$missing" >&2
  exit 1
fi

DOCKER_HOST="$(bash "$here/daemon.sh" start)"
export DOCKER_HOST
bash "$root/tools/engine/build.sh" --go "$here/go" >&2
bin="$(bash "$root/tools/engine/build.sh" --go "$here/go" --check)"
node_image="$(bash "$here/images.sh")"
bash "$here/mirror.sh" start
for dir in "$here"/stand-ins/*/; do
  start=$(date +%s)
  mapfile -t refs < <(bash "$here/stand-ins/build.sh" "$(basename "$dir")")
  bash "$here/mirror.sh" push "${refs[@]}"
  echo "real-kind stand-in: ${refs[*]} ($(( $(date +%s) - start )) s)" >&2
done
echo "DOCKER_HOST=$DOCKER_HOST"
echo "E2E_REAL_KIND_BIN=$bin"
echo "E2E_REAL_KIND_NODE_IMAGE=$node_image"
