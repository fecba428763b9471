#!/usr/bin/env bash
# The stand-in microdnf.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cp "$here/../dnf" "$1/dnf"
