#!/usr/bin/env bash
# Renders ops/alertmanager/alertmanager.yml with the receivers' webhook URLs from the environment and checks the
# result with amtool. Usage: PAGER_WEBHOOK_URL=… CHAT_WEBHOOK_URL=… ops/alertmanager/render.sh OUTPUT.yml
# Refuses to render when a URL is missing or not https (a pager that silently points nowhere is worse than none);
# plain http only to a loopback receiver (the alert drill's, scripts/drill-alerts.sh).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
output="${1:?usage: render.sh OUTPUT.yml}"
for name in PAGER_WEBHOOK_URL CHAT_WEBHOOK_URL; do
    value="${!name:-}"
    if [[ ! "$value" =~ ^https://[^[:space:]\"]+$ && ! "$value" =~ ^http://(127\.0\.0\.1|localhost|\[::1\])(:[0-9]+)?/[^[:space:]\"]*$ ]]; then
        echo "render.sh: $name must be an https:// URL, or http:// to a loopback receiver (got '${value:-unset}')" >&2
        exit 2
    fi
done
python3 - "$here/alertmanager.yml" "$output" <<'PY'
import os, sys
text = open(sys.argv[1]).read()
for name in ("PAGER_WEBHOOK_URL", "CHAT_WEBHOOK_URL"):
    text = text.replace("${" + name + "}", os.environ[name])
open(sys.argv[2], "w").write(text)
PY
amtool check-config "$output" >&2
