#!/bin/sh
# Creates a kind cluster and prints its kubeconfig on stdout (the only thing printed there).
# Environment: KIND_CLUSTER_NAME, KIND_CONFIG (kind config text), KIND_WAIT (optional duration
# for --wait), KIND_MOUNT_DIRS (optional, one host directory per line, created when missing),
# KIND_EXPERIMENTAL_PROVIDER (optional: docker or podman).
set -eu
command -v kind >/dev/null 2>&1 || { echo "kind is not installed (looked for it on PATH)" >&2; exit 127; }

# A cluster of this name that is not in this stack's state is left over from a crashed run or
# another tool. Recreate it rather than adopt it: the stack must not inherit objects it did
# not create.
if kind get clusters 2>/dev/null | grep -Fqx -- "$KIND_CLUSTER_NAME"; then
  echo "kind cluster \"$KIND_CLUSTER_NAME\" exists but is not in this stack's state: deleting it to create it afresh" >&2
  kind delete cluster --name "$KIND_CLUSTER_NAME" >&2
fi

if [ -n "${KIND_MOUNT_DIRS:-}" ]; then
  while IFS= read -r dir; do
    if [ -n "$dir" ] && [ ! -e "$dir" ]; then mkdir -p -- "$dir"; fi
  done <<EOF_DIRS
$KIND_MOUNT_DIRS
EOF_DIRS
fi

# The work directory is named after the cluster. One that is left (a run killed before its trap
# could run: the engine kills a provider's process group with SIGKILL 5 s after SIGINT) is
# removed here: only one operation on a cluster name runs at a time (the stack's lock, and no
# other stack may use the name).
rm -rf "${TMPDIR:-/tmp}/e2e-infra-kind-$KIND_CLUSTER_NAME".??????
# The traps come first, so a signal at any point after the directory exists removes it. sh runs
# the EXIT trap on a signal only when the signal is trapped too.
work=""
trap 'if [ -n "$work" ]; then rm -rf -- "$work"; fi' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
work=$(mktemp -d "${TMPDIR:-/tmp}/e2e-infra-kind-$KIND_CLUSTER_NAME.XXXXXX")
printf '%s\n' "$KIND_CONFIG" >"$work/kind-config.yaml"

# --kubeconfig keeps kind away from ~/.kube/config; the stack writes its own file.
set -- create cluster --name "$KIND_CLUSTER_NAME" --config "$work/kind-config.yaml" --kubeconfig "$work/kubeconfig"
if [ -n "${KIND_WAIT:-}" ]; then set -- "$@" --wait "$KIND_WAIT"; fi
kind "$@" >&2

kind get kubeconfig --name "$KIND_CLUSTER_NAME"
