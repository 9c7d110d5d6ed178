#!/usr/bin/env bash
# CI's load smoke test: serves the release illajwala-api on a fresh SQLite database on loopback and runs
# LoadScenarios/ci-smoke.yaml against it with the release illajwala-flows (a short, small open-model run with
# generous thresholds that must never flake on a busy machine), then checks the four reports
# (scripts/check-load-report.sh). The real figures come from scripts/benchmark-api.sh.
#
# Usage: scripts/load-smoke.sh RELEASE_BIN_DIR     (the bin/ folder of the release archive)
# Exit: illajwala-flows load's status (0 thresholds held, 1 one broke …), or the report check's.
set -euo pipefail

[[ $# -eq 1 ]] || { echo "usage: $0 RELEASE_BIN_DIR" >&2; exit 2; }
bin_dir=$1
for program in illajwala-api illajwala-flows; do
    [[ -x "$bin_dir/$program" ]] || { echo "error: $bin_dir/$program is missing (give the release archive's bin/ folder)" >&2; exit 2; }
done
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=scripts/lib/local-api.sh
source "$root/scripts/lib/local-api.sh"
local_api_workspace load-smoke
start_local_api "$bin_dir/illajwala-api" "$local_api_work" "${local_api_bulk_limits[@]}" TRUSTED_PROXIES=127.0.0.1,::1

started=$(date +%s)
status=0
"$bin_dir/illajwala-flows" load --scenario LoadScenarios/ci-smoke.yaml --target ci --base-url "$local_api_base" \
    --report-dir "$local_api_work/reports" || status=$?
echo "load smoke test: exit $status in $(( $(date +%s) - started )) s"
if [[ -f "$local_api_work/reports/load.json" ]]; then
    # Kept in the repository's reports/ first: the temporary folder goes when this script exits, whatever the check says.
    mkdir -p reports/load
    cp "$local_api_work/reports"/load* reports/load/
    echo "reports kept in reports/load/"
    scripts/check-load-report.sh reports/load
fi
exit "$status"
