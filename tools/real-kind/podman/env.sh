#!/usr/bin/env bash
# Rootful podman for kind (KIND_EXPERIMENTAL_PROVIDER=podman) with its own state only: writes a
# containers.conf and a storage.conf under a state directory and prints the environment lines a
# test needs, KEY=VALUE one a line (shell-quoted). Podman under them writes nothing to
# /etc/containers, /var/lib/containers, /run/containers/storage, /dev/shm or the user's podman
# config (it still reads /etc/containers/registries.conf and policy.json), except netavark's run
# directory /run/containers/networks and its iptables chains, which podman 4.3 does not let a
# config move (see NOTES.md). Idempotent: rewrites the two files each time.
#
#   bash tools/real-kind/podman/env.sh [STATE_DIR]   # default $E2E_REAL_KIND_PODMAN_STATE or /tmp/rk-podman
#   set -a; eval "$(bash tools/real-kind/podman/env.sh)"; set +a
#
# The OCI runtime is runc-wrapper beside this directory (as for the suite's Docker daemon).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
wrapper="$(cd "$here/.." && pwd)/runc-wrapper"
state="${1:-${E2E_REAL_KIND_PODMAN_STATE:-/tmp/rk-podman}}"

case "$state" in
  /*) ;;
  *) echo "env.sh: the state directory must be an absolute path: $state" >&2; exit 1 ;;
esac
case "$state" in
  *[!A-Za-z0-9/._+-]*) echo "env.sh: the state directory may hold only [A-Za-z0-9/._+-]: $state" >&2; exit 1 ;;
esac
[ -x "$wrapper" ] || { echo "env.sh: $wrapper is missing or not executable" >&2; exit 1; }
command -v podman >/dev/null || { echo "env.sh: podman is not installed (Debian: apt-get install podman)" >&2; exit 1; }
command -v jq >/dev/null || { echo "env.sh: jq is not installed (Debian: apt-get install jq); runc-wrapper needs it" >&2; exit 1; }

mkdir -p "$state/root" "$state/runroot" "$state/tmp" "$state/networks"

cat > "$state/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$state/root"
runroot = "$state/runroot"
EOF

# cgroupfs: no systemd here. lock_type "file" keeps podman off the shared /dev/shm/libpod_lock.
# network_config_dir keeps the "kind" network kind creates out of /etc/containers/networks.
cat > "$state/containers.conf" <<EOF
[network]
network_backend = "netavark"
network_config_dir = "$state/networks"

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$state/tmp/events.log"
lock_type = "file"
tmp_dir = "$state/tmp"
static_dir = "$state/root/libpod"
volume_path = "$state/root/volumes"
runtime = "e2e-runc"

[engine.runtimes]
e2e-runc = ["$wrapper"]
EOF

printf 'CONTAINERS_CONF=%q\n' "$state/containers.conf"
printf 'CONTAINERS_STORAGE_CONF=%q\n' "$state/storage.conf"
printf 'KIND_EXPERIMENTAL_PROVIDER=%q\n' podman
