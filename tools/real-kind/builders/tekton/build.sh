#!/usr/bin/env bash
# Tekton Pipelines v1.7.0 for the real-kind tests, which no registry here can give: its images
# built from the published Go module (the stand-in beside this script, then one image per command
# with that command as its entrypoint, as ko makes them), and its release file assembled from the
# module's config/ as its release does (`ko resolve -R -f config/`: every YAML file under config/,
# in path order), each ko:// reference and the shell image replaced by those images' tags.
# Writes the release file to the path given; prints the images' references, one per line, for
# the nodes' registry mirror (mirror.sh push).
#
#   DOCKER_HOST=unix://... bash tools/real-kind/builders/tekton/build.sh <release.yaml>
set -euo pipefail
shopt -s inherit_errexit
here="$(cd "$(dirname "$0")" && pwd)"
version=v1.7.0
release="${1:-}"
[ -n "$release" ] || { echo "tekton/build.sh: usage: build.sh <release file to write>" >&2; exit 2; }
[ -n "${DOCKER_HOST:-}" ] || { echo "tekton/build.sh: DOCKER_HOST is not set: run it against the test daemon (bash tools/real-kind/daemon.sh start prints its address)" >&2; exit 2; }

base="$(bash "$here/../../stand-ins/build.sh" "$here")"
refs=()
for command in controller webhook resolvers events entrypoint nop workingdirinit sidecarlogresults; do
  ref="ghcr.io/tektoncd/pipeline/$command:$version"
  printf 'FROM %s\nENTRYPOINT ["/ko-app/%s"]\n' "$base" "$command" | docker build --quiet -t "$ref" - >/dev/null \
    || { echo "tekton/build.sh: docker build of $ref failed" >&2; exit 1; }
  refs+=("$ref")
done
# The shell image (place-scripts init containers; also the step image of the tests' bundles): the
# stand-in itself, under a name the nodes' mirror serves (cgr.dev is not one of its registries).
shell="docker.io/library/busybox:tekton-$version"
docker tag "$base" "$shell"
refs+=("$shell")

config="$(cd "$here/go/tekton-pipeline" && go mod download -json github.com/tektoncd/pipeline | jq -r .Dir)/config"
[ -d "$config" ] || { echo "tekton/build.sh: no config/ in the module's download ($config)" >&2; exit 1; }
mkdir -p "$(dirname "$release")"
find "$config" -type f \( -name '*.yaml' -o -name '*.yml' \) | LC_ALL=C sort | while read -r file; do
  printf -- '---\n# Source: config/%s\n' "${file#"$config"/}"
  cat "$file"
  echo
done | sed -E \
  -e "s#ko://github.com/tektoncd/pipeline/cmd/([a-z]+)#ghcr.io/tektoncd/pipeline/\\1:$version#g" \
  -e "s#cgr.dev/chainguard/busybox@sha256:[0-9a-f]+#$shell#" \
  -e "s/(pipeline.tekton.dev\\/release|app.kubernetes.io\\/version|version): \"devel\"/\\1: \"$version\"/g" \
  > "$release.partial"
if grep -q 'ko://' "$release.partial"; then echo "tekton/build.sh: a ko:// reference is left in $release.partial" >&2; exit 1; fi
mv "$release.partial" "$release"
printf '%s\n' "${refs[@]}"
