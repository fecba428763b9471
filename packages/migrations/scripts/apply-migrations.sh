#!/bin/sh
# Applies SQL migrations once each, in the order of $MIGRATIONS_DIR/manifest (one "version file"
# per line), recording each in e2e_infra_migrations with its SHA-256. Run by the Migrations Job
# with psql from the Postgres image, and by the tests against a real PostgreSQL.
#
# goose annotations: only the "-- +goose Up" section runs (a file without one runs whole);
# StatementBegin/StatementEnd need nothing (psql splits statements itself); a file marked
# "-- +goose NO TRANSACTION" runs statement by statement, others in one transaction together
# with their record, where "INDEX CONCURRENTLY" (not allowed in a transaction, pointless on a
# fresh database) becomes "INDEX".
#
# Environment: MIGRATIONS_DIR; PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE (libpq);
# TERMINATION_LOG (default /dev/termination-log: Kubernetes shows it as the failure message).
set -eu
dir=$MIGRATIONS_DIR
termination_log=${TERMINATION_LOG:-/dev/termination-log}

fail() {
  printf '%s\n' "$1" >&2
  printf '%s\n' "$1" >"$termination_log" 2>/dev/null || true
  exit 1
}

psql_run() {
  psql --no-psqlrc --quiet --set ON_ERROR_STOP=1 "$@"
}

# Postgres is Ready before this Job exists; allow a moment for its Service endpoint.
tries=0
until pg_isready --quiet; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then fail "PostgreSQL at ${PGHOST:-localhost}:${PGPORT:-5432} did not answer within 60 s"; fi
  sleep 1
done

out=$(psql_run --command "CREATE TABLE IF NOT EXISTS e2e_infra_migrations (version bigint PRIMARY KEY, file text NOT NULL, sha256 text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())" 2>&1) ||
  fail "could not create the table e2e_infra_migrations: $out"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
applied=0
present=0

while read -r version file; do
  if [ -z "$version" ]; then continue; fi
  sum=$(sha256sum "$dir/$file" | cut -d ' ' -f 1)
  recorded=$(printf '%s\n' "SELECT sha256 FROM e2e_infra_migrations WHERE version = :'e2e_version';" |
    psql_run --tuples-only --no-align --set e2e_version="$version" 2>&1) ||
    fail "could not read e2e_infra_migrations: $recorded"
  if [ -n "$recorded" ]; then
    if [ "$recorded" != "$sum" ]; then
      fail "migration $file (version $version) was applied with other content (sha256 $recorded, now $sum): migrations run once; recreate the database to apply the new content, or add a new migration"
    fi
    present=$((present + 1))
    continue
  fi

  has_up=false
  if grep -Eq '^[[:space:]]*--[[:space:]]*\+goose[[:space:]]+Up([[:space:]]|$)' "$dir/$file"; then has_up=true; fi
  no_transaction=false
  if grep -Eq '^[[:space:]]*--[[:space:]]*\+goose[[:space:]]+NO[[:space:]]+TRANSACTION' "$dir/$file"; then no_transaction=true; fi

  sql=$work/$file
  # Lines that do not run become empty lines, so psql's line numbers are the file's own.
  awk -v has_up="$has_up" -v no_transaction="$no_transaction" '
    BEGIN { up = (has_up == "true") ? 0 : 1 }
    # A CRLF file: match its annotations as grep did above (grep counts \r as space; awk would not).
    { sub(/\r$/, "") }
    /^[ \t]*--[ \t]*\+goose[ \t]+Up([ \t]|$)/ { up = 1; print ""; next }
    /^[ \t]*--[ \t]*\+goose[ \t]+Down([ \t]|$)/ { up = 0; print ""; next }
    /^[ \t]*--[ \t]*\+goose[ \t]/ { print ""; next }
    !up { print ""; next }
    {
      if (no_transaction != "true") gsub(/[Ii][Nn][Dd][Ee][Xx][ \t]+[Cc][Oo][Nn][Cc][Uu][Rr][Rr][Ee][Nn][Tt][Ll][Yy]/, "INDEX")
      print
    }
  ' "$dir/$file" >"$sql"

  record="INSERT INTO e2e_infra_migrations (version, file, sha256) VALUES (:'e2e_version', :'e2e_file', :'e2e_sha256');"
  if [ "$no_transaction" = true ]; then
    out=$(psql_run --file "$sql" 2>&1) || fail "migration $file (version $version) failed: $out"
    out=$(printf '%s\n' "$record" | psql_run --set e2e_version="$version" --set e2e_file="$file" --set e2e_sha256="$sum" 2>&1) ||
      fail "migration $file (version $version) ran but could not be recorded: $out"
  else
    printf '\n%s\n' "$record" >>"$sql"
    out=$(psql_run --single-transaction --set e2e_version="$version" --set e2e_file="$file" --set e2e_sha256="$sum" --file "$sql" 2>&1) ||
      fail "migration $file (version $version) failed: $out"
  fi
  if [ -n "$out" ]; then printf '%s\n' "$out"; fi
  echo "applied $file"
  applied=$((applied + 1))
done <"$dir/manifest"

echo "migrations: $applied applied, $present already applied"
