# shellcheck shell=bash
# Shared by the operations drills (scripts/drill-*.sh): the release archive, the service's processes, timing and the
# drill's report. Source it after `set -euo pipefail`; call `drill_begin NAME` first (makes `drill_work`, a temporary
# folder removed on exit with every process registered by `drill_track PID`, and a throwaway PostgreSQL under it
# when asked with `drill_postgres`).

drill_name=""
drill_work=""
drill_pids=()
drill_pg_dirs=()
drill_started=""
drill_failures=0
drill_cleanups=()
drill_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

drill_now() { date +%s.%3N; }
# drill_since START: seconds from START (drill_now) to now, to a tenth.
drill_since() { awk -v start="$1" -v end="$(drill_now)" 'BEGIN { printf "%.1f", end - start }'; }
drill_say() { printf '%s [%6.1f s] %s\n' "$(date -u +%H:%M:%S)" "$(awk -v start="$drill_started" -v end="$(drill_now)" 'BEGIN { print end - start }')" "$*"; }
drill_free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
drill_track() { drill_pids+=("$1"); }

# drill_check NAME CONDITION-STATUS DETAIL: records one expectation (0 = met), printed as PASS/FAIL.
drill_check() {
    if [[ "$2" == 0 ]]; then drill_say "PASS  $1 — $3"; else drill_say "FAIL  $1 — $3"; drill_failures=$((drill_failures + 1)); fi
}

# shellcheck disable=SC2317  # called by the EXIT trap
drill_cleanup() {
    set +e
    local pid dir step
    for step in "${drill_cleanups[@]}"; do eval "$step"; done
    for pid in "${drill_pids[@]}"; do kill "$pid" 2>/dev/null; done
    for pid in "${drill_pids[@]}"; do wait "$pid" 2>/dev/null; done
    for dir in "${drill_pg_dirs[@]}"; do "$drill_root/scripts/postgres-throwaway.sh" stop "$dir" >/dev/null 2>&1; done
    if [[ "${KEEP:-}" == 1 ]]; then echo "kept: $drill_work"; else rm -rf "$drill_work"; fi
}

drill_begin() {
    drill_name="$1"
    drill_started="$(drill_now)"
    drill_work="$(mktemp -d "${TMPDIR:-/tmp}/illajwala-drill-$drill_name.XXXXXX")"
    trap drill_cleanup EXIT
    trap 'exit 130' INT TERM
    drill_say "drill $drill_name: started (work folder $drill_work)"
}

# drill_postgres: starts a throwaway PostgreSQL cluster (stopped on exit); sets drill_pg_dir and drill_database_url.
drill_pg_dir=""
drill_database_url=""
# shellcheck disable=SC2034  # drill_database_url is read by the drills that source this file
drill_postgres() {
    drill_pg_dir="$(mktemp -d "${TMPDIR:-/tmp}/illajwala-drill-pg.XXXXXX")"
    drill_pg_dirs+=("$drill_pg_dir")
    drill_database_url="$("$drill_root/scripts/postgres-throwaway.sh" start "$drill_pg_dir")"
}

# drill_archive: the release archive (ARCHIVE, default the newest dist/illajwala-api-*-linux-*.tar.gz), absolute.
drill_archive() {
    local archive="${ARCHIVE:-$( { find "$drill_root/dist" -maxdepth 1 -name 'illajwala-api-*-linux-*.tar.gz' 2>/dev/null || true; } | sort | tail -n 1)}"
    [[ -n "$archive" && -f "$archive" ]] || { echo "$drill_name: no release archive: run scripts/build-release.sh (or set ARCHIVE)" >&2; return 2; }
    echo "$(cd "$(dirname "$archive")" && pwd)/$(basename "$archive")"
}

# drill_unpack ARCHIVE DIR: unpacks the release (after checking its .sha256 when present); prints its bin folder.
# (It runs inside $(…), where errexit does not hold: every step checks its own status.)
drill_unpack() {
    local archive="$1" dir="$2"
    if [[ -f "$archive.sha256" ]]; then
        (cd "$(dirname "$archive")" && sha256sum --quiet -c "$(basename "$archive").sha256") >&2 ||
            { echo "$drill_name: $archive does not match its .sha256" >&2; return 1; }
    fi
    if ! { mkdir -p "$dir" && tar -xzf "$archive" -C "$dir"; }; then echo "$drill_name: cannot unpack $archive" >&2; return 1; fi
    [[ -x "$(echo "$dir"/*/bin)/illajwala-api" ]] || { echo "$drill_name: $archive holds no bin/illajwala-api" >&2; return 1; }
    echo "$dir"/*/bin
}

# drill_serve BIN ENV_FILE PORT LOG: starts illajwala-api serve on 127.0.0.1:PORT with the variables of ENV_FILE,
# waits up to 30 s for /health/ready; sets drill_service_pid.
drill_service_pid=""
drill_serve() {
    local bin="$1" env_file="$2" port="$3" log="$4" attempt
    # shellcheck source=/dev/null
    (set -a; source "$env_file"; set +a; exec "$bin/illajwala-api" serve --host 127.0.0.1 --port "$port") >>"$log" 2>&1 &
    drill_service_pid=$!
    drill_track "$drill_service_pid"
    for attempt in $(seq 1 150); do
        curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$port/health/ready" && return 0
        kill -0 "$drill_service_pid" 2>/dev/null || { echo "$drill_name: illajwala-api exited during start-up:" >&2; tail -n 20 "$log" >&2; return 1; }
        sleep 0.2
    done
    echo "$drill_name: illajwala-api not ready on port $port after $attempt attempts:" >&2
    tail -n 20 "$log" >&2
    return 1
}

# drill_booking_service BIN DATABASE_URL PORT [VARIABLE=VALUE…]: the release's illajwala-api in development mode on
# 127.0.0.1:PORT — migrated, seeded with Fixtures/ (the accounts the flows' `ci` target logs in with), bcrypt cost 4,
# JSON logs, per-client budgets for one machine's traffic — plus the given variables; its environment file is
# $drill_work/illajwala-PORT.env and its log $drill_work/service-PORT.log. Sets drill_service_pid.
drill_booking_service() {
    local bin="$1" database_url="$2" port="$3" env_file="$drill_work/illajwala-$3.env"
    shift 3
    {
        echo "ILLAJWALA_ENV=development"
        echo "DATABASE_URL=$database_url"
        echo "JWT_SECRET=drill-$drill_name-jwt-secret-0123456789abcdef"
        echo "BCRYPT_COST=4"
        echo "LOG_FORMAT=json"
        echo "RATE_LIMIT_API_PER_MINUTE=6000"
        echo "RATE_LIMIT_REGISTRATIONS_PER_MINUTE=600"
        echo "RATE_LIMIT_PAYMENTS_PER_MINUTE=600"
        echo "RATE_LIMIT_LOGIN_FAILURES=20"
        printf '%s\n' "$@"
    } >"$env_file"
    "$bin/illajwala-api" migrate up --database-url "$database_url" >/dev/null
    env ILLAJWALA_ENV=test "$bin/illajwala-api" seed --database-url "$database_url" --fixtures "$drill_root/Fixtures" >/dev/null
    drill_serve "$bin" "$env_file" "$port" "$drill_work/service-$port.log"
}

# drill_wait_http_status URL STATUS SECONDS: polls URL until it answers STATUS or SECONDS pass; prints the last
# status seen (000: no answer) and returns 0 when it was STATUS.
drill_wait_http_status() {
    local url="$1" wanted="$2" deadline=$((SECONDS + $3)) status=""
    while :; do
        status="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url" || true)"
        if [[ "$status" == "$wanted" ]] || ((SECONDS >= deadline)); then break; fi
        sleep 0.5
    done
    echo "$status"
    [[ "$status" == "$wanted" ]]
}

# drill_interruptible OUT_FILE COMMAND…: runs COMMAND (a function too) in the background with its output in OUT_FILE
# and waits for it, returning its status. Bash runs a trap only between foreground commands, so a drill waiting minutes
# for an alert in the foreground would ignore Ctrl-C or SIGTERM until the wait ended; `wait` is interrupted at once.
drill_interruptible() {
    local out="$1" pid
    shift
    "$@" >"$out" &
    pid=$!
    drill_track "$pid"
    wait "$pid"
}

# drill_end: prints the verdict and returns 1 when an expectation failed.
drill_end() {
    if ((drill_failures > 0)); then
        drill_say "drill $drill_name: FAILED ($drill_failures expectation(s)) after $(drill_since "$drill_started") s"
        return 1
    fi
    drill_say "drill $drill_name: passed in $(drill_since "$drill_started") s"
}
