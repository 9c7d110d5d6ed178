#!/usr/bin/env bash
# Measures whether a failed login takes as long for an unknown e-mail as for a known one (docs/security-audit.md §2: "login spends
# the same time for unknown emails"), against a local illajwala-api on loopback at a production bcrypt cost.
#
# A patient registers through the API (so the stored hash has the configured cost), then ROUNDS (default 15)
# wrong-password logins for that e-mail and ROUNDS logins for never-registered e-mails are sent alternately;
# prints the median and p90 of each in ms and the difference of the medians. Exits 1 when the medians differ
# by more than TOLERANCE percent (default 15) — that would let an attacker enumerate accounts by timing.
#
# Usage: scripts/benchmark-login-timing.sh   (env: ROUNDS, TOLERANCE, BCRYPT=12, SKIP_BUILD=1)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rounds="${ROUNDS:-15}"
tolerance="${TOLERANCE:-15}"
cost="${BCRYPT:-12}"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then swift build --enable-code-coverage --product illajwala-api >&2; fi
bin="$(swift build --enable-code-coverage --show-bin-path)"
# shellcheck source=scripts/lib/local-api.sh
source "$root/scripts/lib/local-api.sh"
local_api_workspace login-timing
work="$local_api_work"

start_local_api "$bin/illajwala-api" "$work" BCRYPT_COST="$cost" "${local_api_bulk_limits[@]}"
echo "illajwala-api on $local_api_base, BCRYPT_COST=$cost, $rounds rounds" >&2

python3 - "$local_api_base" "$rounds" "$tolerance" <<'PY'
import json, statistics, sys, time, urllib.error, urllib.request, uuid

base, rounds, tolerance = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])

def post(path, body):
    request = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, (time.perf_counter() - started) * 1000

email = f"timing-{uuid.uuid4().hex[:8]}@example.test"
status, _ = post("/api/auth/register", {"name": "Timing Probe", "email": email, "phone": "+919800000999",
                                        "password": "Str0ng-pass-phrase"})
assert status == 201, f"registration answered {status}"
known, unknown = [], []
post("/api/auth/login", {"email": email, "password": "Wrong-pass-phrase-0", "role": "patient"})  # warm-up
for index in range(rounds):
    status, ms = post("/api/auth/login", {"email": email, "password": f"Wrong-pass-phrase-{index}", "role": "patient"})
    assert status == 401, status
    known.append(ms)
    status, ms = post("/api/auth/login", {"email": f"nobody-{uuid.uuid4().hex[:8]}@example.test",
                                          "password": f"Wrong-pass-phrase-{index}", "role": "patient"})
    assert status == 401, status
    unknown.append(ms)

def p90(values):
    return sorted(values)[max(0, int(round(0.9 * len(values))) - 1)]

known_median, unknown_median = statistics.median(known), statistics.median(unknown)
difference = abs(known_median - unknown_median) / max(known_median, unknown_median) * 100
print(f"wrong password, known e-mail:   median {known_median:8.1f} ms   p90 {p90(known):8.1f} ms")
print(f"wrong password, unknown e-mail: median {unknown_median:8.1f} ms   p90 {p90(unknown):8.1f} ms")
print(f"difference of the medians: {difference:.1f} % (tolerance {tolerance:.0f} %)")
sys.exit(1 if difference > tolerance else 0)
PY
