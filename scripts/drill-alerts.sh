#!/usr/bin/env bash
# Alert delivery drill (docs/incident-response.md, docs/runbooks.md): proves an alert reaches a person, end to end,
# with the real programs on loopback — the release's illajwala-api on a throwaway PostgreSQL, Debian's Prometheus
# scraping it with ops/prometheus/prometheus.yml and evaluating ops/prometheus/alerts.yml as shipped, Debian's
# Alertmanager routing with ops/alertmanager/alertmanager.yml to a loopback pager/chat receiver that checks each
# notification's format (scripts/lib/monitoring.sh says what the drill override changes: intervals, addresses).
#
#   1. 5xx: the payment gateway is dead (PAYMENT_GATEWAY_URL points at a closed loopback port) while patients try to
#      pay (illajwala-flows load with ops/drills/payment-gateway-outage.yaml, 2 requests/s): every payment order
#      answers 503 PAYMENT_GATEWAY_UNAVAILABLE, as documented;
#   2. database down, meanwhile: PostgreSQL is stopped — IllajwalaDatabaseDown must reach the pager with its runbook
#      link (critical → pager); PostgreSQL is started again — its resolution must reach the pager too;
#   3. IllajwalaPaymentGatewayUnavailable (for 3 m) and IllajwalaHighErrorRate (for 5 m) must reach the pager.
# Prints each alert's time to alert (from the fault to the notification at the receiver) and exits 1 when an
# expectation fails. About 6 minutes, most of it the rules' `for:` durations (they are not shortened).
#
# Usage: scripts/drill-alerts.sh   (env: ARCHIVE = the release archive, default the newest in dist/; KEEP=1)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/drill-common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/monitoring.sh"
cd "$drill_root"

archive="$(drill_archive)"
drill_begin alerts
drill_cleanups+=(monitoring_stop)
release_bin="$(drill_unpack "$archive" "$drill_work/release")"
drill_postgres
database_url="$drill_database_url"
pg_dir="$drill_pg_dir"
port="$(drill_free_port)"
dead_gateway_port="$(drill_free_port)"
api="http://127.0.0.1:$port"
drill_booking_service "$release_bin" "$database_url" "$port" PAYMENT_GATEWAY=razorpay \
    PAYMENT_GATEWAY_URL="http://127.0.0.1:$dead_gateway_port" PAYMENT_GATEWAY_TIMEOUT_MS=1000 PAYMENT_KEY_ID=rzp_test_drill \
    PAYMENT_KEY_SECRET=drill-key-secret-0123456789 PAYMENT_WEBHOOK_SECRET=drill-webhook-secret-0123456789
drill_say "illajwala-api $(tr -d '\n' <"$(dirname "$release_bin")/VERSION") serving on $api (PostgreSQL, gateway: a closed port)"

monitoring_start "$drill_work/monitoring" "127.0.0.1:$port"
drill_say "Prometheus $PROMETHEUS_URL and Alertmanager $ALERTMANAGER_URL up; receiver file $NOTIFICATIONS"
for _ in $(seq 1 60); do
    [[ "$(prometheus_value 'min(database_up{job="illajwala-api"})')" == 1 && "$(prometheus_value 'up{job="illajwala-api"}')" == 1 ]] && break
    sleep 0.5
done
[[ "$(prometheus_value 'min(database_up{job="illajwala-api"})')" == 1 ]] || { echo "drill-alerts: Prometheus does not see the service (database_up)" >&2; exit 1; }
drill_check "scrape" 0 "Prometheus scrapes $api/metrics: up 1, database_up 1"

# --- 1. the payment gateway dies while patients book and pay
fault_gateway="$(drill_now)"
"$release_bin/illajwala-flows" load ops/drills --flow payment-gateway-outage.yaml --targets-file Flows/targets.yaml --target ci \
    --base-url "$api" --setup per-test --rate 2/s --duration 420s --max-requests 5000 --report-dir "$drill_work/load" \
    >"$drill_work/load.log" 2>&1 &
load_pid=$!
drill_track "$load_pid"
drill_say "fault 1: payment gateway unreachable; patients ask for payment orders at 2/s (each answered 503 PAYMENT_GATEWAY_UNAVAILABLE)"
for _ in $(seq 1 40); do
    [[ "$(prometheus_value 'sum(http_requests_total{job="illajwala-api",status="503",route="/api/payments"})')" =~ ^[1-9] ]] && break
    sleep 0.5
done
drill_check "5xx driven" "$([[ "$(prometheus_value 'sum(http_requests_total{job="illajwala-api",status="503",route="/api/payments"})')" =~ ^[1-9] ]] && echo 0 || echo 1)" \
    "POST /api/payments answers 503 (Prometheus counts them)"

# --- 2. the database goes down, then comes back
fault_database="$(drill_now)"
scripts/postgres-throwaway.sh halt "$pg_dir"
drill_say "fault 2: PostgreSQL stopped"
status=0
ready_status="$(drill_wait_http_status "$api/health/ready" 503 10)" || status=$?
drill_check "readiness fails" "$status" "/health/ready answers $ready_status"
if drill_interruptible "$drill_work/notice" wait_for_notification IllajwalaDatabaseDown firing 180 "$fault_database"; then
    notice="$(cat "$drill_work/notice")"
    read -r at path runbook severity <<<"$notice"
    database_alert_seconds="$(awk -v a="$at" -v b="$fault_database" 'BEGIN { printf "%.1f", a - b }')"
    drill_check "IllajwalaDatabaseDown delivered" "$([[ "$path" == /alertmanager/pager && "$severity" == critical && "$runbook" == docs/runbooks.md#database-down ]] && echo 0 || echo 1)" \
        "after $database_alert_seconds s to $path (severity $severity, runbook $runbook)"
    grep -q '^## Database down$' docs/runbooks.md
    drill_check "runbook link" $? "$runbook names a section of docs/runbooks.md"
else
    drill_check "IllajwalaDatabaseDown delivered" 1 "nothing within 180 s"
fi
restored="$(drill_now)"
scripts/postgres-throwaway.sh resume "$pg_dir"
drill_say "mitigation: PostgreSQL started again"
status=0
ready_status="$(drill_wait_http_status "$api/health/ready" 200 30)" || status=$?
drill_check "service recovers by itself" "$status" \
    "/health/ready answers $ready_status $(drill_since "$restored") s after the restart, no restart of the service"
if drill_interruptible "$drill_work/notice" wait_for_notification IllajwalaDatabaseDown resolved 120 "$restored"; then
    notice="$(cat "$drill_work/notice")"
    read -r at path _ _ <<<"$notice"
    database_resolved_seconds="$(awk -v a="$at" -v b="$restored" 'BEGIN { printf "%.1f", a - b }')"
    drill_check "resolution delivered" 0 "IllajwalaDatabaseDown resolved at $path $database_resolved_seconds s after PostgreSQL came back"
else
    drill_check "resolution delivered" 1 "no resolved notification within 120 s"
fi

# --- 3. the gateway's and the error rate's alerts
gateway_alert_seconds="-"
if drill_interruptible "$drill_work/notice" wait_for_notification IllajwalaPaymentGatewayUnavailable firing 330 "$fault_gateway"; then
    notice="$(cat "$drill_work/notice")"
    read -r at path runbook severity <<<"$notice"
    gateway_alert_seconds="$(awk -v a="$at" -v b="$fault_gateway" 'BEGIN { printf "%.1f", a - b }')"
    drill_check "IllajwalaPaymentGatewayUnavailable delivered" "$([[ "$path" == /alertmanager/pager && "$runbook" == docs/runbooks.md#payment-gateway-unavailable ]] && echo 0 || echo 1)" \
        "after $gateway_alert_seconds s to $path (severity $severity, runbook $runbook)"
else
    drill_check "IllajwalaPaymentGatewayUnavailable delivered" 1 "nothing within 330 s"
fi
error_alert_seconds="-"
if drill_interruptible "$drill_work/notice" wait_for_notification IllajwalaHighErrorRate firing 420 "$fault_gateway"; then
    notice="$(cat "$drill_work/notice")"
    read -r at path runbook severity <<<"$notice"
    error_alert_seconds="$(awk -v a="$at" -v b="$fault_gateway" 'BEGIN { printf "%.1f", a - b }')"
    ratio="$(prometheus_value 'sum(rate(http_requests_total{job="illajwala-api",status=~"5..",route!~"/health.*|/metrics"}[5m])) / sum(rate(http_requests_total{job="illajwala-api",route!~"/health.*|/metrics"}[5m]))')"
    drill_check "IllajwalaHighErrorRate delivered" "$([[ "$path" == /alertmanager/pager && "$runbook" == docs/runbooks.md#high-error-rate ]] && echo 0 || echo 1)" \
        "after $error_alert_seconds s to $path (severity $severity, runbook $runbook; 5xx ratio over 5 m: $(printf '%.1f' "$(awk -v r="${ratio:-0}" 'BEGIN { print r * 100 }')") %)"
else
    drill_check "IllajwalaHighErrorRate delivered" 1 "nothing within 420 s"
fi
kill "$load_pid" 2>/dev/null || true
wait "$load_pid" 2>/dev/null || true
malformed="$(python3 -c 'import json, sys; print(sum(1 for line in open(sys.argv[1]) if json.loads(line)["problems"]))' "$NOTIFICATIONS")"
drill_check "notification format" "$([[ "$malformed" == 0 ]] && echo 0 || echo 1)" \
    "$(wc -l <"$NOTIFICATIONS") notifications, $malformed malformed (Alertmanager webhook format, version 4)"

printf '\n%-38s %-10s %-10s %s\n' "alert (severity critical → pager)" "fault" "to alert" "rule's for:"
printf '%-38s %-10s %-10s %s\n' IllajwalaDatabaseDown "PostgreSQL" "${database_alert_seconds:--} s" "1m (resolved ${database_resolved_seconds:--} s after recovery)"
printf '%-38s %-10s %-10s %s\n' IllajwalaPaymentGatewayUnavailable "gateway" "$gateway_alert_seconds s" 3m
printf '%-38s %-10s %-10s %s\n\n' IllajwalaHighErrorRate "gateway" "$error_alert_seconds s" 5m
drill_end
