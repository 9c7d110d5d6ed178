#!/usr/bin/env bash
# Checks the reports of one `illajwala-flows load` run (docs/load-testing.md):
#   - load.json is valid against docs/schemas/load-report.schema.json (Python jsonschema, formats checked);
#   - load-junit.xml is valid against the JUnit XSD and has one test case per threshold of load.json;
#   - load-report.html renders in headless Chromium with its three charts (inline SVG) and one table row per
#     threshold, and names no external resource (no src= or href= to http, no script);
#   - load-summary.md names every threshold.
#
# Usage: scripts/check-load-report.sh DIR     (CHROMIUM=path picks the browser)
# Exit 0 when all holds, 1 when a check fails, 2 on usage errors or a missing tool.
set -euo pipefail

[[ $# -eq 1 ]] || { echo "usage: $0 DIR" >&2; exit 2; }
dir=$1
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
for file in load.json load-junit.xml load-report.html load-summary.md; do
    [[ -s "$dir/$file" ]] || { echo "error: $dir/$file is missing or empty" >&2; exit 1; }
done
command -v xmllint >/dev/null || { echo "error: xmllint missing (apt-get install libxml2-utils)" >&2; exit 2; }

python3 - "$root/docs/schemas/load-report.schema.json" "$dir/load.json" <<'PY'
import json, sys
from jsonschema import Draft202012Validator
schema = json.load(open(sys.argv[1]))
Draft202012Validator.check_schema(schema)
Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(json.load(open(sys.argv[2])))
PY
thresholds=$(jq '.thresholds | length' "$dir/load.json")

xmllint --noout --schema "$root/Tests/FlowRunnerTests/Resources/junit.xsd" "$dir/load-junit.xml"
cases=$(grep -c '<testcase ' "$dir/load-junit.xml" || true)
[[ "$cases" == "$thresholds" ]] || { echo "error: load-junit.xml has $cases test cases for $thresholds thresholds" >&2; exit 1; }

while IFS= read -r threshold; do
    grep -qF -- "$threshold" "$dir/load-summary.md" || { echo "error: load-summary.md does not name threshold $threshold" >&2; exit 1; }
done < <(jq -r '.thresholds[].threshold' "$dir/load.json")

if grep -qiE '<script|src="http|href="http' "$dir/load-report.html"; then
    echo "error: load-report.html loads or runs something (script or external resource)" >&2
    exit 1
fi
# shellcheck source=scripts/lib/headless-dom.sh
source "$root/scripts/lib/headless-dom.sh"
dom=$(headless_dom "$dir/load-report.html")
charts=$(grep -o '<svg' <<<"$dom" | wc -l)
[[ "$charts" -ge 3 ]] || { echo "error: load-report.html rendered $charts charts, expected 3" >&2; exit 1; }
rows=$(grep -oE '<tr class="(pass|fail)">' <<<"$dom" | wc -l)
[[ "$rows" == "$thresholds" ]] || { echo "error: load-report.html shows $rows threshold rows for $thresholds thresholds" >&2; exit 1; }
echo "$dir: load.json valid, load-junit.xml valid ($cases cases), load-report.html renders $charts charts and $rows thresholds"
