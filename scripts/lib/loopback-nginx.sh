# shellcheck shell=bash
# Debian's nginx serving the shipped site (ops/nginx/illajwala.conf, rendered by ops/nginx/render.sh) on loopback
# ports, with its own prefix, main configuration, self-signed certificate and logs in a folder — not the system's
# service. Used by the deployment rehearsal and the disaster-recovery drill. Source it, then
#   loopback_nginx_start DIR UPSTREAM_FILE
# renders the site, starts nginx, and exports NGINX_LOCAL_URL (the loopback listener the deploy scripts use),
# NGINX_TEST, NGINX_RELOAD (its commands for scripts/deploy.sh) and sets loopback_nginx_https_port;
# loopback_nginx_stop DIR stops it. UPSTREAM_FILE must exist (the deploy scripts write it).

loopback_nginx_https_port=""
loopback_nginx_free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

loopback_nginx_start() {
    local dir="$1" upstream_file="$2" root http_port local_port conf
    root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
    http_port="$(loopback_nginx_free_port)"; loopback_nginx_https_port="$(loopback_nginx_free_port)"; local_port="$(loopback_nginx_free_port)"
    conf="$dir/nginx.conf"
    mkdir -p "$dir/site" "$dir/logs" "$dir/tmp"
    openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=localhost" -keyout "$dir/tls.key" -out "$dir/tls.crt" 2>/dev/null
    NGINX_SERVER_NAME=localhost NGINX_HTTP_LISTEN="127.0.0.1:$http_port" NGINX_HTTPS_LISTEN="127.0.0.1:$loopback_nginx_https_port" \
        NGINX_LOCAL_LISTEN="127.0.0.1:$local_port" NGINX_TLS_CERTIFICATE="$dir/tls.crt" NGINX_TLS_CERTIFICATE_KEY="$dir/tls.key" \
        NGINX_LOG_DIR="$dir/logs" NGINX_UPSTREAM_FILE="$upstream_file" "$root/ops/nginx/render.sh" "$dir/site"
    cat >"$conf" <<EOF
user root;
worker_processes 2;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 1024; }
http {
    client_body_temp_path $dir/tmp/client;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    include $dir/site/illajwala.conf;
}
EOF
    nginx -p "$dir" -c "$conf" -t 2>/dev/null
    nginx -p "$dir" -c "$conf"
    export NGINX_LOCAL_URL="http://127.0.0.1:$local_port"
    export NGINX_TEST="nginx -p $dir -c $conf -t" NGINX_RELOAD="nginx -p $dir -c $conf -s reload"
}

loopback_nginx_stop() {
    local dir="$1"
    if [[ -f "$dir/nginx.pid" ]]; then nginx -p "$dir" -c "$dir/nginx.conf" -s stop 2>/dev/null || true; fi
}
