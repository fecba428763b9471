#!/usr/bin/env bash
# Builds one stand-in image (a directory beside this script) into the daemon DOCKER_HOST names and
# tags it with the upstream references in its stands-for file, which it prints one per line.
# The packages come from a Debian rootfs made here with mmdebstrap and imported as the
# Dockerfile's BASE (a build needs no network of its own). Idempotent: the rootfs tarball and the
# imported image are cached by the packages file's hash, and docker build caches the rest.
#
#   DOCKER_HOST=unix://... bash tools/real-kind/stand-ins/build.sh postgres
#   E2E_REAL_KIND_CACHE=/path   cache root (default ~/.cache/e2e-infra/real-kind): rootfs tarballs
#   E2E_DEBIAN_MIRROR=URL       Debian mirror for mmdebstrap (default http://deb.debian.org/debian)
set -euo pipefail
shopt -s inherit_errexit
here="$(cd "$(dirname "$0")" && pwd)"
cache="${E2E_REAL_KIND_CACHE:-$HOME/.cache/e2e-infra/real-kind}"
mirror="${E2E_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
suite=trixie

fail() { echo "stand-ins/build.sh: $*" >&2; exit 1; }
step() { echo "stand-ins: $*" >&2; }

name="${1:-}"
[ -n "$name" ] || fail "usage: bash build.sh <name>, a directory beside build.sh (or a path to one) holding packages, stands-for and a Dockerfile"
case "$name" in
  */*) dir="$(cd "$name" && pwd)"; name="$(basename "$dir")" ;;
  *) dir="$here/$name" ;;
esac
for f in packages stands-for Dockerfile; do
  [ -f "$dir/$f" ] || fail "no $dir/$f: is \"$name\" a stand-in?"
done
[ -n "${DOCKER_HOST:-}" ] || fail "DOCKER_HOST is not set: run it against the test daemon (bash tools/real-kind/daemon.sh start prints its address)"

packages="$(tr -d '[:space:]' < "$dir/packages")"
read -r -a refs < "$dir/stands-for"
if [ -z "$packages" ] || [ "${#refs[@]}" -eq 0 ]; then fail "$dir/packages or $dir/stands-for is empty"; fi
id="$(sha256sum < "$dir/packages" | cut -c1-16)"
base="e2e-infra/debian-stand-in-$name:$id"

if ! docker image inspect "$base" >/dev/null 2>&1; then
  tar="$cache/rootfs/stand-in-$name-$id.tar"
  if [ ! -f "$tar" ]; then
    mkdir -p "$cache/rootfs"
    start=$(date +%s)
    # Written under another name and renamed, so an interrupted run never leaves a tarball that
    # a later run would take for a whole one.
    mmdebstrap --quiet --format=tar --variant=minbase --include="$packages" "$suite" "$tar.partial" "$mirror" >&2 \
      || { rm -f "$tar.partial"; fail "mmdebstrap of $suite with $packages (for $name) failed"; }
    mv "$tar.partial" "$tar"
    step "$name rootfs ($suite) in $(( $(date +%s) - start )) s"
  fi
  docker import "$tar" "$base" >/dev/null || fail "docker import of $tar as $base failed"
fi

tags=()
for ref in "${refs[@]}"; do tags+=(-t "$ref"); done
start=$(date +%s)
# The context: the stand-in's directory and the machine's CA bundle (host-ca-certificates.crt),
# for an image whose builds reach registries from a machine behind a TLS-inspecting proxy.
context="$(mktemp -d "${TMPDIR:-/tmp}/e2e-stand-in.XXXXXX")"
trap 'rm -rf "$context"' EXIT
cp -r "$dir/." "$context/"
cp /etc/ssl/certs/ca-certificates.crt "$context/host-ca-certificates.crt" 2>/dev/null || : > "$context/host-ca-certificates.crt"
# A stand-in that needs more of this machine in its context (a builder's Go) says so in context.sh,
# run with the context directory as its argument.
if [ -f "$dir/context.sh" ]; then bash "$dir/context.sh" "$context" || fail "$dir/context.sh failed"; fi
# --force-rm: a failed RUN step leaves no container behind.
docker build --quiet --force-rm --build-arg BASE="$base" "${tags[@]}" "$context" >/dev/null \
  || fail "docker build of $dir (FROM $base) failed"
step "$name built in $(( $(date +%s) - start )) s"
printf '%s\n' "${refs[@]}"
