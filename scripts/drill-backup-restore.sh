#!/usr/bin/env bash
# Backup and restore drill (docs/backup-restore.md): proves a backup can be restored and says what it holds and what
# it loses, with the real programs on loopback — the release's illajwala-api on a throwaway PostgreSQL:
#
#   1. seed the fixtures, then run the patient flows against the service (registrations, bookings, payments,
#      cancellations, waitlist entries) — the data of a working day;
#   2. scripts/backup.sh (pg_dump -Fc, SHA-256, retention), counting every table's rows at that moment;
#   3. more bookings after the backup (another flow run) — the writes a restore from this backup loses;
#   4. scripts/restore.sh into a new database with the release's verification (schema version, rows per table, a
#      sample of appointments read through the restored service's API);
#   5. checks: every table of the copy holds exactly the rows of the backup's moment, the writes after it are absent,
#      a damaged backup is refused, and a restore never overwrites an existing database;
#   6. point-in-time recovery: the cluster archives its WAL from the start (archive_command to a local folder) and a
#      base backup (pg_basebackup) is taken before the day; after the writes that followed the dump, an operator's
#      mistake (every appointment set to cancelled) is undone by recovering a new cluster from the base backup and the
#      archived WAL to the moment before it — with the bookings the dump lost;
# and prints the backup's size and duration, the restore's duration and the RPO of each method. Exit 1 when an
# expectation fails. About a minute.
#
# Usage: scripts/drill-backup-restore.sh   (env: ARCHIVE = the release archive, default the newest in dist/; KEEP=1)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/drill-common.sh"
cd "$drill_root"

archive="$(drill_archive)"
drill_begin backup-restore
release_bin="$(drill_unpack "$archive" "$drill_work/release")"
drill_postgres
database_url="$drill_database_url"
live_pg_dir="$drill_pg_dir"
port="$(drill_free_port)"
api="http://127.0.0.1:$port"
# WAL archiving from the start, and a base backup before any data: what point-in-time recovery needs. The folder is
# the database server's (it runs as the postgres user when this runs as root).
pitr="$drill_work/pitr"
mkdir -p "$pitr"
chmod 755 "$drill_work" "$pitr"
scripts/postgres-throwaway.sh archive "$live_pg_dir" "$pitr/wal"
pg_basebackup -d "$database_url" -D "$pitr/base" -X fetch -c fast
drill_say "WAL archiving on (archive_command copies each segment to $pitr/wal), base backup taken"
drill_booking_service "$release_bin" "$database_url" "$port"
drill_say "illajwala-api $(tr -d '\n' <"$(dirname "$release_bin")/VERSION") serving on $api (PostgreSQL)"

# rows per table of a database, "table count" lines sorted by table
rows_per_table() {
    psql "$1" -AtF ' ' <<'SQL'
SELECT format('SELECT %L, count(*) FROM %I.%I', tablename, schemaname, tablename) FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename
\gexec
SQL
}
appointments() { psql "$1" -Atc 'SELECT count(*) FROM appointments'; }
# appointments per status of a database, "cancelled=9 confirmed=2"
appointment_statuses() {
    psql "$1" -Atc "SELECT string_agg(status || '=' || n, ' ' ORDER BY status) FROM (SELECT status, count(*) AS n FROM appointments GROUP BY status) s"
}

# --- 1. a working day
"$release_bin/illajwala-flows" run Flows/patient --target ci --base-url "$api" --report-dir "$drill_work/day" -q >"$drill_work/day.log" 2>&1 ||
    { tail -n 20 "$drill_work/day.log" >&2; drill_check "the day's flows" 1 "see above"; }
drill_say "the day: patient flows run ($(grep -o '[0-9]* passed' "$drill_work/day.log" | head -n 1 || echo '?')); $(appointments "$database_url") appointments"

# --- 2. the backup (the service keeps running: pg_dump reads one consistent snapshot)
rows_per_table "$database_url" >"$drill_work/rows-at-backup.txt"
backup_started="$(drill_now)"
backup="$(scripts/backup.sh --database-url "$database_url" --dir "$drill_work/backups" --name drill --retention-days 14)"
backup_seconds="$(drill_since "$backup_started")"
backup_bytes="$(stat -c %s "$backup")"
drill_check "backup written" "$([[ -s "$backup" && -s "$backup.sha256" ]] && echo 0 || echo 1)" \
    "$(basename "$backup"): $backup_bytes bytes in $backup_seconds s, SHA-256 beside it"

# retention: an old dump (and its checksum) goes, today's stay
touch -d '20 days ago' "$drill_work/backups/drill-20000101T000000Z.dump" "$drill_work/backups/drill-20000101T000000Z.dump.sha256"
scripts/backup.sh --database-url "$database_url" --dir "$drill_work/backups" --name retention --retention-days 14 >/dev/null
drill_check "retention" "$([[ ! -e "$drill_work/backups/drill-20000101T000000Z.dump" && ! -e "$drill_work/backups/drill-20000101T000000Z.dump.sha256" && -e "$backup" ]] && echo 0 || echo 1)" \
    "a 20-day-old dump and its checksum deleted with --retention-days 14, today's kept"

# --- 3. writes after the backup
before_writes="$(appointments "$database_url")"
"$release_bin/illajwala-flows" run Flows/patient/book-each-consultation-mode.yaml --target ci --base-url "$api" --report-dir "$drill_work/after" -q \
    >"$drill_work/after.log" 2>&1 || { tail -n 20 "$drill_work/after.log" >&2; drill_check "writes after the backup" 1 "see above"; }
after_writes="$(appointments "$database_url")"
lost=$((after_writes - before_writes))
drill_say "after the backup: $lost more appointments ($after_writes in the live database)"

# --- 4. restore into a new database, verified by the release
restore_started="$(drill_now)"
RESTORE_VERIFY_PASSWORD=Admin-dev-only-2026 scripts/restore.sh --backup "$backup" --database-url "$database_url" \
    --target-database illajwala_restored --api-bin "$release_bin" --verify-email admin@illajwala.dev --sample 5 \
    --report "$drill_work/restore.json" | sed 's/^/  /'
restore_seconds="$(drill_since "$restore_started")"
restored_url="${database_url%/*}/illajwala_restored"

# --- 5. what the copy holds and what it lost (restore.sh counted the rows before its API check logged in, which
# writes a refresh token into the copy)
python3 -c 'import json, sys
for table, rows in sorted(json.load(open(sys.argv[1]))["rowsPerTable"].items()): print(table, rows)' "$drill_work/restore.json" \
    >"$drill_work/rows-restored.txt"
if diff -u "$drill_work/rows-at-backup.txt" "$drill_work/rows-restored.txt" >"$drill_work/rows.diff"; then
    drill_check "the copy holds the backup's moment" 0 "$(wc -l <"$drill_work/rows-restored.txt") tables, each with the rows it had when the backup was taken"
else
    drill_check "the copy holds the backup's moment" 1 "rows differ: $(tr '\n' ' ' <"$drill_work/rows.diff")"
fi
restored_appointments="$(appointments "$restored_url")"
drill_check "writes after the backup are lost" "$([[ "$restored_appointments" == "$before_writes" && "$lost" -gt 0 ]] && echo 0 || echo 1)" \
    "copy: $restored_appointments appointments, live: $after_writes — the $lost booked after the backup are not in it"
checked="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["appointmentsReadThroughAPI"])' "$drill_work/restore.json")"
drill_check "readable through the API" "$([[ "$checked" -gt 0 ]] && echo 0 || echo 1)" "$checked appointments read through the restored service"

# refusals: a damaged backup, an existing database
# A damaged copy beside the original, its .sha256 copied as it is (it names the original, which still matches).
damaged="$(dirname "$backup")/damaged.dump"
cp "$backup" "$damaged"
cp "$backup.sha256" "$damaged.sha256"
printf 'x' | dd of="$damaged" bs=1 seek=$((backup_bytes / 2)) conv=notrunc status=none
status=0
scripts/restore.sh --backup "$damaged" --database-url "$database_url" --target-database illajwala_damaged >/dev/null 2>"$drill_work/damaged.err" || status=$?
drill_check "a damaged backup is refused" "$([[ "$status" == 1 && -z "$(psql "$database_url" -Atc "SELECT 1 FROM pg_database WHERE datname = 'illajwala_damaged'")" ]] && echo 0 || echo 1)" \
    "exit $status: $(head -n 1 "$drill_work/damaged.err")"
status=0
scripts/restore.sh --backup "$backup" --database-url "$database_url" --target-database illajwala_restored >/dev/null 2>"$drill_work/exists.err" || status=$?
drill_check "never overwrites" "$([[ "$status" == 1 && "$(appointments "$restored_url")" == "$restored_appointments" ]] && echo 0 || echo 1)" \
    "exit $status: $(head -n 1 "$drill_work/exists.err")"

# --- 6. point-in-time recovery past an operator's mistake
sleep 1.1
recovery_target="$(psql "$database_url" -Atc 'SELECT now()')"
statuses_before="$(appointment_statuses "$database_url")"
sleep 1.1
psql "$database_url" -qc "UPDATE appointments SET status = 'cancelled'"
statuses_after="$(appointment_statuses "$database_url")"
drill_say "the mistake, after $recovery_target: every appointment set to cancelled by hand (now $statuses_after)"
segment="$(psql "$database_url" -Atc 'SELECT pg_walfile_name(pg_switch_wal())')"
for _ in $(seq 1 60); do
    [[ "$(psql "$database_url" -Atc "SELECT coalesce(last_archived_wal >= '$segment', false) FROM pg_stat_archiver")" == t ]] && break
    sleep 0.5
done
pitr_started="$(drill_now)"
recovered_dir="$(mktemp -d "${TMPDIR:-/tmp}/illajwala-drill-pg.XXXXXX")"
drill_pg_dirs+=("$recovered_dir")
recovered_url="$(scripts/postgres-throwaway.sh recover "$recovered_dir" "$pitr/base" "$pitr/wal" "$recovery_target")"
pitr_seconds="$(drill_since "$pitr_started")"
statuses_recovered="$(appointment_statuses "$recovered_url")"
drill_check "point-in-time recovery" "$([[ "$statuses_recovered" == "$statuses_before" && "$statuses_after" != "$statuses_before" ]] && echo 0 || echo 1)" \
    "recovered to $recovery_target in $pitr_seconds s: appointments $statuses_recovered (before the mistake: $statuses_before), the $lost booked after the dump included"
wal_segments="$(find "$pitr/wal" -maxdepth 1 -type f -name '0*' ! -name '*.backup' | wc -l)"

rpo_window="$(awk -v a="$restore_started" -v b="$backup_started" 'BEGIN { printf "%.1f", a - b }')"
printf '\n%-34s %s\n' "backup (pg_dump -Fc)" "$backup_bytes bytes, $backup_seconds s"
printf '%-34s %s\n' "restore + verification" "$restore_seconds s ($(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["restoreSeconds"])' "$drill_work/restore.json") s of it pg_restore)"
printf '%-34s %s\n' "lost by restoring this backup" "the $lost appointments booked after it (the later writes of the ${rpo_window} s between the dump and the restore)"
printf '%-34s %s\n' "RPO of the dump" "the time since the last dump: up to 24 h with a nightly dump (docs/backup-restore.md)"
printf '%-34s %s\n' "point-in-time recovery" "$pitr_seconds s from a base backup and $wal_segments archived WAL segments; lost nothing before the target"
printf '%-34s %s\n\n' "RPO with WAL archiving" "the last archived segment: archive_timeout (300 s) plus the copy off the host"
drill_end
