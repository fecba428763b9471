#!/bin/sh
# Prints the kubeconfig of an existing kind cluster (run when only the script text changed).
# Environment: KIND_CLUSTER_NAME, KIND_EXPERIMENTAL_PROVIDER (optional).
set -eu
command -v kind >/dev/null 2>&1 || { echo "kind is not installed (looked for it on PATH)" >&2; exit 127; }
kind get kubeconfig --name "$KIND_CLUSTER_NAME"
