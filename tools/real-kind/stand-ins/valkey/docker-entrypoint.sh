#!/bin/sh
# The valkey stand-in's entrypoint: the official valkey image's documented contract (see
# ../README.md) on Debian's valkey-server. Runs the server as user valkey, reachable from other
# pods unless a config file decides otherwise.
set -eu

# Options or a config file alone are the server's: `docker run IMAGE --port 0 --tls-port 6380`.
case "${1:-}" in
  -* | *.conf) set -- valkey-server "$@" ;;
esac

# Version or help only: nothing to prepare (an option put before these makes the server refuse
# them).
case "${2:-}" in
  -v | --version | -h | --help) exec "$@" ;;
esac

if [ "${1:-}" = valkey-server ]; then
  # Started as root: the data directory (the working directory, /data, maybe a fresh root-owned
  # volume) is given to valkey, and this script runs again as valkey.
  if [ "$(id -u)" = 0 ]; then
    find . \! -user valkey -exec chown valkey {} +
    exec setpriv --reuid=valkey --regid=valkey --clear-groups "$0" "$@"
  fi
  # Started as another uid (runAsUser): the server could not save there, so it does not start.
  if [ ! -w . ]; then
    echo "docker-entrypoint.sh: the working directory $(pwd) is not writable by uid $(id -u):" \
      "mount a volume this uid (or one of its groups, fsGroup) can write, or start as root" >&2
    exit 1
  fi

  # Debian's valkey-server starts in protected mode, which refuses every client but loopback
  # ones (upstream's is built with it off): turn it off, unless a config file given as the first
  # argument sets it.
  shift
  config=""
  if [ $# -gt 0 ] && [ -f "$1" ]; then config="$1"; shift; fi
  if [ -z "$config" ] || ! grep -qi '^[[:space:]]*protected-mode' "$config"; then
    set -- --protected-mode no "$@"
  fi
  if [ -n "$config" ]; then set -- "$config" "$@"; fi
  set -- valkey-server "$@"

  # Files the server writes (dumps, append-only files) readable by valkey alone, unless the
  # caller chose a umask other than the default.
  if [ "$(umask)" = 0022 ]; then umask 0077; fi
fi

# VALKEY_EXTRA_FLAGS: more arguments after the command's own, split at blanks (not globbed).
if [ -n "${VALKEY_EXTRA_FLAGS:-}" ]; then
  set -f
  # shellcheck disable=SC2086 # split on purpose, as upstream's
  set -- "$@" $VALKEY_EXTRA_FLAGS
  set +f
fi

exec "$@"
