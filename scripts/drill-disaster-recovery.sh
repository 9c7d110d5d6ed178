#!/usr/bin/env bash
# Disaster-recovery drill (docs/disaster-recovery.md): a host is lost and a new one is brought to serving from nothing
# but the backup and the release archive, by the documented procedure — the command blocks of
# docs/disaster-recovery.md, run as written with byexample (PyPI) — with the real programs on loopback:
#
#   the old host   the release's illajwala-api on a throwaway PostgreSQL, seeded, the patient flows run against it,
#                  scripts/backup.sh, the dump copied "off the host"; then the service, the cluster and the folder
#                  are destroyed;
#   the new host   provisioned: a fresh folder, a fresh PostgreSQL cluster, a fresh nginx with the shipped site
#                  (scripts/lib/loopback-nginx.sh), the secrets (env files) as the secret store would hold them;
#                  then the procedure: unpack the archive, restore.sh (verified), deploy.sh (smoke flows gate the
#                  switch), verify through nginx.
#
# Prints the recovery time (RTO of the procedure, provisioning included) and compares it with the budget written in
# docs/disaster-recovery.md (`rto-procedure-budget-seconds`); checks the new host holds the backup's appointments.
# Exit 1 when the procedure or an expectation fails. About a minute and a half.
#
# Usage: scripts/drill-disaster-recovery.sh   (env: ARCHIVE = the release archive, default the newest in dist/; KEEP=1)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/drill-common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/loopback-nginx.sh"
cd "$drill_root"
command -v byexample >/dev/null 2>&1 || python3 -m pip install --quiet --disable-pip-version-check byexample

document=docs/disaster-recovery.md
budget="$(sed -n 's/.*rto-procedure-budget-seconds: \([0-9]*\).*/\1/p' "$document")"
[[ "$budget" =~ ^[0-9]+$ ]] || { echo "drill-disaster-recovery: $document has no rto-procedure-budget-seconds marker" >&2; exit 2; }
archive="$(drill_archive)"
drill_begin disaster-recovery
# shellcheck disable=SC2317  # called by the EXIT trap
stop_new_host() {
    local pid_file
    for pid_file in "$drill_work"/new-host/root/state/*.pid; do [[ -f "$pid_file" ]] && kill -TERM "$(cat "$pid_file")" 2>/dev/null; done
    loopback_nginx_stop "$drill_work/new-host/nginx"
    sleep 1
}
drill_cleanups+=(stop_new_host)

# --- the old host, its day, its backup; then it is lost
old="$drill_work/old-host"
release_bin="$(drill_unpack "$archive" "$old/release")"
drill_postgres
old_pg_dir="$drill_pg_dir"
old_database_url="$drill_database_url"
port="$(drill_free_port)"
drill_booking_service "$release_bin" "$old_database_url" "$port"
"$release_bin/illajwala-flows" run "$(dirname "$release_bin")/Flows/patient" --target ci --base-url "http://127.0.0.1:$port" \
    --report-dir "$old/day" -q >"$old/day.log" 2>&1 || { tail -n 20 "$old/day.log" >&2; exit 1; }
backup_appointments="$(psql "$old_database_url" -Atc 'SELECT count(*) FROM appointments')"
mkdir -p "$drill_work/offsite"
backup="$(scripts/backup.sh --database-url "$old_database_url" --dir "$old/backups" --name nightly)"
cp "$backup" "$backup.sha256" "$drill_work/offsite/"
cp "$archive" "$drill_work/offsite/"
if [[ -f "$archive.sha256" ]]; then cp "$archive.sha256" "$drill_work/offsite/"; fi
drill_say "old host: $backup_appointments appointments, backed up to $(basename "$backup") ($(stat -c %s "$backup") bytes), copied off the host"
kill "$drill_service_pid"; wait "$drill_service_pid" 2>/dev/null || true
scripts/postgres-throwaway.sh stop "$old_pg_dir"
rm -rf "$old"
drill_say "old host lost: service, PostgreSQL cluster and folder destroyed"

# --- the new host: provisioning (timed: it is part of the recovery)
recovery_started="$(drill_now)"
new="$drill_work/new-host"
deploy_root="$new/root"
mkdir -p "$deploy_root/state" "$new/secrets"
drill_postgres
admin_database_url="$drill_database_url"
printf 'server 127.0.0.1:9 max_fails=0;\n' >"$deploy_root/state/upstream.conf"
loopback_nginx_start "$new/nginx" "$deploy_root/state/upstream.conf"
# The secret store's copies of the host's two environment files; the database URL names the new cluster.
cat >"$new/secrets/illajwala.env" <<EOF
ILLAJWALA_ENV=development
DATABASE_URL=${admin_database_url%/*}/illajwala
JWT_SECRET=drill-dr-new-host-jwt-secret-0123456789
BCRYPT_COST=4
LOG_FORMAT=json
TRUSTED_PROXIES=127.0.0.1,::1
SHUTDOWN_DRAIN_SECONDS=1
SHUTDOWN_TIMEOUT_SECONDS=10
RATE_LIMIT_API_PER_MINUTE=6000
RATE_LIMIT_REGISTRATIONS_PER_MINUTE=600
RATE_LIMIT_PAYMENTS_PER_MINUTE=600
RATE_LIMIT_LOGIN_FAILURES=20
EOF
# The drill's host plays staging: the gate's smoke flows log in with the seeded accounts the backup holds.
cat >"$new/secrets/deploy.env" <<EOF
export DEPLOY_ENVIRONMENT=staging SLOT_CONTROL=process DEPLOY_ACTOR=disaster-recovery
export BLUE_PORT=$(drill_free_port) GREEN_PORT=$(drill_free_port)
export NGINX_LOCAL_URL="$NGINX_LOCAL_URL" NGINX_TEST="$NGINX_TEST" NGINX_RELOAD="$NGINX_RELOAD"
export READY_TIMEOUT_SECONDS=30 STOP_TIMEOUT_SECONDS=20
export STAGING_BASE_URL="$NGINX_LOCAL_URL" STAGING_ADMIN_EMAIL=admin@illajwala.dev STAGING_ADMIN_PASSWORD=Admin-dev-only-2026
export STAGING_DOCTOR_EMAIL=arjun.menon@doctors.illajwala.dev STAGING_DOCTOR_PASSWORD=Doctor-dev-only-2026
export STAGING_WEBHOOK_SECRET=dev-only-webhook-secret STAGING_OTHER_TENANT=sunrise-health
export STAGING_OTHER_ADMIN_EMAIL=admin@sunrise.dev STAGING_OTHER_ADMIN_PASSWORD=Admin-dev-only-2026
EOF
chmod 600 "$new/secrets/"*.env
provisioned_seconds="$(drill_since "$recovery_started")"
drill_say "new host provisioned in $provisioned_seconds s: fresh folder, PostgreSQL cluster, nginx on $NGINX_LOCAL_URL"

# --- the procedure, as docs/disaster-recovery.md writes it
procedure_started="$(drill_now)"
status=0
env ENV="$drill_root/scripts/lib/byexample-session.sh" DEPLOY_ROOT="$deploy_root" ARCHIVE="$drill_work/offsite/$(basename "$archive")" \
    BACKUP="$drill_work/offsite/$(basename "$backup")" SECRETS_DIR="$new/secrets" ADMIN_DATABASE_URL="$admin_database_url" \
    VERIFY_ADMIN_EMAIL=admin@illajwala.dev RESTORE_VERIFY_PASSWORD=Admin-dev-only-2026 NGINX_LOCAL_URL="$NGINX_LOCAL_URL" \
    byexample -l shell --timeout 60 --pretty none "$document" >"$drill_work/procedure.log" 2>&1 || status=$?
procedure_seconds="$(drill_since "$procedure_started")"
rto_seconds="$(drill_since "$recovery_started")"
if [[ "$status" != 0 ]]; then
    cat "$drill_work/procedure.log" >&2
    if [[ -f "$deploy_root/recovery/deploy.log" ]]; then tail -n 30 "$deploy_root/recovery/deploy.log" >&2; fi
fi
drill_check "the documented procedure" "$status" "$(tail -n 1 "$drill_work/procedure.log") ($procedure_seconds s)"

restored="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["rowsPerTable"]["appointments"])' "$deploy_root/recovery/restore.json" 2>/dev/null || echo none)"
serving="$(psql "${admin_database_url%/*}/illajwala" -Atc 'SELECT count(*) FROM appointments' 2>/dev/null || echo none)"
drill_check "the backup's data serves again" "$([[ "$restored" == "$backup_appointments" && "$serving" -ge "$restored" ]] && echo 0 || echo 1)" \
    "$restored appointments restored of $backup_appointments in the backup; $serving now, with the smoke flows' bookings"
served="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$NGINX_LOCAL_URL/api/doctors?limit=1" || true)"
drill_check "nginx routes to the recovered release" "$([[ "$served" == 401 || "$served" == 200 ]] && echo 0 || echo 1)" \
    "GET /api/doctors through nginx answers $served (the API, not nginx's 502)"
within="$(awk -v r="$rto_seconds" -v b="$budget" 'BEGIN { print (r <= b) ? 0 : 1 }')"
drill_check "RTO within the budget" "$within" "$rto_seconds s against $budget s (docs/disaster-recovery.md)"

printf '\n%-36s %s\n' "provisioning (folder, cluster, nginx)" "$provisioned_seconds s"
printf '%-36s %s\n' "procedure (unpack, restore, deploy)" "$procedure_seconds s"
printf '%-36s %s\n\n' "RTO measured / budget" "$rto_seconds s / $budget s"
drill_end
