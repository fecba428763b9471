#!/bin/sh
# Tells `pulumi refresh` whether the kind cluster still exists: exit 0 when kind lists it, 3
# when a listing that succeeded does not. A listing that fails (kind missing, container runtime
# stopped) is an error, never "gone". Environment: KIND_CLUSTER_NAME, KIND_EXPERIMENTAL_PROVIDER
# (optional).
set -eu
command -v kind >/dev/null 2>&1 || { echo "kind is not installed (looked for it on PATH)" >&2; exit 127; }
clusters=$(kind get clusters 2>/dev/null) || {
  echo "kind get clusters failed: cannot tell whether cluster \"$KIND_CLUSTER_NAME\" exists (is the container runtime running?)" >&2
  exit 1
}
if printf '%s\n' "$clusters" | grep -Fqx -- "$KIND_CLUSTER_NAME"; then exit 0; fi
echo "kind cluster \"$KIND_CLUSTER_NAME\" is gone" >&2
exit 3
