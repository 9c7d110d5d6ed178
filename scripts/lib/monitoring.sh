# shellcheck shell=bash
# The monitoring stack of the drills on loopback, with the real programs (Debian's `prometheus` and
# `prometheus-alertmanager`) and the shipped configuration (docs/observability.md):
#   - Prometheus with ops/prometheus/prometheus.yml and the rules of ops/prometheus/alerts.yml as they are; the drill
#     override changes only what a drill cannot wait for or reach: a scrape every 2 s and an evaluation every second
#     (the rules' `for:` durations stay as shipped), the targets and the Alertmanager on loopback;
#   - Alertmanager with ops/alertmanager/alertmanager.yml rendered by ops/alertmanager/render.sh (routes, receivers,
#     inhibitions and group_wait as shipped), the pager and chat webhooks pointing at a loopback receiver
#     (scripts/lib/webhook-receiver.py, which checks each notification's format), group_interval 10 s instead of 5 min
#     so a resolution is sent within seconds, and the e-mail relay on a closed loopback port;
# Source it, call `monitoring_start WORK_DIR TARGET…` (TARGET: 127.0.0.1:PORT of a service's /metrics); it sets
# PROMETHEUS_URL, ALERTMANAGER_URL and NOTIFICATIONS (the receiver's JSONL file). `monitoring_stop` stops all three.

monitoring_pids=()
PROMETHEUS_URL=""
ALERTMANAGER_URL=""
NOTIFICATIONS=""

monitoring_free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

# monitoring_wait_http URL WHAT: waits up to 30 s for URL to answer 200.
monitoring_wait_http() {
    local attempt
    for attempt in $(seq 1 150); do
        curl -sf -o /dev/null --max-time 2 "$1" && return 0
        sleep 0.2
    done
    echo "monitoring: $2 did not answer on $1 within 30 s (attempt $attempt)" >&2
    return 1
}

monitoring_start() {
    local work="$1"
    shift
    local root prometheus_port alertmanager_port receiver_port closed_port targets
    root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
    for tool in prometheus prometheus-alertmanager promtool amtool; do
        command -v "$tool" >/dev/null || { echo "monitoring: $tool is missing (Debian: apt-get install prometheus prometheus-alertmanager)" >&2; return 2; }
    done
    mkdir -p "$work/prometheus-data" "$work/alertmanager-data"
    prometheus_port="$(monitoring_free_port)"; alertmanager_port="$(monitoring_free_port)"
    receiver_port="$(monitoring_free_port)"; closed_port="$(monitoring_free_port)"
    targets="$(IFS=,; echo "$*")"
    NOTIFICATIONS="$work/notifications.jsonl"
    : >"$NOTIFICATIONS"

    python3 "$root/scripts/lib/webhook-receiver.py" "$receiver_port" "$NOTIFICATIONS" &
    monitoring_pids+=($!)

    PAGER_WEBHOOK_URL="http://127.0.0.1:$receiver_port/alertmanager/pager" \
        CHAT_WEBHOOK_URL="http://127.0.0.1:$receiver_port/alertmanager/chat" \
        "$root/ops/alertmanager/render.sh" "$work/alertmanager.yml" 2>/dev/null
    python3 - "$work/alertmanager.yml" "127.0.0.1:$closed_port" <<'PY'
import sys, yaml
path, smtp = sys.argv[1], sys.argv[2]
config = yaml.safe_load(open(path))
config["global"]["smtp_smarthost"] = smtp
config["global"]["smtp_require_tls"] = False
def shorten(route):
    if "group_interval" in route or route is config["route"]:
        route["group_interval"] = "10s"
    for child in route.get("routes", []):
        shorten(child)
shorten(config["route"])
yaml.safe_dump(config, open(path, "w"), sort_keys=False)
PY
    amtool check-config "$work/alertmanager.yml" >/dev/null
    prometheus-alertmanager --config.file="$work/alertmanager.yml" --storage.path="$work/alertmanager-data" \
        --web.listen-address="127.0.0.1:$alertmanager_port" --cluster.listen-address= \
        --web.external-url="http://127.0.0.1:$alertmanager_port" >"$work/alertmanager.log" 2>&1 &
    monitoring_pids+=($!)
    ALERTMANAGER_URL="http://127.0.0.1:$alertmanager_port"

    python3 - "$root/ops/prometheus/prometheus.yml" "$work/prometheus.yml" "$root/ops/prometheus/alerts.yml" \
        "127.0.0.1:$alertmanager_port" "$targets" <<'PY'
import sys, yaml
shipped, out, rules, alertmanager, targets = sys.argv[1:6]
config = yaml.safe_load(open(shipped))
# Each scrape pings the database with a 1 s timeout: a scrape must be allowed longer (the shipped timeout is 5 s).
config["global"]["scrape_interval"] = "2s"
config["global"]["evaluation_interval"] = "1s"
config["rule_files"] = [rules]
config["alerting"]["alertmanagers"][0]["static_configs"] = [{"targets": [alertmanager]}]
job = next(job for job in config["scrape_configs"] if job["job_name"] == "illajwala-api")
job["scrape_timeout"] = "2s"
for static in job["static_configs"]:
    static["targets"] = targets.split(",")
    static.setdefault("labels", {})["environment"] = "drill"
yaml.safe_dump(config, open(out, "w"), sort_keys=False)
PY
    promtool check config "$work/prometheus.yml" >/dev/null
    prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prometheus-data" \
        --web.listen-address="127.0.0.1:$prometheus_port" --web.external-url="http://127.0.0.1:$prometheus_port" \
        >"$work/prometheus.log" 2>&1 &
    monitoring_pids+=($!)
    PROMETHEUS_URL="http://127.0.0.1:$prometheus_port"
    export PROMETHEUS_URL ALERTMANAGER_URL NOTIFICATIONS

    monitoring_wait_http "$ALERTMANAGER_URL/-/ready" Alertmanager
    monitoring_wait_http "$PROMETHEUS_URL/-/ready" Prometheus
}

monitoring_stop() {
    local pid
    for pid in "${monitoring_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${monitoring_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    monitoring_pids=()
}

# prometheus_value EXPR: the first sample's value of an instant query ("" when the result is empty).
prometheus_value() {
    curl -sf --max-time 5 "$PROMETHEUS_URL/api/v1/query" --data-urlencode "query=$1" |
        python3 -c 'import json, sys; r = json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "")'
}

# wait_for_prometheus EXPR REGEX SECONDS: polls the instant query EXPR until its first value matches REGEX (bash =~),
# for at most SECONDS; returns 0 when it did.
wait_for_prometheus() {
    local expression="$1" pattern="$2" deadline=$((SECONDS + $3))
    while :; do
        [[ "$(prometheus_value "$expression")" =~ $pattern ]] && return 0
        ((SECONDS < deadline)) || return 1
        sleep 0.5
    done
}

# wait_for_notification ALERTNAME STATUS TIMEOUT_SECONDS [SINCE_UNIX_SECONDS]: waits until the receiver has a
# well-formed notification with STATUS (firing|resolved) holding ALERTNAME received after SINCE; prints
# "RECEIVED_AT PATH RUNBOOK_URL SEVERITY"; returns 1 on timeout (printing what did arrive) or on a malformed one.
wait_for_notification() {
    local alert="$1" status="$2" timeout="$3" since="${4:-0}" deadline found
    deadline=$((SECONDS + timeout))
    while ((SECONDS < deadline)); do
        found="$(python3 - "$NOTIFICATIONS" "$alert" "$status" "$since" <<'PY'
import json, sys
path, alert, status, since = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
for line in open(path):
    record = json.loads(line)
    if record["receivedAt"] < since or not record["path"].startswith("/alertmanager/"):
        continue
    if record["problems"]:
        print("MALFORMED " + "; ".join(record["problems"]))
        break
    body = record["body"]
    for item in body["alerts"]:
        if item["labels"].get("alertname") == alert and item["status"] == status and body["status"] in (status, "firing"):
            print(f'{record["receivedAt"]:.3f} {record["path"]} {item["annotations"].get("runbook_url", "-")} {item["labels"].get("severity", "-")}')
            sys.exit(0)
PY
)"
        if [[ "$found" == MALFORMED* ]]; then echo "monitoring: a malformed notification arrived: ${found#MALFORMED }" >&2; return 1; fi
        if [[ -n "$found" ]]; then echo "$found"; return 0; fi
        sleep 0.5
    done
    echo "monitoring: no '$status' notification of $alert within $timeout s; the receiver got:" >&2
    python3 -c 'import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line); b = r["body"]
    print(" ", r["path"], b.get("status"), [a["labels"].get("alertname") for a in b.get("alerts", [])] if isinstance(b, dict) else b)' "$NOTIFICATIONS" >&2
    return 1
}

# expect_notification ALERT STATUS TIMEOUT SINCE [RUNBOOK_URL] — for the drills (it records its check with
# drill-common.sh's drill_check): waits, interruptibly, for the pager to receive ALERT's STATUS (firing|resolved)
# notification after SINCE (drill_now), checks it came by the critical route to the pager and, when given, carries
# RUNBOOK_URL; sets notification_seconds (from SINCE; "-" when nothing came) and returns 1 when a check failed.
notification_seconds="-"
# shellcheck disable=SC2154  # drill_work: drill-common.sh's
expect_notification() {
    local alert="$1" status="$2" timeout="$3" since="$4" runbook="${5:-}" at path url severity result=0
    notification_seconds="-"
    if ! drill_interruptible "$drill_work/notification" wait_for_notification "$alert" "$status" "$timeout" "$since"; then
        drill_check "$alert $status" 1 "nothing reached the pager within $timeout s"
        return 1
    fi
    read -r at path url severity <"$drill_work/notification"
    notification_seconds="$(awk -v a="$at" -v b="$since" 'BEGIN { printf "%.1f", a - b }')"
    [[ "$path" == /alertmanager/pager && "$severity" == critical ]] || result=1
    [[ -z "$runbook" || "$url" == "$runbook" ]] || result=1
    drill_check "$alert $status" "$result" "at $path after $notification_seconds s (severity $severity, runbook $url)"
    return "$result"
}
