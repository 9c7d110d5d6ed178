#!/usr/bin/env bash
# Checks that an illajwala-flows report.html renders in headless Chromium.
#
# Usage: scripts/check-html-report.sh FILE [TEXT ...]
#
# Loads FILE with `chromium --headless --no-sandbox --disable-gpu --dump-dom` (Debian package `chromium`) and checks
# the DOM after its inline script ran:
#   - the overview is there: <section id="overview"> with the tally "N passed, N failed, N skipped";
#   - the inline script ran over the whole page and counted one <details class="flow"> per flow of the tally
#     (an escaping mistake that swallowed part of the page shows here);
#   - every further TEXT argument occurs in the DOM.
# Prints one line with what it found. Exit 0 when all holds, 1 when a check fails, 2 on usage errors or when no
# Chromium is installed (CHROMIUM=path picks the binary).
set -euo pipefail

usage() { echo "usage: $0 FILE [TEXT ...]" >&2; exit 2; }
[[ $# -ge 1 ]] || usage
file=$1
shift
[[ -f "$file" ]] || { echo "error: $file: no such file" >&2; exit 2; }

browser=${CHROMIUM:-}
if [[ -z "$browser" ]]; then
    for candidate in chromium chromium-browser google-chrome; do
        if command -v "$candidate" >/dev/null 2>&1; then browser=$candidate; break; fi
    done
fi
[[ -n "$browser" ]] || { echo "error: no chromium found (apt-get install chromium)" >&2; exit 2; }

absolute="$(cd "$(dirname "$file")" && pwd)/$(basename "$file")"
profile=$(mktemp -d "${TMPDIR:-/tmp}/check-html-report.XXXXXX")
trap 'rm -rf "$profile"' EXIT

# A fresh profile folder per call: concurrent checks do not share (or lock) one.
dom=$(timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --user-data-dir="$profile" --dump-dom "file://$absolute" 2>"$profile/stderr") || {
    echo "error: $browser could not render $file:" >&2
    tail -n 20 "$profile/stderr" >&2
    exit 1
}

fail() { echo "error: $file: $*" >&2; exit 1; }

grep -q '<section id="overview">' <<<"$dom" || fail "no overview section in the rendered DOM"
tally=$(grep -oE '<p id="tally">[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped</p>' <<<"$dom" | head -n 1 | sed -E 's/<[^>]+>//g') \
    || fail "no tally (N passed, N failed, N skipped) in the overview"
[[ -n "$tally" ]] || fail "no tally (N passed, N failed, N skipped) in the overview"
read -r passed _ failed _ skipped _ <<<"${tally//,/}"
expected=$((passed + failed + skipped))

rendered=$(grep -oE 'data-rendered-flows="[0-9]+"' <<<"$dom" | head -n 1 | grep -oE '[0-9]+') \
    || fail "the inline script did not run (no data-rendered-flows in the DOM)"
[[ "$rendered" == "$expected" ]] || fail "the tally counts $expected flows but $rendered rendered"

for text in "$@"; do
    grep -qF -- "$text" <<<"$dom" || fail "the rendered DOM does not contain: $text"
done

echo "$file renders in headless Chromium: $tally, $rendered flows rendered"
