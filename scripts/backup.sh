#!/usr/bin/env bash
# A PostgreSQL backup of the booking database: `pg_dump -Fc` (custom format: compressed, restorable table by table,
# with `pg_restore`), a SHA-256 file beside it, and a retention policy. The deploy script takes one before every
# migration; operators and the backup drill run it directly (docs/backup-restore.md).
#
#   scripts/backup.sh --database-url postgres://… --dir /opt/illajwala/backups [--name LABEL] [--retention-days N]
#
# Writes DIR/LABEL-<UTC timestamp>.dump and .dump.sha256 (LABEL defaults to `manual`), prints the dump's path on
# stdout, then deletes *.dump files (and their .sha256) in DIR older than N days (default 14; 0 keeps everything).
# The database URL may also come from DATABASE_URL. Exit 0 on success; 2 on bad usage; 1 when pg_dump fails (the
# partial file is removed).
set -euo pipefail

database_url="${DATABASE_URL:-}"
dir=""
name="manual"
retention=14
# value OPTION VALUE…: VALUE, or exit 2 naming the option when it is missing.
value() { [[ $# -ge 2 && -n "$2" && "$2" != --* ]] || { echo "backup.sh: $1 needs a value" >&2; exit 2; }; echo "$2"; }
while [[ $# -gt 0 ]]; do
    case "$1" in
    --database-url) database_url="$(value "$@")"; shift 2 ;;
    --dir) dir="$(value "$@")"; shift 2 ;;
    --name) name="$(value "$@")"; shift 2 ;;
    --retention-days) retention="$(value "$@")"; shift 2 ;;
    *) echo "backup.sh: unknown argument '$1' (see the header of $0)" >&2; exit 2 ;;
    esac
done
[[ "$database_url" == postgres://* || "$database_url" == postgresql://* ]] || { echo "backup.sh: --database-url (or DATABASE_URL) must be a postgres:// URL" >&2; exit 2; }
[[ -n "$dir" ]] || { echo "backup.sh: --dir is required" >&2; exit 2; }
[[ "$name" =~ ^[A-Za-z0-9._-]+$ ]] || { echo "backup.sh: --name may hold letters, digits, '.', '_' and '-' only" >&2; exit 2; }
[[ "$retention" =~ ^[0-9]+$ ]] || { echo "backup.sh: --retention-days must be a whole number" >&2; exit 2; }
command -v pg_dump >/dev/null || { echo "backup.sh: pg_dump not found (Debian: postgresql-client)" >&2; exit 2; }

# A dump holds every patient's personal data: only the owner may read it (and the folder).
umask 077
[[ ! -e "$dir" || -d "$dir" ]] || { echo "backup.sh: --dir $dir is not a folder" >&2; exit 2; }
mkdir -p "$dir"
file="$dir/$name-$(date -u +%Y%m%dT%H%M%SZ).dump"
partial="$file.partial"
trap 'rm -f "$partial"' EXIT
# The URL may carry sslmode and a password; pg_dump reads both from it.
if ! pg_dump --format=custom --no-owner --file="$partial" "$database_url"; then
    echo "backup.sh: pg_dump failed; no backup was written" >&2
    exit 1
fi
mv "$partial" "$file"
(cd "$dir" && sha256sum "$(basename "$file")" > "$(basename "$file").sha256")

if (( retention > 0 )); then
    find "$dir" -maxdepth 1 -name '*.dump' -mtime "+$retention" -print0 | while IFS= read -r -d '' old; do
        rm -f "$old" "$old.sha256"
    done
fi
echo "$file"
