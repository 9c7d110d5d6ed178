#!/usr/bin/env bash
# The booking service's performance, on SQLite and on a throwaway PostgreSQL, in one table (docs/performance-tuning.md).
#
# Builds release binaries (illajwala-api, illajwala-flows) and, for each database, serves the fixtures on loopback
# (ILLAJWALA_ENV=test: bcrypt cost 4, so the figures are the service's and not bcrypt's) and measures:
#   1. the ceiling: GET /health/live with wrk (CONNECTIONS connections, DURATION seconds);
#   2. read-heavy operations with wrk as a logged-in patient: doctor search, a week of availability, the patient's
#      appointment list — each as a ratio of the ceiling measured in the same run (the machine is shared: ratios,
#      not absolute times, are what compare across runs) — with the read cache on (the default) and off;
#   3. the generator itself: illajwala-flows load on /health/live with CONNECTIONS closed-model users, pooled
#      (AsyncHTTPClient) and urlsession (Foundation) transports, as a ratio of wrk's rate on the same route;
#   4. the booking journey mix (LoadScenarios/booking-mix.yaml): its capacity with a closed model, then the open model
#      at 70 % of it with the SLO thresholds p95<50ms, p99<200ms, errors<0.1% (PASS/FAIL in the last column);
#   5. the same read journey with Locust (PyPI) and with illajwala-flows, same users, same server: each tool's rate,
#      percentiles and its own CPU seconds.
#
# Usage: scripts/benchmark-api.sh   (env: DURATION=10, CONNECTIONS=8, DATABASES="sqlite postgres", SKIP_BUILD=1,
#        LOCUST=0 to skip the Locust comparison, READ_CACHE_TTL_MS=1000 for the service under test; the reads are also
#        measured with the read cache off)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
duration="${DURATION:-10}"
connections="${CONNECTIONS:-8}"
databases="${DATABASES:-sqlite postgres}"
[[ "$duration" =~ ^[0-9]+$ && "$duration" -ge 2 && "$duration" -le 300 ]] || { echo "DURATION must be 2 to 300 seconds, not '$duration'" >&2; exit 2; }
[[ "$connections" =~ ^[0-9]+$ && "$connections" -ge 1 && "$connections" -le 256 ]] || { echo "CONNECTIONS must be 1 to 256, not '$connections'" >&2; exit 2; }
for database in $databases; do
    [[ "$database" == sqlite || "$database" == postgres ]] || { echo "DATABASES: '$database' is not sqlite or postgres" >&2; exit 2; }
done
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
command -v jq >/dev/null || { echo "jq is missing: apt-get install jq" >&2; exit 2; }

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    swift build -c release --product illajwala-api >&2
    swift build -c release --product illajwala-flows >&2
fi
bin="$(swift build -c release --show-bin-path)"
api="$bin/illajwala-api"
flows="$bin/illajwala-flows"
[[ -x "$api" && -x "$flows" ]] || { echo "release binaries missing in $bin (run without SKIP_BUILD=1)" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/illajwala-benchmark-api.XXXXXX")"
# Apart from $work: as root the cluster belongs to the postgres user, who cannot enter a folder only root may read.
pg_dir="$(mktemp -d "${TMPDIR:-/tmp}/illajwala-benchmark-api-pg.XXXXXX")"
server_pid=""
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
    if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    if [[ -d "$pg_dir" ]]; then scripts/postgres-throwaway.sh stop "$pg_dir" >/dev/null 2>&1 || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wrk prints one machine-readable line: requests, errors, p50/p95/p99 in ms, seconds.
cat >"$work/report.lua" <<'LUA'
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT %d %d %.3f %.3f %.3f %.3f\n", summary.requests, errors,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, summary.duration / 1e6))
end
LUA

# The generator's ceiling and the tool comparison use flows of their own, against the `ci` target's actors.
mkdir -p "$work/flows/bench"
cp Flows/targets.yaml "$work/flows/targets.yaml"
cat >"$work/flows/bench/health-live.yaml" <<'YAML'
name: health live
steps:
  - name: live
    request: {url: /health/live}
    expect: {status: 200}
YAML
cat >"$work/flows/bench/read-journey.yaml" <<'YAML'
# The read journey Locust runs too (scripts/benchmark-api.sh): search, a doctor's week of availability, clinics.
name: patient reads doctors and availability
vars:
  doctorId: "{{ benchDoctorId }}"
steps:
  - name: search dermatologists
    as: benchPatient
    request: {url: /api/doctors, query: {specialization: Dermatology}}
    expect: {status: 200}
  - name: read a week of availability
    as: benchPatient
    request: {url: "/api/doctors/{{ doctorId }}/availability", query: {from: "{{ date('+1d') }}", to: "{{ date('+7d') }}"}}
    expect: {status: 200}
  - name: list clinics
    as: benchPatient
    request: {url: /api/clinics}
    expect: {status: 200}
YAML
cat >>"$work/flows/targets.yaml" <<'YAML'
  bench:
    baseURL: http://127.0.0.1:9
    vars:
      benchDoctorId: "set with --var"
    actors:
      benchPatient: {email: asha.rao@patients.illajwala.dev, password: Patient-dev-only-2026, role: patient}
YAML
cat >"$work/locustfile.py" <<'PY'
"""The read journey of read-journey.yaml for Locust: log in once per user, then search, availability, clinics."""
import datetime
import os

from locust import HttpUser, constant, task


class Patient(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        response = self.client.post("/api/auth/login", json={
            "email": "asha.rao@patients.illajwala.dev", "password": "Patient-dev-only-2026", "role": "patient"})
        self.headers = {"Authorization": "Bearer " + response.json()["data"]["accessToken"]}

    @task
    def journey(self):
        today = datetime.date.today()
        start, end = today + datetime.timedelta(days=1), today + datetime.timedelta(days=7)
        self.client.get("/api/doctors?specialization=Dermatology", headers=self.headers, name="GET /api/doctors")
        self.client.get(f"/api/doctors/{os.environ['BENCH_DOCTOR_ID']}/availability?from={start}&to={end}",
                        headers=self.headers, name="GET /api/doctors/{id}/availability")
        self.client.get("/api/clinics", headers=self.headers, name="GET /api/clinics")
PY

rows=()
row() { rows+=("$(printf '%-52s %-9s %9s %9s %9s %9s %7s %9s' "$@")"); }

# measure_wrk LABEL DATABASE URL [HEADER]: one row; sets wrk_rate.
measure_wrk() {
    local label="$1" database="$2" url="$3" header="${4:-}" line
    local args=(-t2 "-c$connections" "-d${duration}s" -s "$work/report.lua")
    [[ -n "$header" ]] && args+=(-H "$header")
    line="$(wrk "${args[@]}" "$url" | grep '^RESULT')"
    read -r _ requests errors p50 p95 p99 seconds <<<"$line"
    wrk_rate="$(awk "BEGIN {printf \"%.0f\", $requests / $seconds}")"
    local ratio="-"
    [[ -n "${ceiling:-}" ]] && ratio="$(awk "BEGIN {printf \"%.1f%%\", 100 * $wrk_rate / $ceiling}")"
    row "$label" "$database" "$wrk_rate" "$p50" "$p95" "$p99" "$errors" "$ratio"
}

# run_load NAME ARGS…: illajwala-flows load into $work/NAME; prints nothing, leaves load.json.
run_load() {
    local name="$1"
    shift
    "$flows" load "$@" --target "$target" --base-url "$base" --report-dir "$work/$name" --openapi openapi.yaml >"$work/$name.log" 2>&1 || true
    [[ -f "$work/$name/load.json" ]] || { echo "illajwala-flows load ($name) wrote no report:" >&2; cat "$work/$name.log" >&2; exit 1; }
}

# load_row LABEL DATABASE NAME [RATIO-BASE]: a row from $work/NAME/load.json.
load_row() {
    local label="$1" database="$2" json="$work/$3/load.json" base_rate="${4:-}"
    local rate p50 p95 p99 errors ratio="-"
    rate="$(jq -r '.requests.rate | floor' "$json")"
    p50="$(jq -r '.requests.latency.p50 * 1000 | round / 1000' "$json")"
    p95="$(jq -r '.requests.latency.p95 * 1000 | round / 1000' "$json")"
    p99="$(jq -r '.requests.latency.p99 * 1000 | round / 1000' "$json")"
    errors="$(jq -r '.requests.errors + .iterations.failed' "$json")"
    [[ -n "$base_rate" ]] && ratio="$(awk "BEGIN {printf \"%.1f%%\", 100 * $rate / $base_rate}")"
    row "$label" "$database" "$rate" "$p50" "$p95" "$p99" "$errors" "$ratio"
}

cpu_seconds() { awk '{print $1 + $2}' "$1"; }

# start_server DATABASE READ_CACHE_TTL_MS: serves $DATABASE_URL on a free loopback port; sets base and server_pid.
start_server() {
    local port
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
    base="http://127.0.0.1:$port"
    READ_CACHE_TTL_MS="$2" RATE_LIMIT_API_PER_MINUTE=1000000 RATE_LIMIT_REGISTRATIONS_PER_MINUTE=1000000 \
        RATE_LIMIT_PAYMENTS_PER_MINUTE=1000000 RATE_LIMIT_LOGIN_FAILURES=100000 TRUSTED_PROXIES=127.0.0.1,::1 \
        "$api" serve --host 127.0.0.1 --port "$port" >>"$work/server-$1.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 100); do curl -sf -o /dev/null "$base/health/ready" && break; sleep 0.1; done
    curl -sf -o /dev/null "$base/health/ready" || { cat "$work/server-$1.log" >&2; exit 1; }
}

stop_server() {
    kill "$server_pid"
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
}

for database in $databases; do
    if [[ "$database" == postgres ]]; then
        database_url="$(scripts/postgres-throwaway.sh start "$pg_dir")"
    else
        database_url="sqlite://$work/booking.db"
    fi
    # A fixed key: the token of the first server stays valid on the restarts below (test mode draws one per process).
    export ILLAJWALA_ENV=test DATABASE_URL="$database_url" LOG_LEVEL=warning JWT_SECRET=benchmark-only-signing-key-not-a-secret-0001
    "$api" migrate up >/dev/null
    "$api" seed --fixtures Fixtures >/dev/null
    start_server "$database" "${READ_CACHE_TTL_MS:-1000}"

    token="$(curl -sf -X POST "$base/api/auth/login" -H 'content-type: application/json' \
        -d '{"email":"asha.rao@patients.illajwala.dev","password":"Patient-dev-only-2026","role":"patient"}' | jq -r .data.accessToken)"
    doctor="$(curl -sf "$base/api/doctors?specialization=Dermatology" -H "authorization: Bearer $token" | jq -r '.data[0].id')"
    from="$(date -u -d tomorrow +%F)"
    to="$(date -u -d '+7 days' +%F)"
    auth="Authorization: Bearer $token"

    ceiling=""
    measure_wrk "GET /health/live (wrk)" "$database" "$base/health/live"
    ceiling="$wrk_rate"
    measure_wrk "GET /api/doctors?specialization (wrk)" "$database" "$base/api/doctors?specialization=Dermatology" "$auth"
    measure_wrk "GET /api/doctors/{id}/availability week (wrk)" "$database" "$base/api/doctors/$doctor/availability?from=$from&to=$to" "$auth"
    measure_wrk "GET /api/appointments (wrk)" "$database" "$base/api/appointments?pageSize=20" "$auth"

    # The same reads with the read cache off (READ_CACHE_TTL_MS=0): what each costs when every request is a miss.
    stop_server
    start_server "$database" 0
    measure_wrk "  the same search, read cache off" "$database" "$base/api/doctors?specialization=Dermatology" "$auth"
    measure_wrk "  the same availability, read cache off" "$database" "$base/api/doctors/$doctor/availability?from=$from&to=$to" "$auth"
    measure_wrk "  the same appointment list, read cache off" "$database" "$base/api/appointments?pageSize=20" "$auth"
    stop_server
    start_server "$database" "${READ_CACHE_TTL_MS:-1000}"

    target=bench
    for transport in pooled urlsession; do
        pool=()
        [[ "$transport" == pooled ]] && pool=(--connections "$connections")
        run_load "generator-$transport-$database" "$work/flows/bench/health-live.yaml" --targets-file "$work/flows/targets.yaml" \
            --flow health-live.yaml --users "$connections" --duration "${duration}s" --transport "$transport" "${pool[@]}"
        load_row "generator: flows load /health/live ($transport)" "$database" "generator-$transport-$database" "$ceiling"
    done

    target=ci
    run_load "capacity-$database" Flows --scenario LoadScenarios/booking-mix.yaml --users 16 --duration "${duration}s"
    capacity="$(jq -r '.iterations.rate' "$work/capacity-$database/load.json")"
    load_row "journey mix capacity (16 users, journeys/s $(printf '%.1f' "$capacity"))" "$database" "capacity-$database" "$ceiling"
    rate="$(awk "BEGIN {printf \"%.2f\", 0.7 * $capacity}")"
    run_load "mix-$database" Flows --scenario LoadScenarios/booking-mix.yaml --rate "$rate/s" --duration "${duration}s" \
        --threshold 'p95<50ms' --threshold 'p99<200ms' --threshold 'errors<0.1%'
    verdict="$(jq -r 'if .passed then "PASS" else "FAIL" end' "$work/mix-$database/load.json")"
    load_row "journey mix @70% = $rate/s (SLO p95<50 p99<200: $verdict)" "$database" "mix-$database" "$ceiling"

    if [[ "${LOCUST:-1}" == 1 ]]; then
        python3 -c 'import locust' 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check locust >&2 || true
        if python3 -c 'import locust' 2>/dev/null; then
            target=bench
            /usr/bin/time -f '%U %S' -o "$work/flows-cpu" "$flows" load "$work/flows/bench/read-journey.yaml" --targets-file "$work/flows/targets.yaml" \
                --target bench --base-url "$base" --flow read-journey.yaml --users "$connections" --duration "${duration}s" \
                --var "benchDoctorId=$doctor" --report-dir "$work/compare-flows-$database" >"$work/compare-flows.log" 2>&1 || true
            load_row "read journey: illajwala-flows ($(cpu_seconds "$work/flows-cpu") s CPU)" "$database" "compare-flows-$database"
            BENCH_DOCTOR_ID="$doctor" /usr/bin/time -f '%U %S' -o "$work/locust-cpu" python3 -m locust -f "$work/locustfile.py" --headless \
                -u "$connections" -r "$connections" -t "${duration}s" --host "$base" --csv "$work/locust-$database" --only-summary >"$work/locust.log" 2>&1 || true
            if [[ -f "$work/locust-${database}_stats.csv" ]]; then
                read -r l_rate l_p50 l_p95 l_p99 l_errors < <(python3 - "$work/locust-${database}_stats.csv" <<'PY'
import csv, sys
rows = {row["Name"]: row for row in csv.DictReader(open(sys.argv[1]))}
total = rows["Aggregated"]
print(f'{float(total["Requests/s"]):.0f} {total["50%"]} {total["95%"]} {total["99%"]} {total["Failure Count"]}')
PY
                )
                row "read journey: Locust ($(cpu_seconds "$work/locust-cpu") s CPU)" "$database" "$l_rate" "$l_p50" "$l_p95" "$l_p99" "$l_errors" "-"
            else
                row "read journey: Locust (failed, see its log)" "$database" "-" "-" "-" "-" "-" "-"
            fi
        else
            row "read journey: Locust (not installed: pip install locust)" "$database" "-" "-" "-" "-" "-" "-"
        fi
    fi

    stop_server
    if [[ "$database" == postgres ]]; then scripts/postgres-throwaway.sh stop "$pg_dir" >/dev/null; fi
done

echo
echo "illajwala-api $("$api" --version 2>/dev/null | head -n 1), $(nproc) cores, ${duration}s per measurement, $connections connections/users"
printf '%-52s %-9s %9s %9s %9s %9s %7s %9s\n' "operation" "database" "req/s" "p50 ms" "p95 ms" "p99 ms" "errors" "of live"
printf '%s\n' "${rows[@]}"
