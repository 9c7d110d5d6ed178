#!/usr/bin/env bash
# Puts the previous release back (or a named one kept in releases/) without a new build (docs/rollback-procedures.md):
# starts the idle slot on it, waits for /health/ready 200, runs the smoke flows against it directly, switches nginx
# (in-flight requests finish; no connection is refused), then drains and stops the slot that was live. The schema
# stays as it is: the release rolled back to keeps working on it as long as the migrations since were expand-only
# (the service refuses to start on a schema with a newer contract migration; then see scripts/migrate-rollback.sh).
#
#   scripts/rollback.sh [RELEASE] [--skip-gate]
#
#   RELEASE      a folder of releases/ (default: the release of the idle slot, i.e. the one live before the last deploy)
#   --skip-gate  switch without running the smoke flows first (when the flows themselves cannot run; still waits for
#                /health/ready)
#
# Settings: scripts/lib/deploy-common.sh. Exit: 0 rolled back; 1 failed (the live slot kept serving); 2 bad usage.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

target=""
skip_gate=0
while [[ $# -gt 0 ]]; do
    case "$1" in
    --skip-gate) skip_gate=1; shift ;;
    -*) echo "rollback.sh: unknown option '$1'" >&2; exit 2 ;;
    *) target="$1"; shift ;;
    esac
done

# shellcheck source=lib/deploy-common.sh
source "$here/lib/deploy-common.sh"
exec 9> "$deploy_root/state/deploy.lock"
flock -n 9 || { echo "rollback.sh: another deploy or rollback is running on this host" >&2; exit 2; }

started_all="$(now)"
live="$(live_slot)"
[[ -n "$live" ]] || { echo "rollback.sh: no slot is live (state/live is missing): nothing to roll back from" >&2; exit 2; }
idle="$(other_slot "$live")"
current="$(slot_release "$live")"
target="${target:-$(slot_release "$idle")}"
[[ "$target" != none && -d "$deploy_root/releases/$target" ]] || {
    echo "rollback.sh: no release to roll back to (releases/: $(find "$deploy_root/releases" -mindepth 1 -maxdepth 1 -type d ! -name '.*' -printf '%f '))" >&2
    exit 2
}
[[ "$target" != "$current" ]] || { echo "rollback.sh: $target is already live on $live" >&2; exit 2; }
commit="$("$deploy_root/releases/$target/bin/illajwala-api" --version | sed -n 's/.*(commit \([^,]*\),.*/\1/p')"
say "rollback: $current on $live → $target on $idle"

failed() {
    say "rollback FAILED: $1"
    slot_stop "$idle"
    record_history rollback failed "$target" "$commit" "$2" "{\"total\":$(elapsed_since "$started_all")}"
    notify "illajwala $deploy_environment: rollback to $target FAILED at '$2' ($1); $current keeps serving on $live. Log: $deploy_log"
    exit 1
}

slot_start "$idle" "$target"
slot_wait_ready "$idle" || failed "slot $idle did not become ready on $target" start
if (( ! skip_gate )); then
    gate_flows "$target" "http://127.0.0.1:$(slot_port "$idle")" rollback || failed "the smoke flows failed against $target" gate
fi
nginx_switch "$idle" || { nginx_switch "$live" || true; failed "nginx could not be switched" switch; }
echo "$idle" > "$deploy_root/state/live"
slot_stop "$live"
record_history rollback succeeded "$target" "$commit" "" "{\"total\":$(elapsed_since "$started_all")}"
notify "illajwala $deploy_environment: rolled back to $target on $idle (was $current) by $deploy_actor in $(elapsed_since "$started_all") s."
