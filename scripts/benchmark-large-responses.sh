#!/usr/bin/env bash
# What a flow run costs when the target answers with a very large body: peak resident memory of illajwala-flows and
# the size of every report, for a failing `body:` assertion (the body is shown in the failure) and a passing `json:`
# one (the body is parsed whole), on two shapes of JSON: `records` (an array of small appointment-like objects, the
# worst case for a parsed tree) and `documents` (a few members holding long strings, such as encoded files).
# Targets (docs/flow-reports.md, bounded reports): every report under 1 MB; peak RSS under 3x the body size, counted above the same run on a
# 1 KB body (the runner's own footprint, ~50 MB for a debug build).
#
# Serves the generated bodies with Python's http.server on a free loopback port, runs each case in its own
# illajwala-flows process and reads its peak RSS from the kernel (getrusage of the child). Prints one row per case
# (total and net RSS) and exits 1 when a case misses a target.
#
# Environment (all optional):
#   SIZES_MB     body sizes in MB (default "10 30")
#   BIN_PATH     folder holding illajwala-flows (default: swift build --show-bin-path, after building it)
#   SKIP_BUILD=1 do not build
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
sizes="${SIZES_MB:-10 30}"
if [[ "${SKIP_BUILD:-}" != "1" ]]; then swift build --product illajwala-flows >/dev/null; fi
bin="${BIN_PATH:-$(swift build --show-bin-path)}"
[[ -x "$bin/illajwala-flows" ]] || { echo "error: $bin/illajwala-flows not found (set BIN_PATH or build first)" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/illajwala-large-responses.XXXXXX")"
server_pid=""
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
    if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
export LLVM_PROFILE_FILE="$work/%p.profraw"

mkdir -p "$work/site/health" "$work/flows"
echo '{}' > "$work/site/health/ready"
for size in 0.001 $sizes; do
    for shape in records documents; do
        python3 - "$work/site/$shape-$size.json" "$size" "$shape" <<'PY'
import base64, sys
path, megabytes, shape = sys.argv[1], float(sys.argv[2]), sys.argv[3]
target = int(megabytes * 1_000_000)
with open(path, "w") as out:
    if shape == "documents":
        # Records of scanned reports: each a few members and one long Base64 string of about 1 MB.
        out.write("[")
        index, written = 0, 1
        while written < target:
            chunk = min(1_000_000, max(1, target - written - 80))
            text = base64.b64encode(bytes((index + i) % 251 for i in range(chunk * 3 // 4))).decode()
            record = '{"id":"doc-%d","kind":"lab-report","pages":%d,"content":"%s"}' % (index, index % 9 + 1, text)
            if index: out.write(","); written += 1
            out.write(record); written += len(record); index += 1
        out.write("]")
    else:
        out.write("[")
        written, index = 1, 0
        while written < target:
            record = ('{"id":"apt-%d","doctorId":"doc-%d","patient":"Patient %d","status":"confirmed","fee":%d,'
                      '"scheduledAt":"2026-12-07T04:30:00Z","notes":"Follow-up in two weeks; bring earlier reports"}') % (index, index % 97, index, 500 + index % 700)
            if index: out.write(","); written += 1
            out.write(record); written += len(record); index += 1
        out.write("]")
PY
    done
done
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/site" >"$work/http.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break; sleep 0.1; done

# peak_rss_kb CASE_DIR URL_PATH EXPECTATION: runs one case, prints the child's peak RSS in KiB.
peak_rss_kb() {
    local case_dir="$1" url="$2" expectation="$3"
    mkdir -p "$case_dir/Flows"
    printf 'name: one large response\ntimeout: 300s\nsteps:\n  - name: fetch\n    timeout: 120s\n    request: {url: %s}\n    expect: %s\n' \
        "$url" "$expectation" > "$case_dir/Flows/case.yaml"
    (cd "$case_dir" && python3 - "$bin/illajwala-flows" "http://127.0.0.1:$port" <<'PY'
import resource, subprocess, sys
subprocess.run([sys.argv[1], "run", "Flows", "--target", sys.argv[2], "--report-dir", "out", "--openapi", "none.yaml", "--quiet"],
               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
    )
}

expectation_for() {
    if [[ "$1" == failing-body ]]; then echo '{body: {contains: "never there"}}'; else echo '{json: {"$[0].id": {exists: true}, "$": {length: {gte: 1}}}}'; fi
}

printf '%-26s %8s %10s %10s %7s  %s\n' "case" "body MB" "RSS MB" "net MB" "net/body" "reports (bytes)"
missed=0
for shape in records documents; do
    for case in failing-body passing-json; do
        baseline_kb="$(peak_rss_kb "$work/$shape-$case-baseline" "/$shape-0.001.json" "$(expectation_for "$case")")"
        for size in $sizes; do
            case_dir="$work/$shape-$case-$size"
            rss_kb="$(peak_rss_kb "$case_dir" "/$shape-$size.json" "$(expectation_for "$case")")"
            body_bytes="$(stat -c %s "$work/site/$shape-$size.json")"
            reports=""
            largest=0
            for report in "$case_dir"/out/*; do
                bytes="$(stat -c %s "$report")"
                reports+="$(basename "$report")=$bytes "
                if (( bytes > largest )); then largest=$bytes; fi
            done
            read -r body_mb rss_mb net_mb ratio < <(python3 -c "b=$body_bytes; r=$rss_kb*1024; n=max(0, r-$baseline_kb*1024); print(f'{b/1e6:.1f} {r/1e6:.1f} {n/1e6:.1f} {n/b:.2f}')")
            verdict=ok
            if (( largest >= 1000000 )) || python3 -c "import sys; sys.exit(0 if $ratio >= 3 else 1)"; then verdict=MISSED; missed=1; fi
            printf '%-26s %8s %10s %10s %6sx  %s[%s]\n' "$shape $case" "$body_mb" "$rss_mb" "$net_mb" "$ratio" "$reports" "$verdict"
        done
    done
done
exit "$missed"
