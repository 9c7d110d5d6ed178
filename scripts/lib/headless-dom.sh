# shellcheck shell=bash
# Renders a local HTML file in headless Chromium and prints the DOM after its scripts ran. Source it, then
#   headless_dom FILE        # prints the DOM on stdout; exits 1 (with Chromium's last lines) when it cannot render,
#                            # 2 when no Chromium is installed (CHROMIUM=path picks the binary)
# Each call uses a fresh profile folder (concurrent renders do not share or lock one), removed afterwards.

headless_dom() {
    local file=$1 browser=${CHROMIUM:-} candidate absolute profile status=0
    if [[ -z "$browser" ]]; then
        for candidate in chromium chromium-browser google-chrome; do
            if command -v "$candidate" >/dev/null 2>&1; then browser=$candidate; break; fi
        done
    fi
    [[ -n "$browser" ]] || { echo "error: no chromium found (apt-get install chromium)" >&2; exit 2; }
    absolute="$(cd "$(dirname "$file")" && pwd)/$(basename "$file")"
    profile=$(mktemp -d "${TMPDIR:-/tmp}/headless-dom.XXXXXX")
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
        --user-data-dir="$profile" --dump-dom "file://$absolute" 2>"$profile/stderr" || status=$?
    if [[ $status -ne 0 ]]; then
        echo "error: $browser could not render $file:" >&2
        tail -n 20 "$profile/stderr" >&2
        rm -rf "$profile"
        exit 1
    fi
    rm -rf "$profile"
}
