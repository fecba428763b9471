#!/bin/sh
# The redis stand-in's entrypoint: the official redis image's documented contract (see
# ../README.md) on Debian's redis-server. Runs the server as user redis, reachable from other
# pods unless a config file decides otherwise.
set -eu

# Options or a config file alone are the server's: `docker run IMAGE --save ""`.
case "${1:-}" in
  -* | *.conf) set -- redis-server "$@" ;;
esac

# Version or help only: nothing to prepare (upstream would add options these refuse).
case "${2:-}" in
  -v | --version | -h | --help) exec "$@" ;;
esac

if [ "${1:-}" = redis-server ]; then
  # Started as root: the data directory (the working directory, /data, maybe a fresh root-owned
  # volume) is given to redis, and this script runs again as redis.
  if [ "$(id -u)" = 0 ]; then
    find . \! -user redis -exec chown redis {} +
    exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"
  fi

  # Without a config file redis-server starts in protected mode, which refuses every client but
  # loopback ones: turn it off, unless a config file given as the first argument sets it.
  shift
  config=""
  if [ $# -gt 0 ] && [ -f "$1" ]; then config="$1"; shift; fi
  if [ -z "$config" ] || ! grep -q '^[[:space:]]*protected-mode' "$config"; then
    set -- --protected-mode no "$@"
  fi
  if [ -n "$config" ]; then set -- "$config" "$@"; fi
  set -- redis-server "$@"

  # Files the server writes (dumps, append-only files) readable by redis alone, unless the
  # caller chose a umask other than the default.
  if [ "$(umask)" = 0022 ]; then umask 0077; fi
fi

exec "$@"
