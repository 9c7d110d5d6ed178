#!/usr/bin/env bash
# Bounded schemathesis run of openapi.yaml against a local illajwala-api (loopback only).
#
# Builds illajwala-api, migrates and seeds a temporary SQLite database, serves it on a free
# loopback port (ILLAJWALA_ENV=test), logs in as the development admin, runs schemathesis with a
# fixed number of examples per operation and the checks not_a_server_error and
# response_schema_conformance, stops the server and exits non-zero on any failure.
#
# Environment (all optional):
#   MAX_EXAMPLES      examples per operation (default 25)
#   SEED              hypothesis seed, for reproducible runs (default 20261129)
#   RUN_TIMEOUT       overall limit for the schemathesis run in seconds (default 900)
#   WORKERS           schemathesis workers (default 2)
#   ROLE              whose bearer token to send: admin (default), patient or doctor — the
#                     patient-only and doctor-only operations answer 403 to an admin
#   SKIP_BUILD=1      use the existing .build/debug/illajwala-api
#   SCHEMATHESIS_ARGS extra arguments for `schemathesis run` (word-split)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

max_examples="${MAX_EXAMPLES:-25}"
seed="${SEED:-20261129}"
run_timeout="${RUN_TIMEOUT:-900}"
workers="${WORKERS:-2}"
role="${ROLE:-admin}"
case "$role" in
    admin) email="admin@illajwala.dev" password="Admin-dev-only-2026" ;;
    patient) email="asha.rao@patients.illajwala.dev" password="Patient-dev-only-2026" ;;
    doctor) email="arjun.menon@doctors.illajwala.dev" password="Doctor-dev-only-2026" ;;
    *) echo "ROLE must be admin, patient or doctor" >&2; exit 2 ;;
esac
# The access token must outlive the run (development credentials, test environment only).
token_ttl=$((run_timeout + 600 > 86400 ? 86400 : run_timeout + 600))

if ! command -v schemathesis >/dev/null 2>&1; then
    echo "schemathesis not found; installing it with pip" >&2
    python3 -m pip install --quiet schemathesis
fi

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    swift build --product illajwala-api
fi
api="$(swift build --show-bin-path)/illajwala-api"
[[ -x "$api" ]] || { echo "no illajwala-api binary at $api" >&2; exit 2; }

# shellcheck source=scripts/lib/local-api.sh
source "$root/scripts/lib/local-api.sh"
local_api_workspace schemathesis
work="$local_api_work"

start_local_api "$api" "$work" ACCESS_TOKEN_TTL_SECONDS="$token_ttl" "${local_api_bulk_limits[@]}"
base="$local_api_base"

token="$(curl --silent --fail --max-time 10 -X POST "$base/api/auth/login" \
    -H 'Content-Type: application/json' \
    --data "{\"email\":\"$email\",\"password\":\"$password\",\"role\":\"$role\"}" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["data"]["accessToken"])')"
[[ -n "$token" ]] || { echo "$role login failed" >&2; exit 2; }

extra=()
if [[ -n "${SCHEMATHESIS_ARGS:-}" ]]; then
    read -r -a extra <<<"$SCHEMATHESIS_ARGS"
fi

status=0
timeout --signal=INT --kill-after=30 "$run_timeout" \
    schemathesis run openapi.yaml \
    --url "$base" \
    --header "Authorization: Bearer $token" \
    --checks not_a_server_error,response_schema_conformance \
    --max-examples "$max_examples" \
    --seed "$seed" \
    --workers "$workers" \
    --request-timeout 10 \
    --max-redirects 0 \
    --suppress-health-check all \
    "${extra[@]}" || status=$?

if [[ "$status" -ne 0 ]]; then
    echo "schemathesis failed (exit $status); last lines of the server log:" >&2
    tail -n 20 "$work/server.log" >&2 || true
fi
exit "$status"
