#!/usr/bin/env bash
# The real-kind suite's own Docker daemon: Debian's dockerd with its own config file, data root,
# exec root, socket and pid file under the state directory, and runc-wrapper (beside this script)
# as its default runtime. It never touches the user's daemon or /etc/docker. Idempotent.
#
#   bash tools/real-kind/daemon.sh start   # starts it unless it answers; prints DOCKER_HOST's value
#   bash tools/real-kind/daemon.sh stop    # stops it (its containers stop with it)
#   E2E_REAL_KIND_STATE=/path ...          # state directory (default ~/.cache/e2e-infra/real-kind/daemon)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
state="${E2E_REAL_KIND_STATE:-$HOME/.cache/e2e-infra/real-kind/daemon}"
host="unix://$state/docker.sock"
bridge=e2e-rk0
bridge_address=172.31.254.1/24

case "${1:-}" in
  start)
    mkdir -p "$state"
    if DOCKER_HOST="$host" docker info --format '{{.ServerVersion}}' >/dev/null 2>&1; then
      echo "$host"
      exit 0
    fi
    command -v dockerd >/dev/null || { echo "daemon.sh: dockerd is not installed (Debian: apt-get install docker.io)" >&2; exit 1; }
    command -v jq >/dev/null || { echo "daemon.sh: jq is not installed (Debian: apt-get install jq); runc-wrapper needs it" >&2; exit 1; }
    # Its own default bridge (builds' RUN steps reach package registries through it), so it never
    # meets the user's docker0. No "default-address-pools": dockerd 20.10+ given pools deletes the
    # interface named docker0 when it starts again over its own stale bridge network (moby
    # configureNetworking, removeDefaultBridgeInterface), whichever bridge it was told to use: the
    # user's daemon lost its docker0 each time this one restarted. The one network made in it,
    # kind's, gets its subnet from mirror.sh instead.
    if ! ip link show "$bridge" >/dev/null 2>&1; then
      ip link add "$bridge" type bridge
      ip addr add "$bridge_address" dev "$bridge"
    fi
    ip link set "$bridge" up
    jq -n --arg wrapper "$here/runc-wrapper" --arg bridge "$bridge" '{
      "runtimes": {"e2e-runc": {"path": $wrapper}},
      "default-runtime": "e2e-runc",
      "bridge": $bridge,
      "features": {"containerd-snapshotter": false}
    }' > "$state/daemon.json"
    dockerd --config-file "$state/daemon.json" --data-root "$state/data" --exec-root "$state/exec" \
      --host "$host" --pidfile "$state/dockerd.pid" >>"$state/dockerd.log" 2>&1 &
    for _ in $(seq 1 120); do
      if DOCKER_HOST="$host" docker info --format '{{.ServerVersion}}' >/dev/null 2>&1; then
        echo "$host"
        exit 0
      fi
      sleep 0.5
    done
    echo "daemon.sh: dockerd did not answer within 60 s (log: $state/dockerd.log)" >&2
    exit 1
    ;;
  stop)
    if [ -f "$state/dockerd.pid" ] && kill "$(cat "$state/dockerd.pid")" 2>/dev/null; then
      for _ in $(seq 1 60); do
        [ -f "$state/dockerd.pid" ] && kill -0 "$(cat "$state/dockerd.pid")" 2>/dev/null || exit 0
        sleep 0.5
      done
      echo "daemon.sh: dockerd did not stop within 30 s" >&2
      exit 1
    fi
    ;;
  *) echo "usage: daemon.sh start|stop" >&2; exit 2 ;;
esac
