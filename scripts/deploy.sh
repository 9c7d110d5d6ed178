#!/usr/bin/env bash
# Deploys a release archive to this host's idle slot and switches nginx to it (docs/deployment-guide.md):
#
#   1 verify   the archive's SHA-256 (ARCHIVE.sha256 beside it), unpack it into releases/<name>/
#   2 migrate  pg_dump -Fc backup named after the release; only expand migrations may run (the live release keeps
#              working on the new schema); their SQL linted with squawk when installed; `migrate up` with the new
#              binary — if it fails, the backup is restored before anything else happens
#   3 start    the idle slot on the new release; wait for /health/ready 200
#   4 gate     the release's smoke flows against the idle slot directly, before any user traffic reaches it
#   5 switch   nginx to the new slot (`nginx -t`, reload: in-flight requests finish), then the smoke flows through nginx
#   6 retire   the old slot drains and stops (SIGTERM); its release folder stays for rollback
#
# Any failure in 3–5 rolls back by itself: traffic stays on (or returns to) the old slot, the new slot is stopped,
# the notification names the failed step and the log, and the script exits 1. Every deploy is recorded in
# deploys.jsonl (release, commit, who, when, result, step durations) and announced (DEPLOY_WEBHOOK_URL, Slack JSON).
#
#   scripts/deploy.sh ARCHIVE [--name RELEASE] [--env-override KEY=VALUE]… [--allow-contract]
#
#   --name            the release folder's name (default: the archive's version), e.g. to deploy a rebuilt archive again
#   --env-override    a setting for the new slot only, over env/illajwala.env (repeatable)
#   --allow-contract  let a contract migration run (it breaks the live release: plan a maintenance window)
#
# Settings: scripts/lib/deploy-common.sh. Exit: 0 deployed; 1 failed and rolled back; 2 bad usage or settings;
# 3 failed and the old slot could not be restored (act now: the log says what happened).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

archive=""
name=""
allow_contract=0
overrides=()
while [[ $# -gt 0 ]]; do
    case "$1" in
    --name) name="${2:?--name needs a value}"; shift 2 ;;
    --env-override) [[ "${2:-}" == *=* ]] || { echo "deploy.sh: --env-override needs KEY=VALUE" >&2; exit 2; }; overrides+=("$2"); shift 2 ;;
    --allow-contract) allow_contract=1; shift ;;
    -*) echo "deploy.sh: unknown option '$1' (see the header of $0)" >&2; exit 2 ;;
    *) [[ -z "$archive" ]] || { echo "deploy.sh: one archive only" >&2; exit 2; }; archive="$1"; shift ;;
    esac
done
[[ -n "$archive" ]] || { echo "usage: deploy.sh ARCHIVE [--name RELEASE] [--env-override KEY=VALUE]… [--allow-contract]" >&2; exit 2; }
[[ -f "$archive" ]] || { echo "deploy.sh: $archive: no such file" >&2; exit 2; }

# shellcheck source=lib/deploy-common.sh
source "$here/lib/deploy-common.sh"

exec 9> "$deploy_root/state/deploy.lock"
flock -n 9 || { echo "deploy.sh: another deploy or rollback is running on this host" >&2; exit 2; }

declare -A durations=()
started_all="$(now)"
step=""
step_started=""
begin() { step="$1"; step_started="$(now)"; say "== $1"; }
done_step() { durations[$step]="$(elapsed_since "$step_started")"; }
durations_json() {
    local json="{" first=1
    for key in "${!durations[@]}"; do
        [[ $first -eq 1 ]] || json+=","
        json+="\"$key\":${durations[$key]}"
        first=0
    done
    echo "$json,\"total\":$(elapsed_since "$started_all")}"
}

old_slot="$(live_slot)"
if [[ -n "$old_slot" ]] && ! slot_running "$old_slot"; then
    say "state/live names $old_slot but it is not running: deploying as onto an empty host"
    old_slot=""
fi
new_slot="$(if [[ -n "$old_slot" ]]; then other_slot "$old_slot"; else echo blue; fi)"
old_release="$(if [[ -n "$old_slot" ]]; then slot_release "$old_slot"; else echo none; fi)"
# What the idle slot pointed at before (the release before the live one): put back when this deploy fails, so that a
# rollback still finds it.
idle_link_before="$(readlink "$deploy_root/slots/$new_slot" 2>/dev/null || true)"
release=""
commit="unknown"
switched=0

# Ends a failed deploy: traffic back on the old slot, the new slot stopped, history and notification.
fail() {
    local reason="$1"
    durations[$step]="$(elapsed_since "$step_started")"
    say "FAILED at $step: $reason"
    local status=1
    if (( switched )); then
        if [[ -z "$old_slot" ]]; then
            # A first deploy: nothing was live before, and nothing is now.
            rm -f "$deploy_root/state/live"
            nginx_switch "" || status=3
        elif slot_running "$old_slot" && nginx_switch "$old_slot"; then
            echo "$old_slot" > "$deploy_root/state/live"
            say "traffic is back on $old_slot ($old_release)"
        else
            say "traffic could not be put back on the old slot"
            status=3
        fi
    fi
    if [[ "$step" == start || "$step" == gate || "$step" == switch ]]; then
        slot_stop "$new_slot"
        if [[ -n "$idle_link_before" ]]; then ln -sfn "$idle_link_before" "$deploy_root/slots/$new_slot"; else rm -f "$deploy_root/slots/$new_slot"; fi
    fi
    record_history deploy failed "${release:-unknown}" "$commit" "$step" "$(durations_json)"
    notify "illajwala $deploy_environment: deploy of ${release:-$archive} FAILED at '$step' ($reason); $(if [[ -n "$old_slot" ]]; then echo "$old_release keeps serving on $old_slot"; else echo "no release is live"; fi). Log: $deploy_log"
    exit "$status"
}

begin verify
(cd "$(dirname "$archive")" && sha256sum --quiet -c "$(basename "$archive").sha256") >> "$deploy_log" 2>&1 \
    || fail "the archive does not match $(basename "$archive").sha256"
staging_dir="$(mktemp -d "$deploy_root/releases/.unpack.XXXXXX")"
trap 'rm -rf "$staging_dir"' EXIT
tar -xzf "$archive" -C "$staging_dir" || fail "the archive cannot be unpacked"
top="$(find "$staging_dir" -mindepth 1 -maxdepth 1 -type d | head -n 1)"
[[ -x "$top/bin/illajwala-api" && -x "$top/bin/illajwala-flows" ]] || fail "the archive holds no bin/illajwala-api and bin/illajwala-flows"
release="${name:-$(tr -d ' \n\r' < "$top/VERSION")}"
[[ "$release" =~ ^[A-Za-z0-9._-]+$ ]] || fail "release name '$release' may hold letters, digits, '.', '_' and '-' only"
commit="$("$top/bin/illajwala-api" --version | sed -n 's/.*(commit \([^,]*\),.*/\1/p')"
if [[ -d "$deploy_root/releases/$release" ]]; then
    if [[ "$release" == "$old_release" ]]; then fail "release $release is the live one; give the new deploy another --name"; fi
    if ! cmp -s "$top/bin/illajwala-api" "$deploy_root/releases/$release/bin/illajwala-api"; then
        fail "releases/$release exists with another build; give this one another --name"
    fi
    rm -rf "$top"
else
    mv "$top" "$deploy_root/releases/$release"
fi
new_bin="$deploy_root/releases/$release/bin"
# The archive is kept under its release name: production is deployed from the very file staging ran.
mkdir -p "$deploy_root/archives"
if [[ "$(cd "$(dirname "$archive")" && pwd)/$(basename "$archive")" != "$deploy_root/archives/$release.tar.gz" ]]; then
    cp "$archive" "$deploy_root/archives/$release.tar.gz"
fi
(cd "$deploy_root/archives" && sha256sum "$release.tar.gz" > "$release.tar.gz.sha256")
say "release $release (commit $commit) → slot $new_slot; live: ${old_slot:-none} ($old_release)"
done_step

begin migrate
database_url="$(service_env DATABASE_URL)"
[[ -n "$database_url" ]] || fail "DATABASE_URL is not set in $service_env_file"
backup="$("$here/backup.sh" --database-url "$database_url" --dir "$deploy_root/backups" --name "before-$release" \
    --retention-days "$backup_retention_days" 2>> "$deploy_log")" || fail "the backup failed"
say "backup: $backup"
# shellcheck source=/dev/null
run_api() { (set -a; source "$service_env_file"; set +a; "$new_bin/illajwala-api" "$@"); }
plan="$(run_api migrate plan 2>> "$deploy_log")" || fail "the migration plan could not be read"
say "pending migrations: ${plan:-none}"
if grep -q ' contract ' <<< "$plan" && (( ! allow_contract )); then
    fail "a contract migration is pending: it breaks the live release; split it (docs/database-migrations.md) or use --allow-contract"
fi
if [[ -n "$plan" ]] && command -v squawk >/dev/null; then
    run_api migrate sql --pending > "$deploy_root/logs/migrations-$deploy_stamp.sql" 2>> "$deploy_log"
    squawk --config "$here/../ops/squawk.toml" "$deploy_root/logs/migrations-$deploy_stamp.sql" >> "$deploy_log" 2>&1 \
        || fail "squawk found locking hazards in the pending migrations (logs/migrations-$deploy_stamp.sql)"
fi
if ! run_api migrate up >> "$deploy_log" 2>&1; then
    say "the migration failed: restoring $backup"
    if pg_restore --clean --if-exists --no-owner --single-transaction --dbname "$database_url" "$backup" >> "$deploy_log" 2>&1; then
        fail "the migration failed; the database was restored from $backup"
    fi
    step="migrate (restore)"
    fail "the migration failed AND the restore of $backup failed: the database needs an operator now"
fi
done_step

begin start
slot_start "$new_slot" "$release" "${overrides[@]}"
slot_wait_ready "$new_slot" || fail "slot $new_slot did not become ready (log: $deploy_root/logs/$new_slot.log)"
done_step

begin gate
gate_flows "$release" "http://127.0.0.1:$(slot_port "$new_slot")" direct \
    || fail "the smoke flows failed against slot $new_slot (reports: logs/gate-$deploy_stamp-direct)"
done_step

begin switch
switched=1
nginx_switch "$new_slot" || fail "nginx could not be switched"
echo "$new_slot" > "$deploy_root/state/live"
gate_flows "$release" "$nginx_local_url" through-nginx \
    || fail "the smoke flows failed through nginx (reports: logs/gate-$deploy_stamp-through-nginx)"
done_step

begin retire
if [[ -n "$old_slot" ]]; then slot_stop "$old_slot"; fi
done_step

record_history deploy succeeded "$release" "$commit" "" "$(durations_json)"
notify "illajwala $deploy_environment: $release (commit ${commit:0:12}) is live on $new_slot; previous: $old_release. Deployed by $deploy_actor in $(elapsed_since "$started_all") s."
