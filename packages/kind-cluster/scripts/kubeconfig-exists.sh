#!/bin/sh
# Tells `pulumi refresh` whether the kubeconfig file is still there: exit 0 if it is, 3 if not
# (the next `up` writes it again). Environment: KUBECONFIG_PATH (as write-kubeconfig.sh takes it).
set -eu
path=$KUBECONFIG_PATH
# shellcheck disable=SC2088 # a literal "~/" from config, expanded here on purpose
case $path in "~/"*) path=$HOME/${path#"~/"} ;; esac
if [ -f "$path" ]; then exit 0; fi
echo "kubeconfig $path is gone" >&2
exit 3
