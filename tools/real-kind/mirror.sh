#!/usr/bin/env bash
# The kind nodes' registry mirror, in the test daemon (DOCKER_HOST, from daemon.sh): Debian's
# docker-registry in a container named e2e-registry on the "kind" network, the way kind's docs
# run a local registry. The node image built here (images.sh) sends every pull from the
# registries in MIRRORED_REGISTRIES to it first (containerd hosts.toml, path
# /v2/<registry>/...), and to the registry itself when the mirror lacks the image. Images go in
# under their own names, so a pod asking for postgres:16-alpine gets the stand-in of that name.
#
#   bash tools/real-kind/mirror.sh start            # starts it unless it runs (host side: 127.0.0.1:5001)
#   bash tools/real-kind/mirror.sh push IMAGE...    # copies local images of the test daemon into it
set -euo pipefail
shopt -s inherit_errexit
name=e2e-registry
image=e2e-infra/registry:debian
host=127.0.0.1:5001

[ -n "${DOCKER_HOST:-}" ] || { echo "mirror.sh: DOCKER_HOST is not set: run it against the test daemon (bash tools/real-kind/daemon.sh start prints its address)" >&2; exit 2; }

# An image reference with its registry and, on Docker Hub, "library/": postgres:16-alpine ->
# docker.io/library/postgres:16-alpine.
normalized() {
  local ref="$1" first="${1%%/*}"
  if [ "$first" = "$ref" ]; then
    ref="docker.io/library/$ref"
  elif ! { [[ "$first" == *.* ]] || [[ "$first" == *:* ]] || [ "$first" = localhost ]; }; then
    ref="docker.io/$ref"
  fi
  echo "$ref"
}

case "${1:-}" in
  start)
    command -v docker-registry >/dev/null || { echo "mirror.sh: docker-registry is not installed (Debian: apt-get install docker-registry)" >&2; exit 1; }
    # kind's network with a subnet of its own (kind takes the network there is): the daemon has no
    # address pools (daemon.sh says why), and docker's defaults start at the user's 172.17.0.0/16.
    docker network inspect kind >/dev/null 2>&1 || docker network create --subnet 172.30.0.0/24 kind >/dev/null
    if ! docker image inspect "$image" >/dev/null 2>&1; then
      root="$(mktemp -d "${TMPDIR:-/tmp}/e2e-registry.XXXXXX")"
      trap 'rm -rf "$root"' EXIT
      registry="$(command -v docker-registry)"
      for file in "$registry" $(ldd "$registry" | grep -o '/[^ ]*'); do
        mkdir -p "$root$(dirname "$file")"
        cp -L "$file" "$root$file"
      done
      mkdir -p "$root/etc/docker/registry" "$root/var/lib/registry"
      printf 'version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: /var/lib/registry\nhttp:\n  addr: :5000\n' > "$root/etc/docker/registry/config.yml"
      tar -C "$root" -cf - . | docker import \
        --change "ENTRYPOINT [\"$registry\", \"serve\", \"/etc/docker/registry/config.yml\"]" \
        --change 'LABEL io.e2e-infra.stand-in="a pull-through registry mirror (Debian docker-registry)"' - "$image" >/dev/null
    fi
    if [ "$(docker inspect -f '{{.State.Running}}' "$name" 2>/dev/null)" != true ]; then
      docker rm -f "$name" >/dev/null 2>&1 || true
      docker run -d --name "$name" --network kind -p "$host:5000" --restart unless-stopped "$image" >/dev/null
    fi
    for _ in $(seq 1 50); do
      curl -fsS "http://$host/v2/" >/dev/null 2>&1 && exit 0
      sleep 0.2
    done
    echo "mirror.sh: the registry does not answer at http://$host/v2/ (docker logs $name)" >&2
    exit 1
    ;;
  push)
    shift
    command -v skopeo >/dev/null || { echo "mirror.sh: skopeo is not installed (Debian: apt-get install skopeo)" >&2; exit 1; }
    for ref in "$@"; do
      skopeo copy --quiet --src-daemon-host "$DOCKER_HOST" --dest-tls-verify=false "docker-daemon:$ref" "docker://$host/$(normalized "$ref")"
    done
    ;;
  *) echo "usage: mirror.sh start | push IMAGE..." >&2; exit 2 ;;
esac
