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

# shellcheck source=scripts/lib/headless-dom.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/headless-dom.sh"
dom=$(headless_dom "$file")

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
