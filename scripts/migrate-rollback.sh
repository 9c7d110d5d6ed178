#!/usr/bin/env bash
# The way back from a migration (docs/database-migrations.md, docs/rollback-procedures.md), for when the schema itself
# must go back — a contract migration, or an expand migration that misbehaves:
#
#   scripts/migrate-rollback.sh --to N                # the documented down-migrations to version N (after a fresh backup)
#   scripts/migrate-rollback.sh --restore BACKUP      # the database as it was in BACKUP (e.g. the pre-deploy one)
#
# Either way the live slot is stopped first (no writes during the change), a fresh backup is taken, the schema is
# changed with the live release's own binary (down-migrations) or pg_restore (--single-transaction: all or nothing),
# and the live slot is started again and must answer /health/ready. Data written after BACKUP is lost with --restore:
# the script names the backup's time and asks to confirm (--yes without a terminal).
#
# Settings: scripts/lib/deploy-common.sh. Exit: 0 done; 1 failed; 2 bad usage.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

to=""
restore=""
yes=0
while [[ $# -gt 0 ]]; do
    case "$1" in
    --to) to="${2:?--to needs a version}"; shift 2 ;;
    --restore) restore="${2:?--restore needs a backup file}"; shift 2 ;;
    --yes) yes=1; shift ;;
    *) echo "migrate-rollback.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
if [[ -z "$to" && -z "$restore" ]] || [[ -n "$to" && -n "$restore" ]]; then
    echo "usage: migrate-rollback.sh --to N | --restore BACKUP [--yes]" >&2
    exit 2
fi
[[ -z "$to" || "$to" =~ ^[0-9]+$ ]] || { echo "migrate-rollback.sh: --to needs a whole number" >&2; exit 2; }

# shellcheck source=lib/deploy-common.sh
source "$here/lib/deploy-common.sh"
exec 9> "$deploy_root/state/deploy.lock"
flock -n 9 || { echo "migrate-rollback.sh: another deploy or rollback is running on this host" >&2; exit 2; }

live="$(live_slot)"
[[ -n "$live" ]] || { echo "migrate-rollback.sh: no slot is live (state/live is missing)" >&2; exit 2; }
release="$(slot_release "$live")"
bin="$deploy_root/releases/$release/bin"
database_url="$(service_env DATABASE_URL)"
if [[ -n "$restore" ]]; then
    [[ -f "$restore" ]] || { echo "migrate-rollback.sh: $restore: no such backup" >&2; exit 2; }
    (cd "$(dirname "$restore")" && sha256sum --quiet -c "$(basename "$restore").sha256") || { echo "migrate-rollback.sh: $restore does not match its .sha256" >&2; exit 1; }
    what="restore $restore (taken $(date -u -r "$restore" +%Y-%m-%dT%H:%M:%SZ); later writes are lost)"
else
    what="roll the schema back to version $to with $release's down-migrations"
fi
say "migrate-rollback: $what; slot $live ($release) stops meanwhile"
if (( ! yes )); then
    [[ -t 0 ]] || { echo "migrate-rollback.sh: not confirmed: run again with --yes (standard input is not a terminal)" >&2; exit 2; }
    read -r -p "type 'yes' to go on: " answer
    [[ "$answer" == yes ]] || { echo "not confirmed; nothing was changed" >&2; exit 1; }
fi

started_all="$(now)"
slot_stop "$live"
backup="$("$here/backup.sh" --database-url "$database_url" --dir "$deploy_root/backups" --name "before-migrate-rollback" \
    --retention-days "$backup_retention_days")"
say "backup: $backup"
status=0
if [[ -n "$restore" ]]; then
    pg_restore --clean --if-exists --no-owner --single-transaction --dbname "$database_url" "$restore" >> "$deploy_log" 2>&1 || status=$?
else
    # shellcheck source=/dev/null
    (set -a; source "$service_env_file"; set +a; "$bin/illajwala-api" migrate down --to "$to" --yes --backup "$backup") >> "$deploy_log" 2>&1 || status=$?
fi
slot_start "$live" "$release"
if ! slot_wait_ready "$live"; then
    say "slot $live ($release) does not start on the changed schema: deploy or roll back to a release that matches it"
    status=1
fi
record_history migrate-rollback "$( (( status == 0 )) && echo succeeded || echo failed)" "$release" "" "" "{\"total\":$(elapsed_since "$started_all")}"
notify "illajwala $deploy_environment: migrate-rollback ($what) $( (( status == 0 )) && echo succeeded || echo FAILED); backup taken first: $backup. Log: $deploy_log"
exit "$status"
