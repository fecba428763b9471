#!/bin/sh
# Registers workflows with DataStorage: one POST /api/v1/workflows per JSON body. A workflow
# DataStorage already has (HTTP 409) is fine, so a re-run changes nothing.
# Environment: DATA_STORAGE_URL (e.g. http://localhost:8081), WORKFLOWS (one JSON body per line).
set -eu
command -v curl >/dev/null 2>&1 || { echo "curl is not installed (looked for it on PATH)" >&2; exit 127; }
response=$(mktemp)
trap 'rm -f "$response"' EXIT
while IFS= read -r body; do
  if [ -z "$body" ]; then continue; fi
  status=$(printf '%s' "$body" | curl --silent --show-error --max-time 30 --output "$response" --write-out '%{http_code}' \
    --header 'Content-Type: application/json' --data-binary @- "$DATA_STORAGE_URL/api/v1/workflows")
  case $status in
    200 | 201 | 409) ;;
    *)
      echo "registering a workflow with $DATA_STORAGE_URL failed: HTTP $status: $(cat "$response")" >&2
      exit 1
      ;;
  esac
done <<EOF_WORKFLOWS
$WORKFLOWS
EOF_WORKFLOWS
