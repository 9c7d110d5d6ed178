#!/usr/bin/env bash
# Checks ops/systemd/illajwala@.service with `systemd-analyze verify` for one instance, against a copy whose
# /opt/illajwala paths point into a temporary folder holding the release binary given (systemd checks that ExecStart
# exists and is executable). Usage: ops/systemd/verify.sh PATH/TO/illajwala-api
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
binary="${1:?usage: verify.sh PATH/TO/illajwala-api}"
[[ -x "$binary" ]] || { echo "verify.sh: $binary is not an executable" >&2; exit 2; }
command -v systemd-analyze >/dev/null || { echo "verify.sh: systemd-analyze is not installed; nothing checked" >&2; exit 0; }
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
sed "s|/opt/illajwala|$root|g" "$here/illajwala@.service" > "$root/illajwala@.service"
mkdir -p "$root/slots/blue/bin" "$root/env" "$root/state"
cp "$binary" "$root/slots/blue/bin/illajwala-api"
touch "$root/env/illajwala.env" "$root/state/blue.env"
systemd-analyze verify "$root/illajwala@blue.service"
echo "illajwala@.service: systemd-analyze verify passed"
