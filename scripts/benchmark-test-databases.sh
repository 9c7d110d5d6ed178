#!/usr/bin/env bash
# Prints the median per-test set-up + teardown cost of a test database with IllajwalaTesting's template
# copies against the naive approach (create, migrate and seed from scratch), for SQLite and PostgreSQL.
# Targets: SQLite < 5 ms, PostgreSQL < 100 ms, each ≥ 5× faster than naive; exit 1 when one is missed.
#
# PostgreSQL is measured on DATABASE_URL (postgres://…) or on a throwaway cluster the library starts when
# the server binaries are installed. Builds with the same flags as .ci/run so nothing is rebuilt twice.
#
# Usage: scripts/benchmark-test-databases.sh [ITERATIONS]   (default 25)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
swift build --build-tests --enable-code-coverage >&2
exec "$(swift build --enable-code-coverage --show-bin-path)/test-database-benchmark" "$@"
