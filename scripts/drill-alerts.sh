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
wait_for_prometheus 'min(up{job="illajwala-api"}) * min(database_up{job="illajwala-api"})' '^1$' 30 ||
    { echo "drill-alerts: Prometheus does not see the service (up, database_up)" >&2; exit 1; }
drill_check "scrape" 0 "Prometheus scrapes $api/metrics: up 1, database_up 1"

# --- 1. the payment gateway dies while patients book and pay
fault_gateway="$(drill_now)"
"$release_bin/illajwala-flows" load ops/drills --flow payment-gateway-outage.yaml --targets-file Flows/targets.yaml --target ci \
    --base-url "$api" --setup per-test --rate 2/s --duration 420s --max-requests 5000 --report-dir "$drill_work/load" \
    >"$drill_work/load.log" 2>&1 &
load_pid=$!
drill_track "$load_pid"
drill_say "fault 1: payment gateway unreachable; patients ask for payment orders at 2/s (each answered 503 PAYMENT_GATEWAY_UNAVAILABLE)"
status=0
wait_for_prometheus 'sum(http_requests_total{job="illajwala-api",status="503",route="/api/payments"})' '^[1-9]' 20 || status=$?
drill_check "5xx driven" "$status" "POST /api/payments answers 503 (Prometheus counts them)"

# --- 2. the database goes down, then comes back
fault_database="$(drill_now)"
scripts/postgres-throwaway.sh halt "$pg_dir"
drill_say "fault 2: PostgreSQL stopped"
status=0
ready_status="$(drill_wait_http_status "$api/health/ready" 503 10)" || status=$?
drill_check "readiness fails" "$status" "/health/ready answers $ready_status"
expect_notification IllajwalaDatabaseDown firing 180 "$fault_database" docs/runbooks.md#database-down || true
database_alert_seconds="$notification_seconds"
restored="$(drill_now)"
scripts/postgres-throwaway.sh resume "$pg_dir"
drill_say "mitigation: PostgreSQL started again"
status=0
ready_status="$(drill_wait_http_status "$api/health/ready" 200 30)" || status=$?
drill_check "service recovers by itself" "$status" \
    "/health/ready answers $ready_status $(drill_since "$restored") s after the restart, no restart of the service"
expect_notification IllajwalaDatabaseDown resolved 120 "$restored" || true
database_resolved_seconds="$notification_seconds"

# --- 3. the gateway's and the error rate's alerts
expect_notification IllajwalaPaymentGatewayUnavailable firing 330 "$fault_gateway" docs/runbooks.md#payment-gateway-unavailable || true
gateway_alert_seconds="$notification_seconds"
expect_notification IllajwalaHighErrorRate firing 420 "$fault_gateway" docs/runbooks.md#high-error-rate || true
error_alert_seconds="$notification_seconds"
ratio="$(prometheus_value 'sum(rate(http_requests_total{job="illajwala-api",status=~"5..",route!~"/health.*|/metrics"}[5m])) / sum(rate(http_requests_total{job="illajwala-api",route!~"/health.*|/metrics"}[5m]))')"
drill_say "5xx ratio over the last 5 minutes: $(awk -v r="${ratio:-0}" 'BEGIN { printf "%.1f", r * 100 }') %"
kill "$load_pid" 2>/dev/null || true
wait "$load_pid" 2>/dev/null || true
malformed="$(python3 -c 'import json, sys; print(sum(1 for line in open(sys.argv[1]) if json.loads(line)["problems"]))' "$NOTIFICATIONS")"
drill_check "notification format" "$([[ "$malformed" == 0 ]] && echo 0 || echo 1)" \
    "$(wc -l <"$NOTIFICATIONS") notifications, $malformed malformed (Alertmanager webhook format, version 4)"

printf '\n%-38s %-10s %-10s %s\n' "alert (severity critical → pager)" "fault" "to alert" "rule's for:"
printf '%-38s %-10s %-10s %s\n' IllajwalaDatabaseDown "PostgreSQL" "$database_alert_seconds s" "1m (resolved $database_resolved_seconds s after recovery)"
printf '%-38s %-10s %-10s %s\n' IllajwalaPaymentGatewayUnavailable "gateway" "$gateway_alert_seconds s" 3m
printf '%-38s %-10s %-10s %s\n\n' IllajwalaHighErrorRate "gateway" "$error_alert_seconds s" 5m
drill_end
