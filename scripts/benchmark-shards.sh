#!/usr/bin/env bash
# How evenly `illajwala-flows run --shard I/N` splits a large suite (docs/ci-sharding.md).
#
# Copies the shipped flows COPIES times (6 × 36 = 216 flows, names made unique) into a temporary folder, runs them all
# once against the embedded target to learn their durations (flows.json), then runs each of SHARDS shards twice —
# balanced by step counts, and by those durations (--durations) — and prints, per shard: flows, the planned weight,
# the flows' time measured in the shard's own run, and its wall time; then the longest shard against the ideal
# (total / SHARDS) for each way of balancing. The issue's target: with durations, the longest of 4 within 15 % of ideal.
#
# Usage: scripts/benchmark-shards.sh   (env: COPIES=6, SHARDS=4, SKIP_BUILD=1 to reuse the debug build)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
copies="${COPIES:-6}"
shards="${SHARDS:-4}"
[[ "$copies" =~ ^[0-9]+$ && "$copies" -ge 1 && "$copies" -le 20 ]] || { echo "COPIES must be 1 to 20, not '$copies'" >&2; exit 2; }
[[ "$shards" =~ ^[0-9]+$ && "$shards" -ge 2 && "$shards" -le 16 ]] || { echo "SHARDS must be 2 to 16, not '$shards'" >&2; exit 2; }
command -v jq >/dev/null || { echo "jq is missing: apt-get install jq" >&2; exit 2; }

[[ "${SKIP_BUILD:-0}" == 1 ]] || swift build --product illajwala-flows >&2
flows_bin="$(swift build --show-bin-path)/illajwala-flows"
[[ -x "$flows_bin" ]] || { echo "$flows_bin is missing (run without SKIP_BUILD=1)" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/illajwala-benchmark-shards.XXXXXX")"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

mkdir -p "$work/Flows"
cp Flows/targets.yaml "$work/Flows/targets.yaml"
for copy in $(seq 1 "$copies"); do
    mkdir -p "$work/Flows/copy$copy"
    cp -r Flows/. "$work/Flows/copy$copy/"
    rm "$work/Flows/copy$copy/targets.yaml"
done
# Flow names must be unique in a run: prefix each copy's names with the copy.
python3 - "$work/Flows" <<'PY'
import pathlib, re, sys
for path in pathlib.Path(sys.argv[1]).glob("copy*/**/*.yaml"):
    if "_includes" in path.parts:
        continue
    copy = next(part for part in path.parts if part.startswith("copy"))
    lines = path.read_text().split("\n")
    for index, line in enumerate(lines):
        match = re.match(r"^name:\s*(.*)$", line)
        if match:
            value = match.group(1)
            lines[index] = f"name: {value[0]}{copy} {value[1:]}" if value[:1] in "\"'" else f"name: {copy} {value}"
            break
    path.write_text("\n".join(lines))
PY

started=$SECONDS
"$flows_bin" run "$work/Flows" --report-dir "$work/full" -q >"$work/full.log" 2>&1 || { cat "$work/full.log" >&2; exit 1; }
full_wall=$((SECONDS - started))
total_flows="$(jq '.counts.total' "$work/full/flows.json")"

rows=()
for basis in steps durations; do
    extra=()
    [[ "$basis" == durations ]] && extra=(--durations "$work/full/flows.json")
    for index in $(seq 1 "$shards"); do
        started=$SECONDS
        "$flows_bin" run "$work/Flows" --shard "$index/$shards" "${extra[@]}" --report-dir "$work/$basis-$index" -q >"$work/$basis-$index.log" 2>&1 \
            || { cat "$work/$basis-$index.log" >&2; exit 1; }
        wall=$((SECONDS - started))
        planned="$(sed -n 's/^shard [0-9]*\/[0-9]*: .*weight \([0-9]*\) of.*/\1/p' "$work/$basis-$index.log")"
        measured="$(jq '[.flows[].durationMs] | add // 0 | round' "$work/$basis-$index/flows.json")"
        count="$(jq '.counts.total' "$work/$basis-$index/flows.json")"
        rows+=("$basis $index $count $planned $measured $wall")
    done
done

echo
echo "$total_flows flows ($copies copies of Flows/), $shards shards; the whole suite in one run: ${full_wall} s"
printf '%-10s %6s %6s %14s %16s %7s\n' "balanced" "shard" "flows" "planned" "measured ms" "wall s"
for row in "${rows[@]}"; do
    read -r basis index count planned measured wall <<<"$row"
    unit="steps"
    [[ "$basis" == durations ]] && unit="ms"
    printf '%-10s %6s %6s %14s %16s %7s\n' "$basis" "$index/$shards" "$count" "$planned $unit" "$measured" "$wall"
done
for basis in steps durations; do
    printf '%s\n' "${rows[@]}" | awk -v basis="$basis" -v n="$shards" '
        $1 == basis { total += $5; if ($5 > longest) longest = $5; wall_total += $6; if ($6 > wall_longest) wall_longest = $6 }
        END {
            ideal = total / n
            printf "by %-9s longest shard %d ms = %.1f %% over the ideal %d ms (wall: longest %d s, ideal %.1f s)\n",
                basis, longest, 100 * (longest / ideal - 1), ideal, wall_longest, wall_total / n
        }'
done
