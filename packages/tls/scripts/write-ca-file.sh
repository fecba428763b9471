#!/bin/sh
# Writes the inter-service CA certificate to a file, atomically, and prints the file's absolute
# path. Environment: CA_FILE (absolute or "~/..."), CA_PEM (the certificate, PEM).
set -eu
path=$CA_FILE
# shellcheck disable=SC2088 # a literal "~/" from the program, expanded here on purpose
case $path in "~/"*) path=$HOME/${path#"~/"} ;; esac
if [ -d "$path" ]; then
  echo "CA file path $path is a directory; expected a file path" >&2
  exit 1
fi
dir=$(dirname -- "$path")
mkdir -p -- "$dir"
dir=$(cd -- "$dir" && pwd)
name=$(basename -- "$path")
path=$dir/$name
# A temporary file beside the target, so the rename is atomic; one a killed run left is removed first.
rm -f -- "$dir/.$name".tmp.*
# The traps come first, so a signal at any point after the file exists removes it.
tmp=""
trap 'if [ -n "$tmp" ]; then rm -f -- "$tmp"; fi' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
tmp=$(mktemp "$dir/.$name.tmp.XXXXXX")
printf '%s' "$CA_PEM" >"$tmp"
# A certificate is public: readable by all, as the suites' clients read it.
chmod 644 "$tmp"
mv -f -- "$tmp" "$path"
printf '%s\n' "$path"
