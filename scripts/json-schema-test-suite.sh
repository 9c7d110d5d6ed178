#!/usr/bin/env bash
# Fetches the official JSON-Schema-Test-Suite (the copy in the jsonschema package's source distribution on PyPI) and
# prints the path of its draft 2020-12 tests, for JSONSchemaTestSuiteTests (JSON_SCHEMA_TEST_SUITE). Cached under
# .build/json-schema-test-suite/; nothing is added to the repository.
#
# Usage: export JSON_SCHEMA_TEST_SUITE="$(scripts/json-schema-test-suite.sh)"   (env: JSONSCHEMA_VERSION=4.23.0)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="${JSONSCHEMA_VERSION:-4.23.0}"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "JSONSCHEMA_VERSION must look like 4.23.0, not '$version'" >&2; exit 2; }
cache="$root/.build/json-schema-test-suite/jsonschema-$version"
tests="$cache/json/tests/draft2020-12"
if [[ ! -f "$tests/type.json" ]]; then
    download="$(mktemp -d "${TMPDIR:-/tmp}/json-schema-test-suite.XXXXXX")"
    trap 'rm -rf "$download"' EXIT
    timeout 120 python3 -m pip download --quiet --disable-pip-version-check --no-deps --no-binary :all: \
        "jsonschema==$version" -d "$download" >&2 \
        || { echo "cannot download jsonschema $version's source distribution from PyPI" >&2; exit 1; }
    mkdir -p "$(dirname "$cache")"
    tar -xzf "$download/jsonschema-$version.tar.gz" -C "$(dirname "$cache")" "jsonschema-$version/json" \
        || { echo "jsonschema-$version.tar.gz holds no json/ test suite" >&2; exit 1; }
    [[ -f "$tests/type.json" ]] || { echo "$tests/type.json missing after extraction" >&2; exit 1; }
fi
echo "$tests"
