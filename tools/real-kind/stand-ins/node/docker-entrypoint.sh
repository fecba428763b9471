#!/bin/sh
# The node stand-in's entrypoint, as the official node image's documents it: arguments that are
# not a command (options, or a script such as server.js) are node's.
set -e

if [ $# -gt 0 ]; then
  case "$1" in
    -*) set -- node "$@" ;;
    *)
      # Not found as a command, or a file that is not executable: a script for node.
      if ! command -v "$1" >/dev/null 2>&1 || { [ -f "$1" ] && [ ! -x "$1" ]; }; then
        set -- node "$@"
      fi ;;
  esac
fi

exec "$@"
