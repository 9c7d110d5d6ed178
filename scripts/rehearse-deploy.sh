#!/usr/bin/env bash
# The deployment path rehearsed on this machine with the real programs (docs/deployment-guide.md): the release archive
# (scripts/build-release.sh; nothing is built here), a throwaway PostgreSQL, Debian's nginx with the shipped site file
# rendered for loopback (its own prefix, configuration and logs in a temporary folder; not the system's service), the
# shipped deploy scripts with SLOT_CONTROL=process, and a loopback webhook receiver for the notifications. It plays:
#
#   first deploy       onto empty slots
#   second deploy      the same archive as a new release, while wrk sends steady traffic through nginx (TLS)
#   never ready        a release started with an unreachable database (an environment switch): rolled back
#   fails the gate     a release started with RATE_LIMIT_API_PER_MINUTE=1: ready, but its smoke flows fail: rolled back
#   failing migration  a migration that meets a conflicting index: the backup is restored, the old release serves
#   rollback           scripts/rollback.sh puts the previous release back, under wrk traffic
#   staging            the whole flow suite through nginx with the `staging` target and STAGING_* pointing here
#   schema restore     scripts/backup.sh, then writes, then scripts/migrate-rollback.sh --restore BACKUP: the writes
#                      after the backup are gone and the live slot serves again
#
# and prints a table of every scenario with its result, the requests wrk sent and those that failed (must be 0), and
# the durations. Exits 1 when any expectation fails. Loopback only; everything it starts is stopped and removed on exit.
#
# Environment (optional): ARCHIVE (default: the newest dist/illajwala-api-*-linux-*.tar.gz), KEEP=1 (keep the folder).
set -euo pipefail
# shellcheck source=lib/loopback-nginx.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/loopback-nginx.sh"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
archive="${ARCHIVE:-$( { find dist -maxdepth 1 -name 'illajwala-api-*-linux-*.tar.gz' 2>/dev/null || true; } | sort | tail -n 1)}"
[[ -n "$archive" && -f "$archive" ]] || { echo "error: no release archive: run scripts/build-release.sh (or set ARCHIVE)" >&2; exit 2; }
archive="$(cd "$(dirname "$archive")" && pwd)/$(basename "$archive")"
for tool in nginx wrk openssl pg_dump pg_restore psql curl python3 flock; do
    command -v "$tool" >/dev/null || { echo "error: $tool is needed (Debian: nginx wrk openssl postgresql-client curl python3 util-linux)" >&2; exit 2; }
done

work="$(mktemp -d "${TMPDIR:-/tmp}/illajwala-rehearsal.XXXXXX")"
pg_dir="$(mktemp -d "${TMPDIR:-/tmp}/illajwala-rehearsal-pg.XXXXXX")"
receiver_pid=""
wrk_pid=""
wrk_fresh_pid=""
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
    set +e
    for pid in "$wrk_pid" "$wrk_fresh_pid"; do if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi; done
    for pid_file in "$work"/host/state/*.pid; do [[ -f "$pid_file" ]] && kill -TERM "$(cat "$pid_file")" 2>/dev/null; done
    loopback_nginx_stop "$work/nginx"
    if [[ -n "$receiver_pid" ]]; then kill "$receiver_pid" 2>/dev/null; fi
    sleep 1
    for pid_file in "$work"/host/state/*.pid; do [[ -f "$pid_file" ]] && kill -KILL "$(cat "$pid_file")" 2>/dev/null; done
    scripts/postgres-throwaway.sh stop "$pg_dir" >/dev/null 2>&1
    if [[ "${KEEP:-}" == 1 ]]; then echo "kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
log() { printf '\n--- %s\n' "$*"; }

# --- the host: PostgreSQL, the service's environment, the deploy settings
database_url="$(scripts/postgres-throwaway.sh start "$pg_dir")"
host="$work/host"
mkdir -p "$host/env"
# --- nginx: the shipped site file rendered with loopback values, a self-signed certificate, its own prefix
mkdir -p "$host/state"
printf 'server 127.0.0.1:9 max_fails=0;\n' > "$host/state/upstream.conf"
loopback_nginx_start "$work/nginx" "$host/state/upstream.conf"
https_port="$loopback_nginx_https_port"
export DEPLOY_ROOT="$host" SLOT_CONTROL=process DEPLOY_ENVIRONMENT=staging DEPLOY_ACTOR=rehearsal
BLUE_PORT="$(free_port)"; GREEN_PORT="$(free_port)"; export BLUE_PORT GREEN_PORT
receiver_port="$(free_port)"
export READY_TIMEOUT_SECONDS=20 STOP_TIMEOUT_SECONDS=20
export DEPLOY_WEBHOOK_URL="http://127.0.0.1:$receiver_port/hook"
# Staging: PostgreSQL, the sandbox gateway (QA pays through its checkout stand-in), fast bcrypt for the seeded QA
# accounts, JSON logs, nginx on this host as the trusted proxy, per-client budgets for the QA window.
cat > "$host/env/illajwala.env" <<EOF
ILLAJWALA_ENV=development
DATABASE_URL=$database_url
JWT_SECRET=rehearsal-staging-jwt-secret-0123456789abcdef
BCRYPT_COST=4
LOG_FORMAT=json
TRUSTED_PROXIES=127.0.0.1,::1
SHUTDOWN_DRAIN_SECONDS=2
SHUTDOWN_TIMEOUT_SECONDS=10
RATE_LIMIT_API_PER_MINUTE=6000
RATE_LIMIT_REGISTRATIONS_PER_MINUTE=600
RATE_LIMIT_PAYMENTS_PER_MINUTE=600
RATE_LIMIT_LOGIN_FAILURES=20
EOF
chmod 600 "$host/env/illajwala.env"
# What QA's staging target reads (Flows/targets.yaml): the seeded development accounts of this throwaway database.
export STAGING_BASE_URL="$NGINX_LOCAL_URL" STAGING_ADMIN_EMAIL=admin@illajwala.dev STAGING_ADMIN_PASSWORD=Admin-dev-only-2026 \
    STAGING_DOCTOR_EMAIL=arjun.menon@doctors.illajwala.dev STAGING_DOCTOR_PASSWORD=Doctor-dev-only-2026 \
    STAGING_WEBHOOK_SECRET=dev-only-webhook-secret STAGING_OTHER_TENANT=sunrise-health STAGING_OTHER_ADMIN_EMAIL=admin@sunrise.dev \
    STAGING_OTHER_ADMIN_PASSWORD=Admin-dev-only-2026

# Runs a command with the service's environment file loaded.
# shellcheck source=/dev/null
with_service_env() { (set -a; source "$host/env/illajwala.env"; set +a; "$@"); }

# The QA accounts exist before the first deploy (seeded once, as a staging database is set up).
unpacked="$work/unpacked"
mkdir -p "$unpacked"
tar -xzf "$archive" -C "$unpacked"
release_bin="$(echo "$unpacked"/*/bin)"
version="$(tr -d ' \n' < "$(echo "$unpacked"/*/VERSION)")"
with_service_env "$release_bin/illajwala-api" migrate up >/dev/null
with_service_env env ILLAJWALA_ENV=test "$release_bin/illajwala-api" seed --fixtures Fixtures >/dev/null


# --- the notification receiver: records every POST (scripts/lib/webhook-receiver.py), one JSON line each
python3 scripts/lib/webhook-receiver.py "$receiver_port" "$work/notifications.jsonl" &
receiver_pid=$!

# --- scenarios
results=()
failures=0
expect() {  # NAME OK(0/1) DETAIL
    if [[ "$2" == 0 ]]; then results+=("$1|ok|$3"); else results+=("$1|FAILED|$3"); failures=$((failures + 1)); fi
}
live() { cat "$host/state/live" 2>/dev/null || echo none; }
live_release() { basename "$(readlink "$host/slots/$(live)")"; }
last_history() { tail -n 1 "$host/deploys.jsonl"; }
last_notification() {
    if [[ -s "$work/notifications.jsonl" ]]; then
        tail -n 1 "$work/notifications.jsonl" | python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin)["body"], ensure_ascii=False))'
    fi
}
field() { python3 -c 'import json, sys; print(json.loads(sys.argv[1]).get(sys.argv[2], ""))' "$1" "$2"; }
durations() { python3 -c 'import json, sys; d = json.loads(sys.argv[1])["durationsSeconds"]; print(" ".join(f"{k}={v:.1f}s" for k, v in sorted(d.items())))' "$1"; }
serves() { curl -sf -o /dev/null --max-time 3 "$NGINX_LOCAL_URL/health/ready"; }

# Steady traffic through nginx's TLS listener for as long as a scenario runs, from two wrk processes:
#  - fresh connections (Connection: close): every request opens a connection, so a refused connection, a reset or an
#    error answer during the switch counts — these must be 0;
#  - keep-alive connections, as browsers and apps hold them: an nginx reload closes the old workers' idle keep-alive
#    connections (nginx 1.22 has no setting against it), and a request sent on one at that instant never reaches nginx.
#    HTTP/1.1 clients retry such a request on a new connection (RFC 9112 §9.3.1; HTTP/2 clients get GOAWAY); wrk
#    counts it as a read error. These are printed as "keep-alive closes" apart from failures; an error answer or a
#    refused or timed-out connection on this wrk is a failure too.
# load_stop ends both from inside (their Lua script sees the stop file and stops each thread between requests: a
# signal alone would cut requests in flight and count them as errors), then sets `total`, `failed` and `load_note`.
cat > "$work/wrk-stop.lua" <<'LUA'
local stop_file
local responses = 0
function init(args) stop_file = args[1] end
function response(status, headers, body)
    responses = responses + 1
    if responses % 50 == 0 then
        local f = io.open(stop_file, "r")
        if f then f:close(); wrk.thread:stop() end
    end
end
LUA
load_start() {
    rm -f "$work/wrk.stop"
    local url="https://127.0.0.1:$https_port/health/live"
    wrk -t1 -c4 -d600s --timeout 5s -H "Connection: close" -s "$work/wrk-stop.lua" "$url" -- "$work/wrk.stop" > "$work/wrk-fresh.out" 2>&1 &
    wrk_fresh_pid=$!
    wrk -t1 -c4 -d600s --timeout 5s -s "$work/wrk-stop.lua" "$url" -- "$work/wrk.stop" > "$work/wrk.out" 2>&1 &
    wrk_pid=$!
    sleep 2
}
load_stop() {
    touch "$work/wrk.stop"
    sleep 0.5
    # The threads have stopped; the signal ends wrk's main thread (it sleeps for -d). Without responses (an outage)
    # the threads never look at the stop file and the signal ends them too — and their errors count.
    kill -INT "$wrk_fresh_pid" "$wrk_pid" 2>/dev/null || true
    wait "$wrk_fresh_pid" "$wrk_pid" || true
    wrk_pid=""; wrk_fresh_pid=""
    cat "$work/wrk-fresh.out" "$work/wrk.out" >> "$work/wrk-all.out"
    read -r total failed closes < <(python3 - "$work/wrk-fresh.out" "$work/wrk.out" <<'PY'
import re, sys
def counts(path):
    text = open(path).read()
    total = int(re.search(r"(\d+) requests in", text).group(1))
    errors = {kind: int(n) for kind, n in re.findall(r"(connect|read|write|timeout) (\d+)", text)}
    non2xx = int((re.search(r"Non-2xx or 3xx responses: (\d+)", text) or [0, 0])[1])
    return total, errors, non2xx
fresh_total, fresh_errors, fresh_non2xx = counts(sys.argv[1])
kept_total, kept_errors, kept_non2xx = counts(sys.argv[2])
failed = sum(fresh_errors.values()) + fresh_non2xx + kept_errors.get("connect", 0) + kept_errors.get("timeout", 0) + kept_non2xx
closes = kept_errors.get("read", 0) + kept_errors.get("write", 0)
print(fresh_total + kept_total, failed, closes)
PY
)
    load_note="$failed of $total requests failed, $closes keep-alive closes"
}

log "1. first deploy onto empty slots"
status=0; scripts/deploy-staging.sh "$archive" > "$work/1.log" 2>&1 || status=$?
history="$(last_history)"
expect "first deploy" "$([[ $status == 0 && $(live) == blue ]] && serves && echo 0 || echo 1)" \
    "exit $status, live $(live) ($(live_release)); $(durations "$history")"

log "2. second deploy of the same archive as $version-r2, under load"
load_start
status=0; scripts/deploy-staging.sh "$archive" --name "$version-r2" > "$work/2.log" 2>&1 || status=$?
load_stop
history="$(last_history)"
expect "second deploy under load" "$([[ $status == 0 && $(live) == green && $failed == 0 ]] && echo 0 || echo 1)" \
    "exit $status, live $(live) ($(live_release)); $load_note; $(durations "$history")"

log "3. a release that never becomes ready (unreachable database), under load"
load_start
status=0; scripts/deploy-staging.sh "$archive" --name "$version-never-ready" --env-override "DATABASE_URL=postgres://nobody@127.0.0.1:9/none" > "$work/3.log" 2>&1 || status=$?
load_stop
note="$(last_notification)"
expect "never ready: rolled back" "$([[ $status == 1 && $(live) == green && $(live_release) == "$version-r2" && $failed == 0 && "$note" == *"FAILED at 'start'"* ]] && serves && echo 0 || echo 1)" \
    "exit $status, live $(live) ($(live_release)); $load_note; notified: failed at 'start'; $(durations "$(last_history)")"

log "4. a release that is ready but fails the smoke flows (RATE_LIMIT_API_PER_MINUTE=1), under load"
load_start
status=0; scripts/deploy-staging.sh "$archive" --name "$version-fails-gate" --env-override RATE_LIMIT_API_PER_MINUTE=1 > "$work/4.log" 2>&1 || status=$?
load_stop
note="$(last_notification)"
expect "fails the gate: rolled back" "$([[ $status == 1 && $(live) == green && $failed == 0 && "$note" == *"FAILED at 'gate'"* ]] && serves && echo 0 || echo 1)" \
    "exit $status, live $(live) ($(live_release)); $load_note; notified: failed at 'gate'; $(durations "$(last_history)")"

log "5. a failing migration: migration 3 meets a conflicting index; the backup is restored"
# The live release's binary takes the schema back to version 2 (as if this release were new), and an index with the
# name migration 3 creates appears — the migration then fails against this database's contents.
with_service_env "$release_bin/illajwala-api" migrate down --to 2 --yes >/dev/null
psql "$database_url" -qc "CREATE INDEX payment_orders_by_status ON payment_orders (status, currency)"
load_start
status=0; scripts/deploy-staging.sh "$archive" --name "$version-migration" > "$work/5.log" 2>&1 || status=$?
load_stop
schema="$(psql "$database_url" -Atc "SELECT max(version) FROM schema_migrations")"
index="$(psql "$database_url" -Atc "SELECT indexdef FROM pg_indexes WHERE indexname = 'payment_orders_by_status'")"
expect "failing migration: restored" "$([[ $status == 1 && $schema == 2 && "$index" == *"status, currency"* && $(live) == green && $failed == 0 ]] && grep -q "restored from" "$work/5.log" && serves && echo 0 || echo 1)" \
    "exit $status, schema back at version $schema with the backup's index; live $(live); $load_note; $(durations "$(last_history)")"
psql "$database_url" -qc "DROP INDEX payment_orders_by_status"
with_service_env "$release_bin/illajwala-api" migrate up >/dev/null

log "6. rollback to the previous release, under load"
load_start
started=$(date +%s.%N)
status=0; scripts/rollback.sh > "$work/6.log" 2>&1 || status=$?
rollback_seconds="$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')"
load_stop
expect "rollback" "$([[ $status == 0 && $(live) == blue && $(live_release) == "$version" && $failed == 0 ]] && serves && echo 0 || echo 1)" \
    "exit $status, live $(live) ($(live_release)); $load_note; rollback ${rollback_seconds}s"

log "7. staging: the whole flow suite through nginx with the staging target"
started=$(date +%s)
status=0
"$release_bin/illajwala-flows" run "$(echo "$unpacked"/*/Flows)" --target staging --report-dir "$work/staging-reports" \
    --openapi "$(echo "$unpacked"/*/openapi.yaml)" --jobs 2 --quiet > "$work/7.log" 2>&1 || status=$?
expect "staging: all flows" "$([[ $status == 0 ]] && echo 0 || echo 1)" "exit $status, $(tail -n 1 "$work/7.log") in $(( $(date +%s) - started ))s"
# What a production deploy's gate runs (DEPLOY_ENVIRONMENT=production): the read-only flows, with the production target.
status=0
(DEPLOY_ENVIRONMENT=production; source scripts/lib/deploy-common.sh; echo "$gate_tags" >"$work/production-gate-tags"
    gate_flows "$(live_release)" "$NGINX_LOCAL_URL" production-check) || status=$?
expect "production gate flows" "$([[ $status == 0 ]] && echo 0 || echo 1)" \
    "exit $status: --tag $(cat "$work/production-gate-tags") --target production through nginx"

log "8. schema restore: scripts/backup.sh, later writes, then scripts/migrate-rollback.sh --restore"
appointments() { psql "$database_url" -Atc "SELECT count(*) FROM appointments"; }
backup="$(scripts/backup.sh --database-url "$database_url" --dir "$host/backups" --name nightly)"
at_backup="$(appointments)"
"$release_bin/illajwala-flows" run "$(echo "$unpacked"/*/Flows)" --target staging --tag smoke --report-dir "$work/writes-reports" --quiet > "$work/8-writes.log" 2>&1
after_writes="$(appointments)"
started=$(date +%s.%N)
status=0; scripts/migrate-rollback.sh --restore "$backup" --yes > "$work/8.log" 2>&1 || status=$?
restore_seconds="$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')"
restored="$(appointments)"
expect "schema restore from a backup" "$([[ $status == 0 && $restored == "$at_backup" && $after_writes -gt $at_backup && $(live) == blue ]] && serves && echo 0 || echo 1)" \
    "exit $status, appointments $at_backup at the backup, $after_writes after later writes, $restored restored; live $(live) again; restore ${restore_seconds}s (the slot is down meanwhile)"

history_lines="$(wc -l < "$host/deploys.jsonl")"
notifications="$(wc -l < "$work/notifications.jsonl")"
expect "history and notifications" "$([[ $history_lines == 7 && $notifications == 7 ]] && echo 0 || echo 1)" \
    "$history_lines deploys.jsonl entries, $notifications notifications received"

printf '\n%-30s %-7s %s\n' "scenario" "result" "details"
for row in "${results[@]}"; do
    IFS='|' read -r name result detail <<< "$row"
    printf '%-30s %-7s %s\n' "$name" "$result" "$detail"
done
if (( failures > 0 )); then
    echo "error: $failures scenario(s) did not go as expected (logs: $work/*.log, $host/logs/; KEEP=1 keeps them)" >&2
    for n in 1 2 3 4 5 6 7 8; do echo "--- $n.log (tail)" >&2; tail -n 15 "$work/$n.log" >&2 || true; done
    exit 1
fi
echo "every scenario went as expected"
