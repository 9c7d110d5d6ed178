#!/usr/bin/env bash
# The shipped flows against one long-lived service, as QA runs them against staging several times a day: the
# whole suite twice in a row, then once more with --jobs 4, all against the same illajwala-api process and
# database (nothing reset in between). Every flow must pass every time: a flow that depends on a clean database,
# a fixed client address or data another flow (or an earlier run) created fails here.
#
# Serves a migrated, seeded temporary SQLite database (scripts/lib/local-api.sh, ILLAJWALA_ENV=test) with the
# per-client budgets of the `local` target's `server:` block and loopback as a trusted proxy, and runs the flows
# through the `ci` target with --base-url. Loopback only; the server and the folder are removed on exit.
#
# Environment (all optional):
#   SKIP_BUILD=1     use the binaries of the existing build (BIN_PATH, default: swift build --show-bin-path)
#   BIN_PATH         folder holding illajwala-api and illajwala-flows
#   REPORT_DIR       keep each run's reports under this folder (default: the temporary folder, removed on exit)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=lib/local-api.sh
source scripts/lib/local-api.sh

if [[ "${SKIP_BUILD:-}" != "1" ]]; then swift build --product illajwala-api && swift build --product illajwala-flows; fi
bin="${BIN_PATH:-$(swift build --show-bin-path)}"
for program in illajwala-api illajwala-flows; do
    [[ -x "$bin/$program" ]] || { echo "error: $bin/$program not found (BIN_PATH, or build first)" >&2; exit 2; }
done

local_api_workspace flows-long-lived
reports="${REPORT_DIR:-$local_api_work/reports}"
# The budgets of Flows/targets.yaml's `local` target (the runner is one client for the whole suite).
start_local_api "$bin/illajwala-api" "$local_api_work" \
    RATE_LIMIT_API_PER_MINUTE=6000 RATE_LIMIT_REGISTRATIONS_PER_MINUTE=600 RATE_LIMIT_PAYMENTS_PER_MINUTE=600 \
    RATE_LIMIT_LOGIN_FAILURES=20 "TRUSTED_PROXIES=127.0.0.1,::1"
echo "illajwala-api on $local_api_base (one process and database for every run below)"

failed=0
run_suite() {
    local label="$1" started elapsed status=0
    shift
    started=$(date +%s)
    "$bin/illajwala-flows" run --target ci --base-url "$local_api_base" --report-dir "$reports/$label" --quiet "$@" || status=$?
    elapsed=$(( $(date +%s) - started ))
    printf '%-28s exit %s in %s s\n' "$label" "$status" "$elapsed"
    if [[ $status -ne 0 ]]; then failed=1; fi
}
run_suite first-run
run_suite second-run
run_suite parallel-run --jobs 4

if [[ $failed -ne 0 ]]; then
    echo "error: a flow failed against the long-lived service (reports: $reports; server log: $local_api_work/server.log)" >&2
    if [[ -z "${REPORT_DIR:-}" ]]; then tail -n 40 "$local_api_work/server.log" >&2 || true; fi
    exit 1
fi
echo "every flow passed three times against one long-lived service"
