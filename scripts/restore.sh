#!/usr/bin/env bash
# Restores a backup of scripts/backup.sh into a NEW database and proves the copy is whole (docs/backup-restore.md):
#
#   scripts/restore.sh --backup DIR/LABEL-<time>.dump --database-url postgres://…/postgres --target-database NAME
#                      [--api-bin DIR --verify-email ADMIN_EMAIL [--verify-tenant TENANT] [--sample N]] [--report FILE]
#
#   1. the backup's SHA-256 (the .sha256 beside it) must match, and pg_restore must read its table of contents;
#   2. NAME must not exist on the server of --database-url (a restore never overwrites: the live database is switched
#      to the copy afterwards, by the operator, once it is proven); it is created and filled with
#      `pg_restore --single-transaction --exit-on-error` (all or nothing: on failure the new database is dropped);
#   3. verification: the schema version (schema_migrations) and, with --api-bin, `illajwala-api migrate status` of
#      that release reading no pending or unknown migration; row counts per table; with --api-bin and --verify-email,
#      the restored database served by that release's illajwala-api on a loopback port, an admin of --verify-tenant
#      (default `default`; password from RESTORE_VERIFY_PASSWORD, never an argument) logging in, and a sample of N
#      appointments (default 5) read through GET /api/appointments/{id} with the status the database holds.
#
# Prints what it checked and the durations; --report writes them as JSON. Exit 0 restored and verified; 1 a check
# failed (the message names it; a verified-failing copy is kept for inspection and its name printed); 2 bad usage.
set -euo pipefail

backup="" database_url="${DATABASE_URL:-}" target="" api_bin="" verify_email="" verify_tenant="default" sample=5 report=""
# value OPTION VALUE…: VALUE, or exit 2 naming the option when it is missing.
value() { [[ $# -ge 2 && -n "$2" && "$2" != --* ]] || { echo "restore.sh: $1 needs a value" >&2; exit 2; }; echo "$2"; }
while [[ $# -gt 0 ]]; do
    case "$1" in
    --backup) backup="$(value "$@")"; shift 2 ;;
    --database-url) database_url="$(value "$@")"; shift 2 ;;
    --target-database) target="$(value "$@")"; shift 2 ;;
    --api-bin) api_bin="$(value "$@")"; shift 2 ;;
    --verify-email) verify_email="$(value "$@")"; shift 2 ;;
    --verify-tenant) verify_tenant="$(value "$@")"; shift 2 ;;
    --sample) sample="$(value "$@")"; shift 2 ;;
    --report) report="$(value "$@")"; shift 2 ;;
    *) echo "restore.sh: unknown argument '$1' (see the header of $0)" >&2; exit 2 ;;
    esac
done
[[ -n "$backup" ]] || { echo "restore.sh: --backup is required" >&2; exit 2; }
[[ -f "$backup" ]] || { echo "restore.sh: --backup $backup: no such file" >&2; exit 2; }
[[ "$database_url" =~ ^postgres(ql)?://[^/]+/[^/?]+(\?.*)?$ ]] || { echo "restore.sh: --database-url (or DATABASE_URL) must be a postgres://host/database URL" >&2; exit 2; }
[[ "$target" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || { echo "restore.sh: --target-database must be 1-63 of a-z, 0-9 and '_', not starting with a digit (got '$target')" >&2; exit 2; }
[[ "$sample" =~ ^[0-9]+$ && "$sample" -le 1000 ]] || { echo "restore.sh: --sample must be 0 to 1000" >&2; exit 2; }
if [[ -n "$api_bin" && ! -x "$api_bin/illajwala-api" ]]; then echo "restore.sh: --api-bin $api_bin holds no illajwala-api" >&2; exit 2; fi
if [[ -n "$verify_email" && -z "$api_bin" ]]; then echo "restore.sh: --verify-email needs --api-bin (the release that serves the copy)" >&2; exit 2; fi
if [[ -n "$verify_email" && -z "${RESTORE_VERIFY_PASSWORD:-}" ]]; then echo "restore.sh: --verify-email needs the password in RESTORE_VERIFY_PASSWORD" >&2; exit 2; fi
for tool in pg_restore psql sha256sum curl python3; do
    command -v "$tool" >/dev/null || { echo "restore.sh: $tool not found (Debian: postgresql-client curl python3)" >&2; exit 2; }
done

now() { date +%s.%3N; }
since() { awk -v start="$1" -v end="$(now)" 'BEGIN { printf "%.2f", end - start }'; }
say() { printf 'restore: %s\n' "$*"; }
fail() { echo "restore.sh: $*" >&2; exit 1; }
started="$(now)"
# The copy's URL: the same server and credentials, the new database.
target_url="$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$database_url" "$target")"
server_pid=""
work="$(mktemp -d "${TMPDIR:-/tmp}/illajwala-restore.XXXXXX")"
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
    if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- 1. the backup is the one that was written, and readable
checksum="$backup.sha256"
[[ -f "$checksum" ]] || fail "$checksum is missing: an unchecked backup is not restored (scripts/backup.sh writes it beside the dump)"
# The digest of the file given, against the first field of its .sha256 (not the file that .sha256 names: a copy
# renamed beside its original would otherwise be checked through the original).
expected_digest="$(awk 'NR == 1 { print $1 }' "$checksum")"
[[ "$expected_digest" =~ ^[0-9a-f]{64}$ ]] || fail "$checksum holds no SHA-256 digest"
actual_digest="$(sha256sum "$backup" | awk '{ print $1 }')"
[[ "$actual_digest" == "$expected_digest" ]] || fail "$backup does not match $checksum: the file is damaged or not the backup that was taken"
pg_restore --list "$backup" >"$work/toc.txt" 2>"$work/toc.err" || fail "pg_restore cannot read $backup: $(head -n 1 "$work/toc.err" | grep . || echo 'it stopped without a message (a damaged file)')"
say "backup $backup: checksum matches, $(grep -c ' TABLE DATA ' "$work/toc.txt") tables of data, $(du -h "$backup" | cut -f1)"

# --- 2. a new database, filled all or nothing
exists="$(psql "$database_url" -Atc "SELECT 1 FROM pg_database WHERE datname = '$target'")" || fail "cannot reach the server of --database-url"
[[ -z "$exists" ]] || fail "database $target already exists: a restore never overwrites; choose another --target-database"
psql "$database_url" -qc "CREATE DATABASE \"$target\"" >/dev/null
restore_started="$(now)"
if ! pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$target_url" "$backup" 2>"$work/restore.err"; then
    psql "$database_url" -qc "DROP DATABASE IF EXISTS \"$target\"" >/dev/null 2>&1 || true
    fail "pg_restore failed, database $target dropped: $(head -n 3 "$work/restore.err")"
fi
restore_seconds="$(since "$restore_started")"
say "restored into database $target in $restore_seconds s"

# --- 3. verification
keep_failed() { fail "$1 — the copy $target is kept for inspection (drop it with: psql … -c 'DROP DATABASE $target')"; }
schema_version="$(psql "$target_url" -Atc 'SELECT max(version) FROM schema_migrations' 2>/dev/null)" || keep_failed "the copy has no schema_migrations table"
if [[ -n "$api_bin" ]]; then
    "$api_bin/illajwala-api" migrate status --database-url "$target_url" >"$work/status.txt" 2>&1 || keep_failed "illajwala-api migrate status failed: $(tail -n 1 "$work/status.txt")"
    if grep -vE '^applied ' "$work/status.txt" | grep -q .; then keep_failed "the copy's schema is not this release's: $(grep -vE '^applied ' "$work/status.txt" | head -n 3 | tr '\n' ';')"; fi
    say "schema version $schema_version: every migration of $("$api_bin/illajwala-api" --version) applied, none unknown"
else
    say "schema version $schema_version"
fi
psql "$target_url" -AtF ' ' >"$work/counts.txt" <<'SQL'
SELECT format('SELECT %L, count(*) FROM %I.%I', tablename, schemaname, tablename) FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename
\gexec
SQL
say "rows per table:"
awk '{ printf "  %-28s %10d\n", $1, $2 }' "$work/counts.txt"

api_checked=0
if [[ -n "$verify_email" ]]; then
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
    # A verification instance only: loopback, its own random signing key, development mode (no TLS cookies needed).
    env ILLAJWALA_ENV=development DATABASE_URL="$target_url" JWT_SECRET="$(python3 -c 'import secrets; print(secrets.token_hex(32))')" \
        "$api_bin/illajwala-api" serve --host 127.0.0.1 --port "$port" >"$work/server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 150); do
        curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$port/health/ready" && break
        kill -0 "$server_pid" 2>/dev/null || keep_failed "the release's illajwala-api did not start on the copy: $(tail -n 2 "$work/server.log")"
        sleep 0.2
    done
    login="$(python3 -c 'import json, os, sys; print(json.dumps({"email": sys.argv[1], "password": os.environ["RESTORE_VERIFY_PASSWORD"], "role": "admin"}))' "$verify_email")"
    token="$(curl -s --max-time 10 -H 'Content-Type: application/json' -H "X-Tenant-Id: $verify_tenant" \
        -d "$login" "http://127.0.0.1:$port/api/auth/login" | python3 -c 'import json, sys; print(json.load(sys.stdin).get("data", {}).get("accessToken", ""))' 2>/dev/null || true)"
    [[ -n "$token" ]] || keep_failed "the admin $verify_email of tenant $verify_tenant cannot log in to the restored service"
    while read -r id status; do
        [[ -n "$id" ]] || continue
        served="$(curl -s --max-time 10 -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/appointments/$id" |
            python3 -c 'import json, sys; print(json.load(sys.stdin).get("data", {}).get("status", "missing"))' 2>/dev/null || echo unreadable)"
        [[ "$served" == "$status" ]] || keep_failed "appointment $id: the database says $status, the restored service answers $served"
        api_checked=$((api_checked + 1))
    done < <(psql "$target_url" -AtF ' ' -c "SELECT id, status FROM appointments WHERE tenant_id = '$verify_tenant' ORDER BY random() LIMIT $sample")
    [[ "$api_checked" -gt 0 ]] || say "warning: tenant $verify_tenant has no appointments in the copy: none could be read through the API"
    say "$api_checked appointments of tenant $verify_tenant read through the restored service's API, each with the status the database holds"
fi

total_seconds="$(since "$started")"
if [[ -n "$report" ]]; then
    python3 - "$report" "$backup" "$target" "$schema_version" "$restore_seconds" "$total_seconds" "$api_checked" "$work/counts.txt" <<'PY'
import json, os, sys
report, backup, target, version, restore_seconds, total_seconds, checked, counts = sys.argv[1:9]
tables = {name: int(rows) for name, rows in (line.split() for line in open(counts) if line.strip())}
json.dump({"backup": backup, "backupBytes": os.path.getsize(backup), "database": target, "schemaVersion": int(version),
           "restoreSeconds": float(restore_seconds), "totalSeconds": float(total_seconds),
           "appointmentsReadThroughAPI": int(checked), "rowsPerTable": tables}, open(report, "w"), indent=2)
PY
fi
say "done in $total_seconds s: database $target is a verified copy of $(basename "$backup")"
