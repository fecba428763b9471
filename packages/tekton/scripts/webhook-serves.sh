#!/bin/sh
# Waits until Tekton's admission webhook answers through its Service: a server-side dry run of a
# Task (it goes through the webhooks and creates nothing), again each second until it succeeds,
# TIMEOUT_SECONDS at most. The webhook's Deployment is Available a moment before its Service
# routes to it (kube-proxy), and a Task or Pipeline created then is refused: "failed calling
# webhook ... connection refused" (seen on real kind).
# Environment: KUBECONFIG_CONTENT (the cluster's kubeconfig, a secret: written to a private file
# for the run only), NAMESPACE (where the dry run goes: given once the release and its CRDs are up,
# so this runs after them), TIMEOUT_SECONDS.
set -eu
command -v kubectl >/dev/null 2>&1 || { echo "kubectl is not installed (looked for it on PATH); waiting for Tekton's webhook needs it" >&2; exit 127; }
umask 077
KUBECONFIG="$(mktemp)"
export KUBECONFIG
trap 'rm -f "$KUBECONFIG"' EXIT
printf '%s\n' "$KUBECONFIG_CONTENT" > "$KUBECONFIG"
probe='apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: e2e-infra-webhook-probe
spec:
  steps:
    - name: probe
      image: busybox
      script: "true"'
deadline=$(($(date +%s) + TIMEOUT_SECONDS))
until output=$(printf '%s\n' "$probe" | kubectl create --dry-run=server --namespace "$NAMESPACE" -f - 2>&1); do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    printf "Tekton's webhook did not answer within %s s; the last answer:\n%s\n" "$TIMEOUT_SECONDS" "$output" >&2
    exit 1
  fi
  sleep 1
done
