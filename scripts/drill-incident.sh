#!/usr/bin/env bash
# Incident drill (docs/incident-response.md): one alert followed end to end by the documented procedure, with the real
# programs on loopback — the release's illajwala-api on a throwaway PostgreSQL, Prometheus and Alertmanager with the
# shipped configuration (scripts/lib/monitoring.sh), a loopback pager:
#
#   queries   every `promql` block of docs/runbooks.md runs against Prometheus and every `sql` block against the
#             database (each must succeed), so no runbook query rots;
#   detect    PostgreSQL stops; IllajwalaDatabaseDown must page (critical → pager) with its runbook link;
#   triage    the runbook's triage block (docs/runbooks.md, "Database down") runs as written with byexample (PyPI):
#             every command must print what the runbook shows (live 200, ready 503, database_up 0, no response…);
#   mitigate  PostgreSQL starts again (what `systemctl start postgresql` is on a host);
#   verify    the runbook's verify block runs as written; the resolution must reach the pager.
# Prints the timeline and exits 1 when a step fails. About two minutes, most of it the rule's `for: 1m`.
#
# Usage: scripts/drill-incident.sh   (env: ARCHIVE = the release archive, default the newest in dist/; KEEP=1)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/drill-common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/monitoring.sh"
cd "$drill_root"
command -v byexample >/dev/null 2>&1 || python3 -m pip install --quiet --disable-pip-version-check byexample
command -v pg_isready >/dev/null || { echo "drill-incident: pg_isready is missing (Debian: postgresql-client)" >&2; exit 2; }
runbook=docs/runbooks.md

archive="$(drill_archive)"
drill_begin incident
drill_cleanups+=(monitoring_stop)
release_bin="$(drill_unpack "$archive" "$drill_work/release")"
drill_postgres
port="$(drill_free_port)"
drill_booking_service "$release_bin" "$drill_database_url" "$port"
monitoring_start "$drill_work/monitoring" "127.0.0.1:$port"
export API="http://127.0.0.1:$port" DATABASE_URL="$drill_database_url"
wait_for_prometheus 'min(database_up{job="illajwala-api"})' '^1$' 30 ||
    { echo "drill-incident: Prometheus does not see the service (database_up)" >&2; exit 1; }
drill_say "illajwala-api on $API, Prometheus $PROMETHEUS_URL, Alertmanager $ALERTMANAGER_URL, pager receiver ready"

# --- every query the runbooks give
python3 - "$runbook" "$drill_work/queries" <<'PY'
import pathlib, re, sys
text, out = pathlib.Path(sys.argv[1]).read_text(), pathlib.Path(sys.argv[2])
out.mkdir()
for index, (language, body) in enumerate(re.findall(r"^ *```(promql|sql)\n(.*?)^ *```", text, re.M | re.S)):
    (out / f"{index:02d}.{language}").write_text("\n".join(line.strip() for line in body.strip().splitlines()))
PY
failed_queries=0
for query_file in "$drill_work"/queries/*; do
    query="$(cat "$query_file")"
    case "$query_file" in
    *.promql)
        answer="$(curl -s --max-time 10 "$PROMETHEUS_URL/api/v1/query" --data-urlencode "query=$query")"
        if [[ "$(jq -r .status <<<"$answer")" != success ]]; then
            drill_say "query failed: $query — $(jq -r .error <<<"$answer")"; failed_queries=$((failed_queries + 1))
        fi ;;
    *.sql)
        if ! psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -Atc "$query" >/dev/null 2>"$drill_work/sql.err"; then
            drill_say "query failed: $query — $(head -n 1 "$drill_work/sql.err")"; failed_queries=$((failed_queries + 1))
        fi ;;
    esac
done
query_count="$(find "$drill_work/queries" -type f | wc -l)"
drill_check "runbook queries" "$([[ "$failed_queries" == 0 && "$query_count" -gt 0 ]] && echo 0 || echo 1)" \
    "$query_count queries of $runbook ($(find "$drill_work/queries" -name '*.promql' | wc -l) PromQL, $(find "$drill_work/queries" -name '*.sql' | wc -l) SQL) run, $failed_queries failed"

# The runbook's blocks of one step (`<!-- incident-drill: STEP -->` before a fenced block), as a document of its own.
runbook_step() {
    python3 - "$runbook" "$1" "$drill_work/$1.md" <<'PY'
import re, sys
text, step, out = open(sys.argv[1]).read(), sys.argv[2], sys.argv[3]
match = re.search(r"<!-- incident-drill: " + re.escape(step) + r" -->\n(```console\n.*?\n```)", text, re.S)
if not match:
    sys.exit(f"drill-incident: {sys.argv[1]} has no '<!-- incident-drill: {step} -->' block")
open(out, "w").write(match.group(1) + "\n")
PY
}
runbook_step triage
runbook_step verify
# Every runnable command of the runbook is in those two steps: one elsewhere would be run by neither this drill nor the
# documentation test (which leaves this document to the drill).
all_commands="$(grep -cE '^\s*\$ ' "$runbook" || true)"
step_commands="$(cat "$drill_work/triage.md" "$drill_work/verify.md" | grep -cE '^\$ ' || true)"
drill_check "runbook commands all drilled" "$([[ "$all_commands" == "$step_commands" ]] && echo 0 || echo 1)" \
    "$step_commands of the $all_commands commands of $runbook are in its triage and verify steps"
run_step() { ENV="$drill_root/scripts/lib/byexample-session.sh" byexample -l shell --timeout 20 --pretty none "$drill_work/$1.md" >"$drill_work/$1.log" 2>&1; }

# --- the incident
fault="$(drill_now)"
scripts/postgres-throwaway.sh halt "$drill_pg_dir"
drill_say "fault: PostgreSQL stopped"
expect_notification IllajwalaDatabaseDown firing 180 "$fault" "$runbook#database-down" || true
detected="$notification_seconds"
drill_say "detect: paged — SEV1 declared, the runbook's Database down section opened"
triage_started="$(drill_now)"
status=0
run_step triage || status=$?
[[ "$status" == 0 ]] || cat "$drill_work/triage.log" >&2
drill_check "triage" "$status" "the runbook's triage block as written: $(tail -n 1 "$drill_work/triage.log") ($(drill_since "$triage_started") s)"

mitigated="$(drill_now)"
scripts/postgres-throwaway.sh resume "$drill_pg_dir"
drill_say "mitigate: PostgreSQL started again"
# The operator re-runs the checks until the service is back: readiness, then Prometheus' next scrape.
drill_wait_http_status "$API/health/ready" 200 30 >/dev/null || true
wait_for_prometheus 'min(database_up{job="illajwala-api"})' '^1$' 10 || true
status=0
run_step verify || status=$?
[[ "$status" == 0 ]] || cat "$drill_work/verify.log" >&2
drill_check "verify" "$status" "the runbook's verify block as written: $(tail -n 1 "$drill_work/verify.log") ($(drill_since "$mitigated") s after the restart)"
expect_notification IllajwalaDatabaseDown resolved 120 "$mitigated" || true
resolved="$notification_seconds"

printf '\n%-12s %s\n' "detect" "$detected s from the fault to the page"
printf '%-12s %s\n' "triage" "the runbook's $(grep -c '^\$ ' "$drill_work/triage.md") commands, each printing what it shows"
printf '%-12s %s\n' "mitigate" "PostgreSQL restarted; the service reconnected by itself"
printf '%-12s %s\n\n' "verify" "the runbook's $(grep -c '^\$ ' "$drill_work/verify.md") checks; resolution paged $resolved s after the restart"
drill_end
