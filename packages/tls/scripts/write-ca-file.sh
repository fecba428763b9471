#!/bin/sh
# Writes the inter-service CA certificate to a file, atomically, and prints the file's absolute
# path. The file starts with CA_HEADER, the line that says which stack wrote it. A file that is
# there already is replaced only if this stack wrote it (it holds CA_HEADER and CA_PEM, or CA_PEM
# alone as earlier versions wrote it); any other file is left as it is and the write fails.
# Environment: CA_FILE (absolute or "~/..."), CA_HEADER (one comment line), CA_PEM (the
# certificate, PEM).
set -eu
path=$CA_FILE
# shellcheck disable=SC2088 # a literal "~/" from the program, expanded here on purpose
case $path in "~/"*) path=$HOME/${path#"~/"} ;; esac
if [ -d "$path" ]; then
  echo "CA file path $path is a directory; expected a file path" >&2
  exit 1
fi
if [ -e "$path" ] || [ -L "$path" ]; then
  first=$(head -n 1 -- "$path")
  if [ "$first" != "$CA_HEADER" ] && ! printf '%s' "$CA_PEM" | cmp -s - "$path"; then
    echo "CA file $path exists and this stack did not write it (its first line is not \"$CA_HEADER\"): it was left as it is; remove it or move it away, or set the stack's CA file elsewhere" >&2
    exit 1
  fi
fi
dir=$(dirname -- "$path")
mkdir -p -- "$dir"
dir=$(cd -- "$dir" && pwd)
name=$(basename -- "$path")
path=$dir/$name
# A temporary file beside the target, so the rename is atomic; one a killed run left is removed first.
rm -f -- "$dir/.$name".tmp.??????
# The traps come first, so a signal at any point after the file exists removes it.
tmp=""
trap 'if [ -n "$tmp" ]; then rm -f -- "$tmp"; fi' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
tmp=$(mktemp "$dir/.$name.tmp.XXXXXX")
printf '%s\n%s' "$CA_HEADER" "$CA_PEM" >"$tmp"
# A certificate is public: readable by all, as the suites' clients read it.
chmod 644 "$tmp"
mv -f -- "$tmp" "$path"
printf '%s\n' "$path"
