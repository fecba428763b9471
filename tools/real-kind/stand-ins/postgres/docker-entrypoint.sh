#!/usr/bin/env bash
# The postgres stand-in's entrypoint: the official postgres image's documented contract (see
# ../README.md) on Debian's PostgreSQL. On an empty PGDATA it initialises a cluster, runs
# /docker-entrypoint-initdb.d on a socket-only server, then execs the server in the foreground.
# No `set -u`: init scripts are sourced into this shell, as the contract says, and upstream's
# run without it.
set -Eeo pipefail
shopt -s inherit_errexit

log() { echo "postgres stand-in: $*"; }
die() { echo "postgres stand-in: $*" >&2; exit 1; }

# Options alone are the server's: `docker run IMAGE -c fsync=off` runs `postgres -c fsync=off`.
if [ "${1:0:1}" = - ]; then set -- postgres "$@"; fi
# Anything else (psql, sh, ...) runs as given.
if [ "${1:-}" != postgres ]; then exec "$@"; fi
# So does a server asked only for help or its version: no database needed.
for arg in "${@:2}"; do
  case "$arg" in -'?' | --help | --describe-config | -V | --version) exec "$@" ;; esac
done

# VAR_FILE names a file holding VAR's value (mounted secrets); not both.
for var in POSTGRES_PASSWORD POSTGRES_USER POSTGRES_DB POSTGRES_INITDB_ARGS; do
  file_var="${var}_FILE"
  if [ -n "${!file_var:-}" ]; then
    [ -z "${!var:-}" ] || die "both $var and $file_var are set; set one"
    export "$var=$(< "${!file_var}")"
    unset "$file_var"
  fi
done
export POSTGRES_USER="${POSTGRES_USER:-postgres}"
export POSTGRES_DB="${POSTGRES_DB:-$POSTGRES_USER}"
export PGDATA="${PGDATA:-/var/lib/postgresql/data}"

# Started as root: PGDATA may be a fresh volume owned by root (with PGDATA a subdirectory of it),
# so root creates it for the postgres user, then runs this script again as that user.
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  find "$PGDATA" \! -user postgres -exec chown postgres:postgres {} +
  chown postgres:postgres /var/run/postgresql
  chmod 3777 /var/run/postgresql
  if [ -n "${POSTGRES_INITDB_WALDIR:-}" ]; then
    mkdir -p "$POSTGRES_INITDB_WALDIR"
    find "$POSTGRES_INITDB_WALDIR" \! -user postgres -exec chown postgres:postgres {} +
  fi
  exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
fi

# Started as another user (runAsUser): it must be able to create PGDATA (an fsGroup volume, or the
# image's world-writable default); the server refuses a data directory open to others.
mkdir -p "$PGDATA"
chmod 700 "$PGDATA" 2>/dev/null || true

# initdb looks the current uid up in passwd; an arbitrary runAsUser has no entry there, so one is
# lent through libnss_wrapper for that command only.
with_passwd_entry() {
  if getent passwd "$(id -u)" >/dev/null; then "$@"; return; fi
  local lent status=0
  lent="$(mktemp -d)"
  { grep -v '^postgres:' /etc/passwd; echo "postgres:x:$(id -u):$(id -g):PostgreSQL:$PGDATA:/bin/false"; } > "$lent/passwd"
  { cat /etc/group; getent group "$(id -g)" >/dev/null || echo "postgres-$(id -g):x:$(id -g):"; } > "$lent/group"
  LD_PRELOAD=libnss_wrapper.so NSS_WRAPPER_PASSWD="$lent/passwd" NSS_WRAPPER_GROUP="$lent/group" "$@" || status=$?
  rm -rf "$lent"
  return "$status"
}

# psql on the temporary server's Unix socket (empty PGHOST: libpq's default socket directory,
# whatever PGHOST the pod was given), stopping at the first error.
sql() {
  PGHOST='' PGHOSTADDR='' psql -v ON_ERROR_STOP=1 --no-psqlrc --no-password --username="$POSTGRES_USER" "$@"
}

initialise() {
  local auth="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}" f exists
  if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$auth" != trust ]; then
    die "PGDATA ($PGDATA) is empty and POSTGRES_PASSWORD is not set: set it (or POSTGRES_HOST_AUTH_METHOD=trust, which lets anyone in)"
  fi

  # POSTGRES_INITDB_ARGS is split into words as a shell would, quotes included (as upstream does).
  local -a initdb_args=(--username="$POSTGRES_USER")
  eval "initdb_args+=(${POSTGRES_INITDB_ARGS:-})"
  [ -z "${POSTGRES_INITDB_WALDIR:-}" ] || initdb_args+=(--waldir="$POSTGRES_INITDB_WALDIR")
  if [ -n "${POSTGRES_PASSWORD:-}" ]; then
    with_passwd_entry initdb "${initdb_args[@]}" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD")
  else
    with_passwd_entry initdb "${initdb_args[@]}"
  fi
  # initdb trusts local socket and loopback connections; everyone else needs the password.
  printf '\n# Added by the stand-in entrypoint: clients from any address.\nhost all all all %s\n' "$auth" >> "$PGDATA/pg_hba.conf"

  # A temporary server with the given settings, on the Unix socket only, so nothing outside
  # (a readiness probe over TCP) takes the half-initialised database for a ready one.
  local -a temporary=("${@:2}" -c listen_addresses= -p "${PGPORT:-5432}")
  pg_ctl -D "$PGDATA" -o "$(printf '%q ' "${temporary[@]}")" -w start

  if [ "$POSTGRES_DB" != postgres ]; then
    exists="$(sql --dbname=postgres --tuples-only --no-align --set=db="$POSTGRES_DB" <<< "SELECT 1 FROM pg_database WHERE datname = :'db';")"
    if [ -z "$exists" ]; then
      sql --dbname=postgres --set=db="$POSTGRES_DB" <<< 'CREATE DATABASE :"db";'
      log "created database $POSTGRES_DB"
    fi
  fi

  # The glob is sorted (LANG=C.UTF-8 collates by code point); dot entries (a ConfigMap's ..data)
  # are left out.
  for f in /docker-entrypoint-initdb.d/*; do
    [ -e "$f" ] || continue
    case "$f" in
      *.sh)
        if [ -x "$f" ]; then log "running $f"; "$f"
        else log "sourcing $f"; # shellcheck disable=SC1090 # the user's script
          . "$f"
        fi ;;
      *.sql) log "running $f"; sql --dbname="$POSTGRES_DB" -f "$f" ;;
      *.sql.gz) log "running $f"; gzip -dc "$f" | sql --dbname="$POSTGRES_DB" ;;
      *.sql.xz) log "running $f"; xz -dc "$f" | sql --dbname="$POSTGRES_DB" ;;
      *.sql.zst) log "running $f"; zstd -dcq "$f" | sql --dbname="$POSTGRES_DB" ;;
      *) log "ignoring $f" ;;
    esac
  done

  pg_ctl -D "$PGDATA" -m fast -w stop
  log "initialisation complete; starting the server"
}

if [ -s "$PGDATA/PG_VERSION" ]; then
  log "PGDATA ($PGDATA) already holds a database: no initialisation"
else
  initialise "$@"
fi
exec "$@"
