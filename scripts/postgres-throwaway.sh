#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback for CI and local runs (no Docker needed).
#
#   scripts/postgres-throwaway.sh start DIR   # prints the DATABASE_URL of the new cluster on stdout
#   scripts/postgres-throwaway.sh stop DIR    # stops it at once and removes DIR
#   scripts/postgres-throwaway.sh halt DIR    # stops the server (fast shutdown) and keeps its data: an outage
#   scripts/postgres-throwaway.sh resume DIR  # starts a halted server again on the same port
#
# Installs the Debian `postgresql` package when the server binaries are missing. initdb refuses to run as
# root, so as root the cluster belongs to the `postgres` user. Settings trade durability for speed (tests only).
set -euo pipefail

command=${1:-}
dir=${2:-}
[[ -n "$command" && -n "$dir" ]] || { echo "usage: $0 start|stop|halt|resume DIR" >&2; exit 2; }

bin_dir() {
    local candidate
    candidate=$(find /usr/lib/postgresql -maxdepth 3 -name initdb -type f 2>/dev/null | sort -V | tail -n 1 || true)
    [[ -n "$candidate" ]] && dirname "$candidate"
}

as_owner() {
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Starts the cluster in $dir on $port (loopback only).
server_start() {
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=400" \
        start >/dev/null
}

case "$command" in
start)
    if [[ -z "$(bin_dir)" ]]; then
        echo "installing postgresql (server binaries missing)" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2
        apt-get install -y -qq postgresql >&2
    fi
    bin=$(bin_dir)
    mkdir -p "$dir"
    [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$dir"
    as_owner "$bin/initdb" -D "$dir/data" --auth=trust --no-sync -U postgres -E UTF8 >/dev/null
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    echo "$port" >"$dir/port"
    server_start
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
halt)
    bin=$(bin_dir)
    [[ -n "$bin" && -f "$dir/port" ]] || { echo "$0: no throwaway cluster in '$dir'" >&2; exit 2; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
    ;;
resume)
    bin=$(bin_dir)
    [[ -n "$bin" && -f "$dir/port" ]] || { echo "$0: no throwaway cluster in '$dir'" >&2; exit 2; }
    port=$(cat "$dir/port")
    server_start
    ;;
stop)
    bin=$(bin_dir)
    if [[ -n "$bin" && -d "$dir/data" ]]; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start|stop|halt|resume DIR" >&2
    exit 2
    ;;
esac
