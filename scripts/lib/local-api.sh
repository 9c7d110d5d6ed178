# shellcheck shell=bash
# Serves illajwala-api on a free loopback port for scripts (schemathesis, benchmarks, the docs test): a temporary
# SQLite database (or LOCAL_API_DATABASE_URL's, e.g. a throwaway PostgreSQL), migrated and seeded with Fixtures/,
# ILLAJWALA_ENV=test. Source it, then call
#   start_local_api API_BINARY WORK_DIR [extra env assignments for the server…]
# which sets `local_api_base` (http://127.0.0.1:PORT) and `local_api_pid` and returns once /health/live
# answers; `stop_local_api` stops it. Exits 2 with the server log when it cannot start.

local_api_pid=""
local_api_base=""
# Per-client budgets for tools that send thousands of requests from one address (fuzzers, benchmarks), far
# above API.md's defaults; the limits themselves are proven by Tests/BookingServerTests/Security/RateLimitTests.swift.
# Pass "${local_api_bulk_limits[@]}" among the extra assignments of start_local_api.
# shellcheck disable=SC2034  # read by the scripts that source this file
local_api_bulk_limits=(RATE_LIMIT_API_PER_MINUTE=1000000 RATE_LIMIT_REGISTRATIONS_PER_MINUTE=1000000
    RATE_LIMIT_PAYMENTS_PER_MINUTE=1000000 RATE_LIMIT_LOGIN_FAILURES=100000)

# local_api_workspace NAME: makes a temporary folder (sets `local_api_work`), removes it and stops the server on
# exit (Ctrl-C exits 130), and sends the profiles of coverage-instrumented binaries there, out of the repository.
local_api_work=""
local_api_workspace() {
    local_api_work="$(mktemp -d "${TMPDIR:-/tmp}/illajwala-$1.XXXXXX")"
    trap 'stop_local_api; rm -rf "$local_api_work"' EXIT
    trap 'exit 130' INT TERM
    export LLVM_PROFILE_FILE="$local_api_work/%p.profraw"
}

start_local_api() {
    local api="$1" work="$2"
    shift 2
    local database="${LOCAL_API_DATABASE_URL:-sqlite://$work/booking.db}" port
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
    local_api_base="http://127.0.0.1:$port"
    env ILLAJWALA_ENV=test "$api" migrate up --database-url "$database" >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log" >&2; exit 2; }
    env ILLAJWALA_ENV=test "$api" seed --database-url "$database" >"$work/seed.log" 2>&1 || { cat "$work/seed.log" >&2; exit 2; }
    env ILLAJWALA_ENV=test "$@" "$api" serve --host 127.0.0.1 --port "$port" --database-url "$database" >"$work/server.log" 2>&1 &
    local_api_pid=$!
    for _ in $(seq 1 100); do
        if curl --silent --fail --max-time 2 "$local_api_base/health/live" >/dev/null 2>&1; then return 0; fi
        if ! kill -0 "$local_api_pid" 2>/dev/null; then
            echo "illajwala-api exited during start-up:" >&2
            cat "$work/server.log" >&2
            exit 2
        fi
        sleep 0.2
    done
    echo "illajwala-api did not answer on $local_api_base" >&2
    exit 2
}

stop_local_api() {
    if [[ -n "$local_api_pid" ]] && kill -0 "$local_api_pid" 2>/dev/null; then
        kill "$local_api_pid" 2>/dev/null || true
        wait "$local_api_pid" 2>/dev/null || true
    fi
    local_api_pid=""
}
