#!/usr/bin/env bash
# The documentation test (docs/testing.md, "Documentation test"):
#   1. scripts/check-doc-links.py — every relative link and #anchor in README.md and docs/ resolves; every alert of
#      ops/prometheus/alerts.yml has its runbook section and every runbook section its alert (first proven to fail
#      on a small broken tree, so the check itself cannot silently pass);
#   2. every runnable command block in docs/ (a fenced block whose commands start with `$ `) runs with byexample
#      (PyPI) and prints what the document says. One bash session per file; a command that exits non-zero prints
#      `[exit N]`, which the document must show — so a broken command fails the test — and pipelines fail when any of
#      their commands fails (scripts/lib/byexample-session.sh); failures are also counted, so one hidden by an expected
#      `<...>` is caught.
#
# Usage: scripts/check-docs.sh [BIN_DIR] [FILE.md…]
#   BIN_DIR holds release binaries (illajwala-api, illajwala-flows; default: `swift build -c release --show-bin-path`);
#   FILE.md… limits step 2 to those files (default: every docs/**/*.md holding a runnable block).
# What the blocks get: the repository root as the current folder; API = a running illajwala-api (ILLAJWALA_ENV=test,
# a throwaway PostgreSQL, migrated and seeded with Fixtures/); DATABASE_URL = its database; PATH starting with
# BIN_DIR; DOCS_SCRATCH = an empty scratch folder. Everything is stopped and removed on exit.
set -euo pipefail
# shellcheck source=lib/local-api.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/local-api.sh"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bin_dir="${1:-}"
if [[ $# -gt 0 ]]; then shift; fi
[[ -n "$bin_dir" ]] || bin_dir="$(swift build -c release --show-bin-path)"
[[ -x "$bin_dir/illajwala-api" ]] || { echo "check-docs.sh: no illajwala-api in '$bin_dir' (build it: swift build -c release)" >&2; exit 2; }
bin_dir="$(cd "$bin_dir" && pwd)"
command -v byexample >/dev/null 2>&1 || python3 -m pip install --quiet --disable-pip-version-check byexample
for tool in curl jq psql; do
    command -v "$tool" >/dev/null 2>&1 || { echo "check-docs.sh: $tool is missing (Debian: apt-get install curl jq postgresql-client)" >&2; exit 2; }
done

work="$(mktemp -d "${TMPDIR:-/tmp}/illajwala-docs.XXXXXX")"
pg_dir="$(mktemp -d "${TMPDIR:-/tmp}/illajwala-docs-pg.XXXXXX")"
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
    stop_local_api
    scripts/postgres-throwaway.sh stop "$pg_dir" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== links, anchors and runbooks"
# The checker must catch what it exists for: a tree with one broken link, one broken anchor, an alert without its
# section and a section without its alert.
broken="$work/broken-tree"
mkdir -p "$broken/docs" "$broken/ops/prometheus"
printf '# Read me\n\n[guide](docs/missing.md) and [runbook](docs/runbooks.md#no-such-section)\n' >"$broken/README.md"
# shellcheck disable=SC2016  # the backquotes are Markdown
printf '# Runbooks\n\n## Database down\n\n**Alert** `IllajwalaDatabaseDown`\n\n## Retired\n\n**Alert** `IllajwalaRetired`\n' \
    >"$broken/docs/runbooks.md"
printf 'groups:\n  - name: x\n    rules:\n      - alert: IllajwalaDatabaseDown\n        expr: vector(1)\n        annotations: {runbook_url: docs/runbooks.md#database-down}\n      - alert: IllajwalaNew\n        expr: vector(1)\n        annotations: {runbook_url: docs/runbooks.md#new}\n' \
    >"$broken/ops/prometheus/alerts.yml"
if python3 scripts/check-doc-links.py "$broken" 2>"$work/broken.txt"; then
    echo "check-docs.sh: check-doc-links.py passed a tree with broken links" >&2; exit 1
fi
for expected in "docs/missing.md does not exist" "no heading or anchor '#no-such-section'" "names IllajwalaRetired" "alert IllajwalaNew: runbook_url"; do
    grep -qF "$expected" "$work/broken.txt" || { echo "check-docs.sh: check-doc-links.py did not report: $expected" >&2; cat "$work/broken.txt" >&2; exit 1; }
done
python3 scripts/check-doc-links.py "$root"

echo "== runnable command blocks (byexample)"
if [[ $# -gt 0 ]]; then
    files=("$@")
else
    # A document whose blocks need a situation this test cannot give (an outage, a lost host) says which drill runs
    # them — `<!-- docs-test: run by scripts/drill-….sh -->` — and that drill must exist and name the document.
    files=()
    while IFS= read -r file; do
        drill="$(sed -n 's/.*<!-- docs-test: run by \(scripts\/[a-z-]*\.sh\) -->.*/\1/p' "$file" | head -n 1)"
        if [[ -z "$drill" ]]; then files+=("$file"); continue; fi
        if [[ ! -x "$drill" ]] || ! grep -qF "$file" "$drill"; then echo "check-docs.sh: $file says $drill runs its blocks, but that script does not name it" >&2; exit 1; fi
        echo "$file: its blocks are run by $drill"
    done < <(grep -rlE --include='*.md' '^\s*\$ ' docs | sort)
fi
[[ ${#files[@]} -gt 0 ]] || { echo "check-docs.sh: no document holds a runnable block" >&2; exit 1; }

DATABASE_URL="$(scripts/postgres-throwaway.sh start "$pg_dir")"
export DATABASE_URL ILLAJWALA_ENV=test
# Every document's requests come from one address within a minute or two: a per-client budget above API.md's 100.
LOCAL_API_DATABASE_URL="$DATABASE_URL" start_local_api "$bin_dir/illajwala-api" "$work" \
    RATE_LIMIT_API_PER_MINUTE=1000 RATE_LIMIT_REGISTRATIONS_PER_MINUTE=100
export API="$local_api_base"
curl --silent --fail --max-time 5 "$API/health/ready" >/dev/null || { echo "check-docs.sh: illajwala-api is not ready on $API" >&2; exit 1; }

export DOCS_SCRATCH="$work/scratch" PATH="$bin_dir:$PATH"
mkdir -p "$DOCS_SCRATCH"
# byexample runs bash with --posix, which reads the file named by ENV at start (pipefail, the `[exit N]` trap).
export RUNNABLE_DOCS_FAILURES="$work/failures"
: >"$RUNNABLE_DOCS_FAILURES"
started=$SECONDS
status=0
ENV="$root/scripts/lib/byexample-session.sh" byexample -l shell --timeout 20 --pretty none "${files[@]}" || status=$?
if [[ $status -ne 0 ]]; then
    echo "check-docs.sh: a runnable block failed (above); the last lines of the service's log:" >&2
    tail -n 20 "$work/server.log" >&2  # start_local_api's log
    exit 1
fi
# Every failing command printed `[exit N]`; an expected `<...>` can match it, so count: as many failures as the
# documents show, no more.
shown="$(cat "${files[@]}" | grep -cE '^\[exit [0-9]+\]$' || true)"
failed="$(wc -l <"$RUNNABLE_DOCS_FAILURES")"
if [[ "$failed" -ne "$shown" ]]; then
    echo "check-docs.sh: $failed commands failed while the documents show $shown failures ([exit N] lines): a failure hid behind an expected <...>; run byexample on each document to find it" >&2
    exit 1
fi
echo "check-docs.sh: ${#files[@]} documents' runnable blocks pass ($((SECONDS - started)) s)"
