#!/usr/bin/env bash
# Renders ops/nginx/illajwala.conf (and its proxy snippet) for one host: every placeholder @X@ is replaced by the environment
# variable NGINX_X, and each must be set (a site that silently listens nowhere is worse than none).
#
#   NGINX_SERVER_NAME=api.example.com NGINX_HTTP_LISTEN=80 NGINX_HTTPS_LISTEN=443 NGINX_LOCAL_LISTEN=127.0.0.1:8088 \
#   NGINX_TLS_CERTIFICATE=/etc/ssl/… NGINX_TLS_CERTIFICATE_KEY=/etc/ssl/… NGINX_LOG_DIR=/var/log/nginx \
#   NGINX_UPSTREAM_FILE=/opt/illajwala/state/upstream.conf ops/nginx/render.sh /etc/nginx/sites-enabled
#
# Writes illajwala.conf and snippets/illajwala-proxy.conf into OUTPUT_DIR (NGINX_SNIPPET_DIR defaults to OUTPUT_DIR/snippets).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
output="${1:?usage: render.sh OUTPUT_DIR}"
export NGINX_SNIPPET_DIR="${NGINX_SNIPPET_DIR:-$output/snippets}"
mkdir -p "$output" "$NGINX_SNIPPET_DIR"
python3 - "$here/illajwala.conf" "$output/illajwala.conf" "$here/illajwala-proxy.conf" "$NGINX_SNIPPET_DIR/illajwala-proxy.conf" <<'PY'
import os, re, sys
pairs = list(zip(sys.argv[1::2], sys.argv[2::2]))
for source, target in pairs:
    text = open(source).read()
    missing = []
    def value(match):
        name = "NGINX_" + match.group(1)
        if not os.environ.get(name):
            missing.append(name)
            return match.group(0)
        return os.environ[name]
    text = re.sub(r"@([A-Z_]+)@", value, text)
    if missing:
        sys.exit(f"render.sh: {source}: set {', '.join(sorted(set(missing)))}")
    open(target, "w").write(text)
PY
