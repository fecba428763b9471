#!/bin/sh
# Tells `pulumi refresh` whether the CA file still holds this CA: exit 0 if it does, 3 if it is
# gone or holds another certificate (the next `up` writes it again, if this stack wrote it).
# Environment: CA_FILE, CA_HEADER, CA_PEM (as write-ca-file.sh takes them).
set -eu
path=$CA_FILE
# shellcheck disable=SC2088 # a literal "~/" from the program, expanded here on purpose
case $path in "~/"*) path=$HOME/${path#"~/"} ;; esac
if [ -f "$path" ] && printf '%s\n%s' "$CA_HEADER" "$CA_PEM" | cmp -s - "$path"; then exit 0; fi
echo "CA file $path is gone or holds another certificate" >&2
exit 3
