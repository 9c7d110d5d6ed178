#!/usr/bin/env bash
# What the release binary costs to run: archive and binary sizes, start-up time to `/health/ready` 200 on PostgreSQL,
# resident memory idle and after the shipped flows. Uses the release archive in dist/ (scripts/build-release.sh
# builds it when there is none), a throwaway PostgreSQL on loopback (scripts/postgres-throwaway.sh) and the
# archive's own illajwala-flows; prints one table. The service runs with ILLAJWALA_ENV=test (the sandbox gateway,
# bcrypt cost 4 for the seeded accounts) so the figures are the service's, not bcrypt's.
#
# Environment (optional): STARTS (start-up runs, default 5).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
starts="${STARTS:-5}"
find_archive() { find dist -maxdepth 1 -name 'illajwala-api-*-linux-*.tar.gz' 2>/dev/null | sort | tail -n 1; }
archive="$(find_archive)"
if [[ -z "$archive" ]]; then scripts/build-release.sh >&2; archive="$(find_archive)"; fi

work="$(mktemp -d "${TMPDIR:-/tmp}/illajwala-release-bench.XXXXXX")"
pg_dir="$(mktemp -d "${TMPDIR:-/tmp}/illajwala-release-bench-pg.XXXXXX")"
server_pid=""
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
    if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    if [[ -d "$pg_dir" ]]; then scripts/postgres-throwaway.sh stop "$pg_dir" >/dev/null 2>&1 || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

tar -xzf "$archive" -C "$work"
bin="$(echo "$work"/illajwala-api-*/bin)"
database_url="$(scripts/postgres-throwaway.sh start "$pg_dir")"
export ILLAJWALA_ENV=test DATABASE_URL="$database_url" LOG_LEVEL=warning
"$bin/illajwala-api" migrate up >/dev/null
"$bin/illajwala-api" seed --fixtures Fixtures >/dev/null
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
base="http://127.0.0.1:$port"

rss_mb() { awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
start_server() {
    RATE_LIMIT_API_PER_MINUTE=100000 RATE_LIMIT_REGISTRATIONS_PER_MINUTE=10000 RATE_LIMIT_PAYMENTS_PER_MINUTE=10000 \
        RATE_LIMIT_LOGIN_FAILURES=20 TRUSTED_PROXIES=127.0.0.1,::1 \
        "$bin/illajwala-api" serve --host 127.0.0.1 --port "$port" >"$work/server.log" 2>&1 &
    server_pid=$!
}
stop_server() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""; }

# Start-up: from exec to the first 200 of /health/ready (polled every 5 ms), several times.
startups=()
for _ in $(seq 1 "$starts"); do
    started=$(date +%s%N)
    start_server
    until curl -sf -o /dev/null "$base/health/ready"; do
        kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
        sleep 0.005
    done
    startups+=($(( ($(date +%s%N) - started) / 1000000 )))
    stop_server
done
sorted=$(printf '%s\n' "${startups[@]}" | sort -n)
median=$(echo "$sorted" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')

start_server
until curl -sf -o /dev/null "$base/health/ready"; do sleep 0.01; done
sleep 2
idle=$(rss_mb "$server_pid")
flows_started=$(date +%s)
"$bin/illajwala-flows" run "$(echo "$work"/illajwala-api-*/Flows)" --target ci --base-url "$base" --report-dir "$work/reports" \
    --openapi "$(echo "$work"/illajwala-api-*/openapi.yaml)" --quiet --jobs 4 >"$work/flows.log" 2>&1 || { cat "$work/flows.log" >&2; exit 1; }
flows_seconds=$(( $(date +%s) - flows_started ))
after=$(rss_mb "$server_pid")
stop_server

printf '%-44s %s\n' "archive" "$(basename "$archive") ($(du -h "$archive" | cut -f1))"
printf '%-44s %s MB\n' "illajwala-api binary" "$(awk "BEGIN {printf \"%.1f\", $(stat -c %s "$bin/illajwala-api") / 1048576}")"
printf '%-44s %s MB\n' "illajwala-flows binary" "$(awk "BEGIN {printf \"%.1f\", $(stat -c %s "$bin/illajwala-flows") / 1048576}")"
printf '%-44s %s ms (median of %s: %s)\n' "start-up to /health/ready 200 (PostgreSQL)" "$median" "$starts" "$(echo "$sorted" | tr '\n' ' ')"
printf '%-44s %s MB\n' "resident memory, idle" "$idle"
printf '%-44s %s MB (%s: %s s, --jobs 4)\n' "resident memory after the shipped flows" "$after" "$(tail -n 1 "$work/flows.log")" "$flows_seconds"
