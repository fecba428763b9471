#!/bin/sh
# Registers the suite's RemediationWorkflows as the Go setup does at HEAD: `kubectl apply` of the
# objects; the AuthWebhook registers each in DataStorage and writes its .status.workflowId. Waits
# for every id and prints them as JSON, {"<name>": "<id>", ...}: the suite's tests name workflows
# by those ids.
# Environment: KUBECONFIG and KUBE_CONTEXT (the cluster's context: the file may hold others),
# NAMESPACE, WORKFLOWS (the objects, YAML documents), WORKFLOW_NAMES (one metadata.name per line), TIMEOUT_SECONDS (how long to wait for the ids), ACTION_TYPES and
# WEBHOOKS (read only so this runs after the ActionTypes are seeded and the AuthWebhook serves).
set -eu
command -v kubectl >/dev/null 2>&1 || { echo "kubectl is not installed (looked for it on PATH); registering the workflows needs it" >&2; exit 127; }

# The AuthWebhook refuses a workflow whose ActionType its index does not hold yet: retry a while.
attempt=1
until output=$(printf '%s\n' "$WORKFLOWS" | kubectl --context "$KUBE_CONTEXT" apply --namespace "$NAMESPACE" -f - 2>&1); do
  if [ "$attempt" -ge 10 ]; then
    printf 'kubectl apply of the workflows failed %s times; the last time:\n%s\n' "$attempt" "$output" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep 3
done
printf '%s\n' "$output" >&2

deadline=$(($(date +%s) + TIMEOUT_SECONDS))
json=""
for name in $WORKFLOW_NAMES; do
  while :; do
    id=$(kubectl --context "$KUBE_CONTEXT" get remediationworkflow "$name" --namespace "$NAMESPACE" -o 'jsonpath={.status.workflowId}')
    [ -z "$id" ] || break
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "RemediationWorkflow $name has no status.workflowId after ${TIMEOUT_SECONDS} s: is the AuthWebhook running and DataStorage reachable from it?" >&2
      exit 1
    fi
    sleep 1
  done
  json="$json${json:+,}\"$name\":\"$id\""
done
printf '{%s}\n' "$json"
