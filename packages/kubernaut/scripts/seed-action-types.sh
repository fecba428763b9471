#!/bin/sh
# Creates the ActionTypes the suites expect, then marks each registered and Active in its status,
# as the service's AuthWebhook would (the suites' environments run no AuthWebhook; the Go setup's
# SeedActionTypesViaCRD does the same two steps).
# Environment: KUBECONFIG and KUBE_CONTEXT (the cluster's context: the file may hold others),
# NAMESPACE, ACTION_TYPES (the objects, YAML documents), ACTION_TYPE_NAMES
# (one metadata.name per line), CRD (the ActionType CRD's name once Established: read only so this
# runs after it).
set -eu
command -v kubectl >/dev/null 2>&1 || { echo "kubectl is not installed (looked for it on PATH); seeding the ActionTypes needs it" >&2; exit 127; }
printf '%s\n' "$ACTION_TYPES" | kubectl --context "$KUBE_CONTEXT" apply --namespace "$NAMESPACE" -f - >&2
printf '%s\n' "$ACTION_TYPE_NAMES" | while IFS= read -r name; do
  [ -n "$name" ] || continue
  kubectl --context "$KUBE_CONTEXT" patch actiontype "$name" --namespace "$NAMESPACE" --type=merge --subresource=status \
    -p '{"status":{"registered":true,"catalogStatus":"Active","registeredBy":"test-infrastructure-seeder"}}' >&2
done
