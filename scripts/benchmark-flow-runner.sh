#!/usr/bin/env bash
# Measures illajwala-flows against a local illajwala-api on loopback (nothing else is contacted):
#  0. The runner's own work per step with an in-memory client (flow-runner-benchmark; fails above 1 ms).
#  1. Runner overhead: one flow of STEPS (default 200) `GET /health/live` steps, each checking the status,
#     against the same requests sent back to back by one curl process (keep-alive, sequential) and by
#     `wrk -c1 -t1` (latency of one connection) — prints ms per request for each and the runner's overhead.
#  2. Parallel runs: FLOWS (default 40) independent flows (a patient registers, logs in, searches doctors, reads
#     availability, reads and updates the profile — 7 steps each) with --jobs 1 and --jobs 4; prints both wall
#     times and the speed-up. The server and the runner share the machine's cores.
# Builds with the same flags as .ci/run. Needs curl; uses wrk when installed (apt-get install wrk).
#
# Usage: scripts/benchmark-flow-runner.sh   (env: STEPS, FLOWS, SKIP_BUILD=1)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
steps="${STEPS:-200}"
flows="${FLOWS:-40}"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    swift build --enable-code-coverage --product illajwala-api >&2
    swift build --enable-code-coverage --product illajwala-flows >&2
    swift build --enable-code-coverage --product flow-runner-benchmark >&2
fi
bin="$(swift build --enable-code-coverage --show-bin-path)"
# shellcheck source=scripts/lib/local-api.sh
source "$root/scripts/lib/local-api.sh"
local_api_workspace flow-benchmark
work="$local_api_work"

"$bin/flow-runner-benchmark" "$steps"

start_local_api "$bin/illajwala-api" "$work" "${local_api_bulk_limits[@]}"
base="$local_api_base"

# --- 1. overhead per step ------------------------------------------------------------------------------
mkdir -p "$work/overhead"
{
    echo "name: $steps simple GET steps"
    echo "steps:"
    for i in $(seq 1 "$steps"); do
        echo "  - {name: \"get $i\", request: {url: /health/live}, expect: {status: 200}}"
    done
} >"$work/overhead/get-steps.yaml"

milliseconds() { python3 -c "import sys; print(f'{float(sys.argv[1]) * 1000:.3f}')" "$1"; }
now() { python3 -c 'import time; print(time.perf_counter())'; }

runner_times=()
for _ in 1 2 3; do
    "$bin/illajwala-flows" run "$work/overhead" --target "$base" --report-dir "$work/reports-overhead" --quiet >/dev/null
    # The flow's own time from the JUnit report (excludes process start and the readiness check).
    runner_times+=("$(python3 -c 'import sys, xml.etree.ElementTree as t; print(t.parse(sys.argv[1]).find(".//testcase").get("time"))' "$work/reports-overhead/junit.xml")")
done
runner_seconds="$(printf '%s\n' "${runner_times[@]}" | sort -n | sed -n 2p)"
runner_ms="$(python3 -c "print(f'{float(\"$runner_seconds\") * 1000 / $steps:.3f}')")"

urls=()
for _ in $(seq 1 "$steps"); do urls+=("$base/health/live" -o /dev/null); done
curl_times=()
for _ in 1 2 3; do
    start="$(now)"
    curl --silent --fail "${urls[@]}"
    end="$(now)"
    curl_times+=("$(python3 -c "print($end - $start)")")
done
curl_seconds="$(printf '%s\n' "${curl_times[@]}" | sort -n | sed -n 2p)"
curl_ms="$(python3 -c "print(f'{float(\"$curl_seconds\") * 1000 / $steps:.3f}')")"

echo "runner overhead ($steps GET steps, median of 3):"
echo "  illajwala-flows        $runner_ms ms per step ($(milliseconds "$runner_seconds") ms total)"
echo "  sequential curl        $curl_ms ms per request ($(milliseconds "$curl_seconds") ms total, one process, keep-alive)"
if command -v wrk >/dev/null 2>&1; then
    wrk_ms="$(wrk -t1 -c1 -d3s --latency "$base/health/live" | awk '/^    Latency/ { v=$2; if (v ~ /us$/) { sub(/us$/, "", v); v=v/1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v=v*1000 } printf "%.3f", v }')"
    echo "  wrk -c1 (3 s)          $wrk_ms ms mean latency"
    reference="$wrk_ms"
else
    echo "  wrk                    not installed (apt-get install wrk); comparing with curl only"
    reference="$curl_ms"
fi
python3 -c "r=float('$runner_ms'); c=float('$reference'); print(f'  runner adds {r - c:.3f} ms per step over the fastest client ({r / c:.2f}x its time per request)')"

# --- 2. parallel speed-up --------------------------------------------------------------------------------
mkdir -p "$work/parallel"
for i in $(seq 1 "$flows"); do
    cat >"$work/parallel/flow-$i.yaml" <<FLOW
name: patient journey $i
vars: {email: "{{ fake.email }}", password: Str0ng-pass-phrase}
actors:
  patient: {email: "{{ email }}", password: "{{ password }}"}
steps:
  - name: register
    request: {method: POST, url: /api/auth/register, json: {name: "Bench $i", email: "{{ email }}", phone: "{{ fake.phone }}", password: "{{ password }}"}}
    expect: {status: 201}
  - {name: search doctors, as: patient, request: {url: /api/doctors, query: {city: Bengaluru}}, expect: {status: 200}, capture: {doctorId: "\$.data[0].id"}}
  - {name: read availability, as: patient, request: {url: "/api/doctors/{{ doctorId }}/availability", query: {from: "{{ date('+1d') }}", to: "{{ date('+7d') }}"}}, expect: {status: 200}}
  - {name: read the profile, as: patient, request: {url: /api/patients/me}, expect: {status: 200}}
  - {name: update the profile, as: patient, request: {method: PUT, url: /api/patients/me, json: {medicalHistory: [asthma]}}, expect: {status: 200}}
  - {name: list clinics, as: patient, request: {url: /api/clinics}, expect: {status: 200}}
FLOW
done
wall() {
    local start end
    start="$(now)"
    "$bin/illajwala-flows" run "$work/parallel" --target "$base" --jobs "$1" --report-dir "$work/reports-parallel-$1" --quiet >/dev/null
    end="$(now)"
    python3 -c "print(f'{$end - $start:.3f}')"
}
serial="$(wall 1)"
parallel="$(wall 4)"
echo "parallel runs ($flows flows, 7 requests each incl. the actor's login; $(nproc) cores shared by server and runner):"
echo "  --jobs 1               $serial s"
echo "  --jobs 4               $parallel s"
python3 -c "print(f'  speed-up               {float(\"$serial\") / float(\"$parallel\"):.2f}x')"
