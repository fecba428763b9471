#!/bin/sh
# Removes the CA file write-ca-file.sh wrote, if it still holds this stack's CA (with its header,
# or without as earlier versions wrote it): another stack whose kubeconfig is in the same
# directory may have written its own since, and keeps it. Environment: CA_FILE, CA_HEADER, CA_PEM
# (as write-ca-file.sh takes them).
set -eu
path=$CA_FILE
# shellcheck disable=SC2088 # a literal "~/" from the program, expanded here on purpose
case $path in "~/"*) path=$HOME/${path#"~/"} ;; esac
if [ ! -e "$path" ]; then exit 0; fi
if printf '%s\n%s' "$CA_HEADER" "$CA_PEM" | cmp -s - "$path" || printf '%s' "$CA_PEM" | cmp -s - "$path"; then
  rm -f -- "$path"
else
  echo "leaving $path: it holds another CA certificate than this stack's" >&2
fi
