#!/usr/bin/env bash
# Tekton Pipelines v1.7.0's commands, as the engine toolchain builds them from the published
# github.com/tektoncd/pipeline module (go/tekton-pipeline), at ko's path /ko-app/<command>.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="$(bash "$here/../../../engine/build.sh" --go "$here/go" | tail -n 1)"
mkdir -p "$1/ko-app"
for command in controller webhook resolvers events entrypoint nop workingdirinit sidecarlogresults; do
  cp "$bin/$command" "$1/ko-app/$command"
  chmod 755 "$1/ko-app/$command"
done
