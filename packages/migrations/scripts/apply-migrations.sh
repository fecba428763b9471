#!/bin/sh
# Applies SQL migrations once each, in the order of $MIGRATIONS_DIR/manifest (one "version file"
# per line), recording each in e2e_infra_migrations with its SHA-256. Run by the Migrations Job
# with psql from the Postgres image, and by the tests against a real PostgreSQL.
#
# goose annotations: only the "-- +goose Up" section runs (a file without one runs whole);
# StatementBegin/StatementEnd need nothing (statements are split as psql splits them); a file
# marked "-- +goose NO TRANSACTION" runs statement by statement, others in one transaction
# together with their record, where "INDEX CONCURRENTLY" (not allowed in a transaction, pointless
# on a fresh database) becomes "INDEX".
#
# As goose does, the SQL goes to the server as it is: this script splits each file into
# statements itself and has psql send each with \gexec, which sends text without interpreting it,
# so a backslash in a migration is SQL (a syntax error), never a psql meta-command such as \!,
# and :name is never a psql variable. A file with its own BEGIN, COMMIT, END, ROLLBACK, ABORT,
# START TRANSACTION or PREPARE TRANSACTION runs statement by statement as a NO TRANSACTION file
# does (wrapped, it would end the wrapping transaction silently); it is recorded once all its
# statements ran. COPY ... FROM STDIN is refused (its rows would be read from this script).
#
# Concurrent runs: one psql session does all the work while holding a session-level advisory lock
# (key 7292002207198177138, the bytes of "e2e_migr"), so runs take turns: each creates the
# bookkeeping table and reads what is applied under the lock, and applies the rest. The lock goes
# with the session, also when psql fails or is killed. A run that finds the lock taken ends its
# session and tries again shortly after, as goose's session locker polls, rather than wait in
# pg_advisory_lock: a session waiting there keeps a snapshot open, which CREATE INDEX CONCURRENTLY
# in the running session would wait for in turn (a deadlock).
#
# Environment: MIGRATIONS_DIR; PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE (libpq);
# TERMINATION_LOG (default /dev/termination-log: Kubernetes shows it as the failure message);
# LOCK_TRIES (default 3000, about 10 minutes: how often to try for the lock before failing).
set -eu
dir=$MIGRATIONS_DIR
termination_log=${TERMINATION_LOG:-/dev/termination-log}
lock_key=7292002207198177138
lock_tries=${LOCK_TRIES:-3000}

fail() {
  printf '%s\n' "$1" >&2
  printf '%s\n' "$1" >"$termination_log" 2>/dev/null || true
  exit 1
}

# Postgres is Ready before this Job exists; allow a moment for its Service endpoint.
tries=0
until pg_isready --quiet; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then fail "PostgreSQL at ${PGHOST:-localhost}:${PGPORT:-5432} did not answer within 60 s"; fi
  sleep 1
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
driver=$work/driver.sql
log=$work/log

# The psql script ("driver") this run executes in one session. It reports its progress on
# stderr with \warn lines starting "e2e-migrations:", read back below.
printf '%s\n' \
  '\set ON_ERROR_STOP on' \
  '\set QUIET on' \
  "SELECT pg_try_advisory_lock($lock_key) AS e2e_locked \\gset" \
  '\if :e2e_locked' \
  '\else' \
  '\warn e2e-migrations: busy' \
  '\quit' \
  '\endif' \
  'SET client_min_messages TO warning;' \
  'CREATE TABLE IF NOT EXISTS e2e_infra_migrations (version bigint PRIMARY KEY, file text NOT NULL, sha256 text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());' \
  'RESET client_min_messages;' \
  "SELECT n.nspname AS e2e_schema FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = 'e2e_infra_migrations'::pg_catalog.regclass \\gset" \
  '\warn e2e-migrations: ready' >"$driver"

while read -r version file; do
  if [ -z "$version" ]; then continue; fi
  # Both go into the driver as SQL literals: the component writes digits and ConfigMap keys.
  case $version in *[!0-9]*) fail "manifest: version \"$version\" of $file is not a number" ;; esac
  case $file in '' | *[!._a-zA-Z0-9-]*) fail "manifest: file name \"$file\" (version $version) is not a ConfigMap key" ;; esac
  sum=$(sha256sum "$dir/$file" | cut -d ' ' -f 1)

  has_up=false
  if grep -Eq '^[[:space:]]*--[[:space:]]*\+goose[[:space:]]+Up([[:space:]]|$)' "$dir/$file"; then has_up=true; fi
  no_transaction=false
  if grep -Eq '^[[:space:]]*--[[:space:]]*\+goose[[:space:]]+NO[[:space:]]+TRANSACTION' "$dir/$file"; then no_transaction=true; fi

  # Splits the Up section into statements as psql's lexer does (strings, quoted identifiers,
  # dollar quotes, comments, parentheses, BEGIN ATOMIC bodies) and appends to the driver: run
  # each (with the line it starts on) unless this version is recorded; refuses what goose would
  # not run as one transaction. src/sql.ts does the same checks at preview.
  awk -v has_up="$has_up" -v no_transaction="$no_transaction" -v version="$version" -v file="$file" -v sum="$sum" \
    -v refusal="$work/refusal" '
    function reset_statement() {
      started = 0; seg = 0; text = ""; nwords = 0; w1 = ""; w2 = ""; w3 = ""; w4 = ""; paren = 0; bdepth = 0; copy_stdin = 0
    }
    function start(pos) { if (!started) { started = 1; first = NR; seg = pos } }
    function ident_start(c) { return index(IDENT, c) > 0 || c ~ /[\200-\377]/ }
    function ident_cont(c) { return ident_start(c) || index(DIGITS, c) > 0 || c == "$" }
    function word(w, cf) {
      w = tolower(w); nwords++
      if (nwords == 1) w1 = w; else if (nwords == 2) w2 = w; else if (nwords == 3) w3 = w; else if (nwords == 4) w4 = w
      if (w1 == "copy" && w == "stdin") copy_stdin = 1
      # As psql: in CREATE [OR REPLACE] FUNCTION|PROCEDURE, BEGIN ... END (BEGIN ATOMIC) holds semicolons.
      cf = w1 == "create" && (w2 == "function" || w2 == "procedure" || (w2 == "or" && w3 == "replace" && (w4 == "function" || w4 == "procedure")))
      if (cf && paren == 0) {
        if (w == "begin") bdepth++
        else if (w == "case") { if (bdepth >= 1) bdepth++ }
        else if (w == "end") { if (bdepth > 0) bdepth-- }
      }
    }
    function refuse(why) {
      if (problem == "") problem = "migration " file " (version " version "): line " first ": " why
    }
    function finish(piece, control) {
      text = text piece
      control = ""
      if (w1 == "begin" || w1 == "commit" || w1 == "end" || w1 == "abort") control = toupper(w1)
      else if (w1 == "start" && w2 == "transaction") control = "START TRANSACTION"
      else if (w1 == "prepare" && w2 == "transaction") control = "PREPARE TRANSACTION"
      else if (w1 == "rollback" && w2 != "to" && !((w2 == "work" || w2 == "transaction") && w3 == "to")) control = "ROLLBACK"
      # A file that ends transactions itself runs as a NO TRANSACTION file does (psql in
      # autocommit, as the Go setup ran such files): wrapped, its COMMIT would end the wrapping
      # transaction silently and a later failure would leave it applied but unrecorded.
      if (control != "" && own_tx == "") own_tx = control " at line " first
      if (copy_stdin) refuse("COPY ... FROM STDIN reads its rows from the client, which neither goose nor this Job sends: use INSERT")
      count++; stext[count] = text; sline[count] = first
      reset_statement()
    }
    function lex(s, n, i, c, d, j, t, p) {
      n = length(s); i = 1
      while (i <= n) {
        c = substr(s, i, 1)
        if (mode == "q") {
          if (c == "'\''") { if (substr(s, i + 1, 1) == "'\''") i++; else mode = "" }
          i++; continue
        }
        if (mode == "e") {
          if (c == "\\") i++
          else if (c == "'\''") { if (substr(s, i + 1, 1) == "'\''") i++; else mode = "" }
          i++; continue
        }
        if (mode == "i") {
          if (c == "\"") { if (substr(s, i + 1, 1) == "\"") i++; else mode = "" }
          i++; continue
        }
        if (mode == "d") {
          p = index(substr(s, i), tag)
          if (p == 0) return
          i += p - 1 + length(tag); mode = ""; continue
        }
        d = substr(s, i, 2)
        if (mode == "c") {
          if (d == "*/") { i += 2; if (--depth == 0) mode = ""; continue }
          if (d == "/*") { i += 2; depth++; continue }
          i++; continue
        }
        if (index(SPACE, c) > 0) { i++; continue }
        if (d == "--") return
        if (d == "/*") { mode = "c"; depth = 1; i += 2; continue }
        if (c == ";" && !started) { i++; continue }
        start(i)
        if (c == "'\''") { mode = "q"; i++; continue }
        if (c == "\"") { mode = "i"; i++; continue }
        if (c == "$") {
          j = i + 1
          if (ident_start(substr(s, j, 1))) { j++; while (j <= n && (ident_start(substr(s, j, 1)) || index(DIGITS, substr(s, j, 1)) > 0)) j++ }
          if (substr(s, j, 1) == "$") { tag = substr(s, i, j - i + 1); mode = "d"; i = j + 1; continue }
          i++; continue
        }
        if (ident_start(c)) {
          if ((c == "e" || c == "E") && substr(s, i + 1, 1) == "'\''") { mode = "e"; i += 2; continue }
          j = i + 1
          while (j <= n && ident_cont(substr(s, j, 1))) j++
          word(substr(s, i, j - i)); i = j; continue
        }
        if (c == ";" && paren == 0 && bdepth == 0) { finish(substr(s, seg, i - seg + 1)); i++; continue }
        if (c == "(") paren++
        else if (c == ")") { if (paren > 0) paren-- }
        i++
      }
    }
    BEGIN {
      IDENT = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_"; DIGITS = "0123456789"; SPACE = " \t\r\f\013"
      up = (has_up == "true") ? 0 : 1; mode = ""; problem = ""; count = 0; own_tx = ""
      reset_statement()
    }
    # A CRLF file: match its annotations as grep did above (grep counts \r as space; awk would not).
    { sub(/\r$/, "") }
    # Lines that do not run become empty lines, so statements keep the file'\''s line numbers.
    /^[ \t]*--[ \t]*\+goose[ \t]+Up([ \t]|$)/ { up = 1; $0 = "" }
    /^[ \t]*--[ \t]*\+goose[ \t]+Down([ \t]|$)/ { up = 0; $0 = "" }
    /^[ \t]*--[ \t]*\+goose[ \t]/ { $0 = "" }
    !up { $0 = "" }
    {
      line = $0
      if (no_transaction != "true") gsub(/[Ii][Nn][Dd][Ee][Xx][ \t]+[Cc][Oo][Nn][Cc][Uu][Rr][Rr][Ee][Nn][Tt][Ll][Yy]/, "INDEX", line)
      if (started) seg = 1
      lex(line)
      if (started) text = text substr(line, seg) "\n"
    }
    END {
      if (started) finish("")
      if (problem != "") { print problem > refusal; exit 3 }
      tx = no_transaction != "true" && own_tx == ""
      print "SELECT count(*) = 0 AS e2e_pending, coalesce(bool_or(sha256 <> '\''" sum "'\''), false) AS e2e_changed, coalesce(max(sha256), '\'''\'') AS e2e_recorded FROM :\"e2e_schema\".e2e_infra_migrations WHERE version = " version " \\gset"
      print "\\if :e2e_changed"
      print "\\warn e2e-migrations: changed " version " " file " :e2e_recorded " sum
      print "\\quit"
      print "\\elif :e2e_pending"
      print "\\warn e2e-migrations: begin " version " " file " " (tx ? "transaction" : "no-transaction")
      if (tx) print "BEGIN;"
      for (k = 1; k <= count; k++) {
        # Dollar-quoted with a tag the statement does not contain: psql passes it on untouched.
        tag = "$e2e_" sum "$"
        for (j = 1; index(stext[k], tag) > 0; j++) tag = "$e2e_" sum "_" j "$"
        print "\\warn e2e-migrations: statement " sline[k]
        print "SELECT " tag stext[k] tag " \\gexec"
      }
      print "\\warn e2e-migrations: record"
      if (!tx) print "BEGIN;"
      print "INSERT INTO :\"e2e_schema\".e2e_infra_migrations (version, file, sha256) VALUES (" version ", '\''" file "'\'', '\''" sum "'\'');"
      print "COMMIT;"
      # What a migration set for its session does not reach the next one (each had a session of its own).
      print "RESET SESSION AUTHORIZATION;"
      print "RESET ALL;"
      print "DISCARD TEMP;"
      print "DEALLOCATE ALL;"
      print "CLOSE ALL;"
      print "UNLISTEN *;"
      print "\\warn e2e-migrations: applied " version " " file
      print "\\else"
      print "\\warn e2e-migrations: present " version " " file
      print "\\endif"
    }
  ' "$dir/$file" >>"$driver" || fail "$(cat "$work/refusal" 2>/dev/null || echo "could not read migration $file (version $version)")"
done <"$dir/manifest"
printf '%s\n' '\warn e2e-migrations: done' >>"$driver"

attempts=0
while :; do
  status=0
  psql --no-psqlrc --quiet --file "$driver" 2>"$log" || status=$?
  if [ "$status" -ne 0 ] || [ "$(cat "$log")" != "e2e-migrations: busy" ]; then break; fi
  attempts=$((attempts + 1))
  if [ "$attempts" -ge "$lock_tries" ]; then
    fail "another session held the migrations lock (advisory lock $lock_key) through $attempts tries: another migrations run that does not end? See pg_locks where locktype = 'advisory', and pg_stat_activity for its session"
  fi
  if [ "$attempts" -eq 1 ]; then echo "waiting for another migrations run to finish (advisory lock $lock_key)"; fi
  # BusyBox and coreutils sleep take fractions; a strictly POSIX sleep would not.
  sleep 0.2 2>/dev/null || sleep 1
done

# psql's stderr: the markers above, and psql's and the server's messages about the statement
# being run (their "psql:<driver>:<line>: " prefix removed).
awk -v status="$status" -v prefix="psql:$driver:" -v failure="$work/failure" '
  function strip(line) {
    if (index(line, prefix) == 1) { line = substr(line, length(prefix) + 1); sub(/^[0-9]+: /, "", line) }
    return line
  }
  $1 == "e2e-migrations:" && $2 == "ready" { ready = 1; out = ""; next }
  $1 == "e2e-migrations:" && $2 == "begin" { version = $3; file = $4; mode = $5; line = ""; phase = "run"; out = ""; next }
  $1 == "e2e-migrations:" && $2 == "statement" { line = $3; next }
  $1 == "e2e-migrations:" && $2 == "record" { phase = "record"; next }
  $1 == "e2e-migrations:" && $2 == "applied" { printf "%s", out; print "applied " $4; applied++; file = ""; out = ""; next }
  $1 == "e2e-migrations:" && $2 == "present" { present++; next }
  $1 == "e2e-migrations:" && $2 == "changed" {
    message = "migration " $4 " (version " $3 ") was applied with other content (sha256 " $5 ", now " $6 "): migrations run once; recreate the database to apply the new content, or add a new migration"
    next
  }
  $1 == "e2e-migrations:" && $2 == "done" { done = 1; next }
  { out = out strip($0) "\n" }
  END {
    if (message == "" && (status != 0 || !done)) {
      if (!ready) message = "could not take the migrations lock or create the table e2e_infra_migrations: " out
      else if (file == "") message = "could not read e2e_infra_migrations: " out
      else if (phase == "record") message = "migration " file " (version " version ") " (mode == "no-transaction" ? "ran but " : "") "could not be recorded: " out
      else {
        message = "migration " file " (version " version ") failed: " (line != "" ? file ":" line ": " : "") out
        if (mode == "no-transaction") message = message "(it runs without a wrapping transaction: what ran before that stays applied, and the file is not recorded)\n"
      }
      if (status == 0) message = message "(psql ended before the last migration)"
    }
    if (message != "") { sub(/\n+$/, "", message); print message > failure; exit 1 }
    printf "%s", out
    print "migrations: " applied + 0 " applied, " present + 0 " already applied"
  }
' "$log" || fail "$(cat "$work/failure" 2>/dev/null || echo "psql exited with $status: $(cat "$log")")"
