# shellcheck shell=bash
# Shared by scripts/deploy.sh, scripts/rollback.sh and scripts/migrate-rollback.sh: the host layout, settings,
# slot control, nginx switching, history and notifications of a blue-green deployment (docs/deployment-guide.md).
#
# Host layout under DEPLOY_ROOT (default /opt/illajwala):
#   releases/<name>/        unpacked release archives (bin/, Flows/, VERSION, BUILD-INFO …); kept for rollback
#   archives/<name>.tar.gz  the archives deployed, with .sha256 files (production takes staging's from here)
#   slots/blue, slots/green symlinks to the release each slot runs
#   env/illajwala.env       the service's environment, shared by both slots (secrets; mode 0600)
#   state/live              the slot nginx sends traffic to (blue or green; absent before the first deploy)
#   state/<slot>.env        the slot's own settings (PORT and any --env-override)
#   state/upstream.conf     the `server 127.0.0.1:PORT;` line nginx's upstream includes
#   backups/                pg_dump -Fc backups taken before each migration, with .sha256 files
#   logs/                   slot logs (process control), deploy logs, gate reports
#   deploys.jsonl           deploy history, one JSON object per deploy or rollback
#
# Settings (environment, or DEPLOY_ROOT/env/deploy.env):
#   DEPLOY_ENVIRONMENT      staging or production (names the gate's flow target unless GATE_TARGET is set)
#   BLUE_PORT, GREEN_PORT   loopback ports of the slots (8081, 8082)
#   SLOT_CONTROL            systemd (illajwala@<slot>.service) or process (background processes; the rehearsal)
#   NGINX_TEST, NGINX_RELOAD commands that check and reload nginx (`nginx -t`, `nginx -s reload`)
#   NGINX_LOCAL_URL         nginx's loopback listener, for the smoke flows after the switch (http://127.0.0.1:8088)
#   GATE_TARGET, GATE_TAGS  the flow target and tags of the gate (DEPLOY_ENVIRONMENT; smoke, production-gate in production)
#   READY_TIMEOUT_SECONDS   how long a new slot may take to answer /health/ready 200 (60)
#   STOP_TIMEOUT_SECONDS    how long a stopping slot may take to exit after SIGTERM (45)
#   BACKUP_RETENTION_DAYS   backups older than this are deleted after a deploy (14)
#   DEPLOY_WEBHOOK_URL      Slack-compatible webhook for notifications (none: printed only)
#   DEPLOY_ACTOR            who deploys (default: the user)

# shellcheck disable=SC2034  # settings read by the scripts that source this file
deploy_root="${DEPLOY_ROOT:-/opt/illajwala}"
if [[ -f "$deploy_root/env/deploy.env" ]]; then
    # shellcheck source=/dev/null
    source "$deploy_root/env/deploy.env"
fi
deploy_environment="${DEPLOY_ENVIRONMENT:-staging}"
blue_port="${BLUE_PORT:-8081}"
green_port="${GREEN_PORT:-8082}"
slot_control="${SLOT_CONTROL:-systemd}"
nginx_test="${NGINX_TEST:-nginx -t}"
nginx_reload="${NGINX_RELOAD:-nginx -s reload}"
# shellcheck disable=SC2034  # read by the scripts that source this file
nginx_local_url="${NGINX_LOCAL_URL:-http://127.0.0.1:8088}"
gate_target="${GATE_TARGET:-$deploy_environment}"
# Production's gate runs only read-only flows (Flows/targets.yaml, `production`): the smoke flows write test data.
if [[ "$deploy_environment" == production ]]; then gate_tags="${GATE_TAGS:-production-gate}"; else gate_tags="${GATE_TAGS:-smoke}"; fi
ready_timeout="${READY_TIMEOUT_SECONDS:-60}"
stop_timeout="${STOP_TIMEOUT_SECONDS:-45}"
# shellcheck disable=SC2034  # read by the scripts that source this file
backup_retention_days="${BACKUP_RETENTION_DAYS:-14}"
deploy_actor="${DEPLOY_ACTOR:-$(id -un)}"

case "$slot_control" in systemd | process) ;; *) echo "error: SLOT_CONTROL must be systemd or process, not '$slot_control'" >&2; exit 2 ;; esac
case "$deploy_environment" in staging | production) ;; *) echo "error: DEPLOY_ENVIRONMENT must be staging or production, not '$deploy_environment'" >&2; exit 2 ;; esac

mkdir -p "$deploy_root/releases" "$deploy_root/slots" "$deploy_root/state" "$deploy_root/backups" "$deploy_root/logs"
deploy_stamp="$(date -u +%Y%m%dT%H%M%SZ)"
deploy_log="$deploy_root/logs/deploy-$deploy_stamp.log"

say() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" | tee -a "$deploy_log"; }

# The service's environment file, read for DATABASE_URL (backups, migrations).
service_env_file="$deploy_root/env/illajwala.env"
service_env() {
    [[ -f "$service_env_file" ]] || { echo "error: $service_env_file is missing (the service's environment)" >&2; exit 2; }
    # shellcheck source=/dev/null
    (set -a; source "$service_env_file"; set +a; printenv "$1" || true)
}

slot_port() { if [[ "$1" == blue ]]; then echo "$blue_port"; else echo "$green_port"; fi; }
other_slot() { if [[ "$1" == blue ]]; then echo green; else echo blue; fi; }
live_slot() { cat "$deploy_root/state/live" 2>/dev/null || true; }
slot_release() { basename "$(readlink "$deploy_root/slots/$1" 2>/dev/null || echo none)"; }

# Starts SLOT on RELEASE (its folder name) with the slot's env file; extra KEY=VALUE overrides follow.
slot_start() {
    local slot="$1" release="$2"
    shift 2
    local port
    port="$(slot_port "$slot")"
    {
        echo "PORT=$port"
        echo "HOST=127.0.0.1"
        for assignment in "$@"; do echo "$assignment"; done
    } > "$deploy_root/state/$slot.env"
    ln -sfn "../releases/$release" "$deploy_root/slots/$slot"
    case "$slot_control" in
    systemd)
        systemctl restart "illajwala@$slot.service"
        ;;
    process)
        slot_stop "$slot"
        (
            # The deploy lock (descriptor 9) must not outlive the deploy in the service it starts.
            exec 9>&-
            set -a
            # shellcheck source=/dev/null
            source "$service_env_file"
            # shellcheck source=/dev/null
            source "$deploy_root/state/$slot.env"
            set +a
            cd "$deploy_root/slots/$slot" || exit 1
            exec "$deploy_root/slots/$slot/bin/illajwala-api" serve
        ) >> "$deploy_root/logs/$slot.log" 2>&1 &
        echo $! > "$deploy_root/state/$slot.pid"
        ;;
    esac
}

# Whether SLOT's process is running (process control) or its unit active (systemd).
slot_running() {
    case "$slot_control" in
    systemd) systemctl is-active --quiet "illajwala@$1.service" ;;
    process) [[ -f "$deploy_root/state/$1.pid" ]] && kill -0 "$(cat "$deploy_root/state/$1.pid")" 2>/dev/null ;;
    esac
}

# Stops SLOT gracefully (SIGTERM: readiness fails for the drain delay, in-flight requests finish), waiting up to
# STOP_TIMEOUT_SECONDS before SIGKILL.
slot_stop() {
    local slot="$1"
    case "$slot_control" in
    systemd) systemctl stop "illajwala@$slot.service" || true ;;
    process)
        local pid_file="$deploy_root/state/$slot.pid"
        [[ -f "$pid_file" ]] || return 0
        local pid
        pid="$(cat "$pid_file")"
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            local waited=0
            while kill -0 "$pid" 2>/dev/null && (( waited < stop_timeout * 10 )); do sleep 0.1; waited=$((waited + 1)); done
            if kill -0 "$pid" 2>/dev/null; then
                say "slot $slot did not stop within ${stop_timeout}s: SIGKILL"
                kill -KILL "$pid" 2>/dev/null || true
            fi
        fi
        rm -f "$pid_file"
        ;;
    esac
}

# Waits until SLOT answers /health/ready 200; fails early when its process exits.
slot_wait_ready() {
    local slot="$1" port deadline
    port="$(slot_port "$slot")"
    deadline=$(( $(date +%s) + ready_timeout ))
    while (( $(date +%s) < deadline )); do
        if curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$port/health/ready"; then return 0; fi
        if ! slot_running "$slot"; then say "slot $slot exited before it was ready"; return 1; fi
        sleep 0.2
    done
    say "slot $slot was not ready within ${ready_timeout}s"
    return 1
}

# Points nginx at SLOT: writes the upstream line, checks the configuration, reloads (old workers finish their
# requests; no connection is refused). An empty SLOT points it nowhere (a port nothing listens on: 502).
nginx_switch() {
    local slot="$1" upstream="$deploy_root/state/upstream.conf" port
    if [[ -n "$slot" ]]; then port="$(slot_port "$slot")"; else port=9; fi
    printf 'server 127.0.0.1:%s max_fails=0;\n' "$port" > "$upstream.new"
    mv "$upstream.new" "$upstream"
    $nginx_test >> "$deploy_log" 2>&1 || { say "nginx -t refused the configuration"; return 1; }
    $nginx_reload >> "$deploy_log" 2>&1 || { say "nginx reload failed"; return 1; }
    # A reload returns before the new workers take over; give them a moment.
    sleep 1
}

# Runs the gate: the release's smoke flows against BASE_URL; reports in logs/gate-<stamp>-<label>.
gate_flows() {
    local release="$1" base_url="$2" label="$3"
    local release_dir="$deploy_root/releases/$release"
    local tags=()
    for tag in $gate_tags; do tags+=(--tag "$tag"); done
    "$release_dir/bin/illajwala-flows" run "$release_dir/Flows" "${tags[@]}" --target "$gate_target" --base-url "$base_url" \
        --openapi "$release_dir/openapi.yaml" --report-dir "$deploy_root/logs/gate-$deploy_stamp-$label" --quiet >> "$deploy_log" 2>&1
}

# A JSON string of $1 (quotes, backslashes and control characters escaped) — bash and sed only, so a host needs
# nothing but coreutils to deploy.
json_string() {
    local text="$1"
    text="${text//\\/\\\\}"
    text="${text//\"/\\\"}"
    text="${text//$'\n'/\\n}"
    text="${text//$'\r'/\\r}"
    text="${text//$'\t'/\\t}"
    printf '"%s"' "$(printf '%s' "$text" | tr -d '\000-\010\013\014\016-\037')"
}

# Appends one JSON object to deploys.jsonl: KIND RESULT RELEASE COMMIT FAILED_STEP DURATIONS (a JSON object).
record_history() {
    local kind="$1" result="$2" release="$3" commit="$4" failed="$5" durations="$6"
    {
        printf '{"at":%s,"kind":%s,"result":%s,"environment":%s,"release":%s,"commit":%s,"actor":%s,"log":%s,"durationsSeconds":%s' \
            "$(json_string "$(date -u +%Y-%m-%dT%H:%M:%SZ)")" "$(json_string "$kind")" "$(json_string "$result")" \
            "$(json_string "$deploy_environment")" "$(json_string "$release")" "$(json_string "$commit")" \
            "$(json_string "$deploy_actor")" "$(json_string "$deploy_log")" "$durations"
        if [[ -n "$failed" ]]; then printf ',"failedStep":%s' "$(json_string "$failed")"; fi
        printf '}\n'
    } >> "$deploy_root/deploys.jsonl"
}

# Sends TEXT to DEPLOY_WEBHOOK_URL as Slack-compatible JSON ({"text": …}), or prints it when none is set.
notify() {
    local text="$1"
    say "notify: $text"
    [[ -n "${DEPLOY_WEBHOOK_URL:-}" ]] || return 0
    curl -sS --max-time 10 -X POST -H 'Content-Type: application/json' --data "{\"text\":$(json_string "$text")}" "$DEPLOY_WEBHOOK_URL" \
        >> "$deploy_log" 2>&1 || say "the notification could not be sent to DEPLOY_WEBHOOK_URL"
}

# Now, in seconds since the epoch with milliseconds; seconds elapsed since a `now`.
now() { date +%s.%3N; }
elapsed_since() { awk -v start="$1" -v end="$(now)" 'BEGIN { printf "%.3f", end - start }'; }
