#!/bin/sh
# Deletes a kind cluster. A cluster that is already gone is not an error; a listing that fails
# (kind missing, container runtime stopped) is: the cluster may still be running.
# Environment: KIND_CLUSTER_NAME, KIND_EXPERIMENTAL_PROVIDER (optional).
set -eu
command -v kind >/dev/null 2>&1 || { echo "kind is not installed (looked for it on PATH)" >&2; exit 127; }
clusters=$(kind get clusters 2>/dev/null) || {
  echo "kind get clusters failed: cannot tell whether cluster \"$KIND_CLUSTER_NAME\" is running, so it was not deleted (is the container runtime running?)" >&2
  exit 1
}
if printf '%s\n' "$clusters" | grep -Fqx -- "$KIND_CLUSTER_NAME"; then
  kind delete cluster --name "$KIND_CLUSTER_NAME" >&2
else
  echo "kind cluster \"$KIND_CLUSTER_NAME\" is already gone" >&2
fi
