#!/bin/sh
# Removes the kubeconfig file written by write-kubeconfig.sh. Environment: KUBECONFIG_PATH.
set -eu
path=$KUBECONFIG_PATH
# shellcheck disable=SC2088 # a literal "~/" from config, expanded here on purpose
case $path in "~/"*) path=$HOME/${path#"~/"} ;; esac
rm -f -- "$path"
