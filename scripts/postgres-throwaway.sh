#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback for CI and local runs (no Docker needed).
#
#   scripts/postgres-throwaway.sh start DIR   # prints the DATABASE_URL of the new cluster on stdout
#   scripts/postgres-throwaway.sh stop DIR    # stops it at once and removes DIR
#   scripts/postgres-throwaway.sh halt DIR    # stops the server (fast shutdown) and keeps its data: an outage
#   scripts/postgres-throwaway.sh resume DIR  # starts a halted server again on the same port
#   scripts/postgres-throwaway.sh archive DIR WAL_DIR
#                                             # turns WAL archiving on (archive_command copies each segment to WAL_DIR)
#                                             # and restarts the server: point-in-time recovery becomes possible
#   scripts/postgres-throwaway.sh recover DIR BASE_BACKUP WAL_DIR TARGET_TIME
#                                             # a new cluster in DIR from a plain pg_basebackup folder, replaying the
#                                             # archived WAL up to TARGET_TIME, then promoted; prints its URL
#
# Installs the Debian `postgresql` package when the server binaries are missing. initdb refuses to run as
# root, so as root the cluster belongs to the `postgres` user. Settings trade durability for speed (tests only).
set -euo pipefail

command=${1:-}
dir=${2:-}
[[ -n "$command" && -n "$dir" ]] || { echo "usage: $0 start|stop|halt|resume DIR, archive DIR WAL_DIR, recover DIR BASE WAL_DIR TIME" >&2; exit 2; }

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
archive)
    bin=$(bin_dir)
    wal_dir=${3:?usage: $0 archive DIR WAL_DIR}
    [[ -n "$bin" && -f "$dir/port" ]] || { echo "$0: no throwaway cluster in '$dir'" >&2; exit 2; }
    mkdir -p "$wal_dir"
    [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$wal_dir"
    as_owner test -w "$wal_dir" || { echo "$0: the server's user cannot write $wal_dir (its parent folders must let it through)" >&2; exit 2; }
    port=$(cat "$dir/port")
    psql "postgres://postgres@127.0.0.1:$port/postgres" -q \
        -c "ALTER SYSTEM SET archive_mode = on" \
        -c "ALTER SYSTEM SET archive_command = 'test ! -f $wal_dir/%f && cp %p $wal_dir/%f'" >/dev/null
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
    server_start
    ;;
recover)
    bin=$(bin_dir)
    base=${3:?usage: $0 recover DIR BASE_BACKUP WAL_DIR TARGET_TIME}
    wal_dir=${4:?usage: $0 recover DIR BASE_BACKUP WAL_DIR TARGET_TIME}
    target_time=${5:?usage: $0 recover DIR BASE_BACKUP WAL_DIR TARGET_TIME}
    [[ -f "$base/PG_VERSION" ]] || { echo "$0: $base is not a plain base backup (no PG_VERSION)" >&2; exit 2; }
    as_owner test -r "$wal_dir" || { echo "$0: the server's user cannot read $wal_dir (its parent folders must let it through)" >&2; exit 2; }
    mkdir -p "$dir"
    [[ ! -e "$dir/data" ]] || { echo "$0: $dir already holds a cluster" >&2; exit 2; }
    cp -a "$base" "$dir/data"
    rm -f "$dir/data/postmaster.pid"
    cat >>"$dir/data/postgresql.auto.conf" <<CONF
archive_mode = off
restore_command = 'cp $wal_dir/%f %p'
recovery_target_time = '$target_time'
recovery_target_action = 'promote'
CONF
    touch "$dir/data/recovery.signal"
    if [[ $(id -u) -eq 0 ]]; then chown -R postgres:postgres "$dir"; fi
    chmod 700 "$dir/data"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    echo "$port" >"$dir/port"
    server_start
    for _ in $(seq 1 120); do
        [[ "$(psql "postgres://postgres@127.0.0.1:$port/postgres" -Atc 'SELECT pg_is_in_recovery()' 2>/dev/null)" == f ]] && break
        as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1 || break
        sleep 0.5
    done
    [[ "$(psql "postgres://postgres@127.0.0.1:$port/postgres" -Atc 'SELECT pg_is_in_recovery()' 2>/dev/null)" == f ]] ||
        { echo "$0: the recovered cluster did not finish recovery; its log:" >&2; tail -n 20 "$dir/server.log" >&2; exit 1; }
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
stop)
    # Only a folder this script made: empty (a start that failed early), or holding its cluster or port file.
    if [[ -d "$dir" && ! -f "$dir/port" && ! -f "$dir/data/PG_VERSION" && -n "$(ls -A "$dir")" ]]; then
        echo "$0: $dir holds no throwaway cluster; not removing it" >&2
        exit 2
    fi
    bin=$(bin_dir)
    if [[ -n "$bin" && -d "$dir/data" ]]; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start|stop|halt|resume DIR, archive DIR WAL_DIR, recover DIR BASE WAL_DIR TIME" >&2
    exit 2
    ;;
esac
