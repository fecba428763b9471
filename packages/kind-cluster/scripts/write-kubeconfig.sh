#!/bin/sh
# Writes a kubeconfig to a file only its owner can read, atomically, and prints the file's
# absolute path. Environment: KUBECONFIG_PATH (absolute, "~/..." or relative to the working
# directory), KUBECONFIG_CONTENT.
set -eu
path=$KUBECONFIG_PATH
# shellcheck disable=SC2088 # a literal "~/" from config, expanded here on purpose
case $path in "~/"*) path=$HOME/${path#"~/"} ;; esac
if [ -d "$path" ]; then
  echo "kubeconfig path $path is a directory; expected a file path" >&2
  exit 1
fi
dir=$(dirname -- "$path")
mkdir -p -- "$dir"
dir=$(cd -- "$dir" && pwd)
path=$dir/$(basename -- "$path")
umask 077
# The temporary file is named after the kubeconfig (one stack's: no two stacks share a path). A
# left one (a run killed before its trap) is removed first.
name=$(basename -- "$path")
rm -f -- "$dir/.$name".tmp.*
# The traps come first, so a signal at any point after the file exists removes it.
tmp=""
trap 'if [ -n "$tmp" ]; then rm -f -- "$tmp"; fi' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
tmp=$(mktemp "$dir/.$name.tmp.XXXXXX")
printf '%s\n' "$KUBECONFIG_CONTENT" >"$tmp"
chmod 600 "$tmp"
mv -f -- "$tmp" "$path"
printf '%s\n' "$path"
