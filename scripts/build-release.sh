#!/usr/bin/env bash
# Builds the release archive every environment deploys: dist/illajwala-api-<version>-linux-<arch>.tar.gz and its
# SHA-256 file. One archive serves the production end-to-end test, the deployment rehearsal, the drills, staging and
# production (and the container image, which copies it).
#
# `swift build -c release --static-swift-stdlib` links the Swift runtime and Foundation into the binaries, so they run
# on a host without the Swift toolchain (.ci/run proves it: ldd shows no toolchain path, and the binaries run with
# the toolchain's folder hidden). The version comes from the VERSION file; the binaries also carry the git commit and
# its date (illajwala-api --version).
#
# Archive layout (one top folder, illajwala-api-<version>-linux-<arch>/):
#   bin/illajwala-api, bin/illajwala-flows   the service and the flow runner (the deploy gate runs the smoke flows)
#   Flows/, openapi.yaml                      the flows and contract of this version
#   scripts/, ops/                            this version's deploy, rollback, backup and restore scripts, nginx site, systemd unit
#   VERSION, BUILD-INFO, LICENSE, licenses/   version, commit, date and toolchain; licence texts of linked packages
#
# Environment (optional): DIST_DIR (default dist), SKIP_BUILD=1 (package the existing release build).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
dist="${DIST_DIR:-dist}"
version="$(tr -d ' \n\r' < VERSION)"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([-.][0-9A-Za-z.]+)?$ ]] || { echo "error: VERSION holds '$version', not a semantic version" >&2; exit 2; }
arch="$(uname -m)"
name="illajwala-api-$version-linux-$arch"

if [[ "${SKIP_BUILD:-}" != "1" ]]; then
    started=$(date +%s)
    for product in illajwala-api illajwala-flows; do
        swift build -c release --static-swift-stdlib --product "$product"
    done
    echo "release build: $(( $(date +%s) - started )) s"
fi
bin="$(swift build -c release --show-bin-path)"
for program in illajwala-api illajwala-flows; do
    [[ -x "$bin/$program" ]] || { echo "error: $bin/$program was not built" >&2; exit 1; }
done

stage="$(mktemp -d "${TMPDIR:-/tmp}/illajwala-release.XXXXXX")"
trap 'rm -rf "$stage"; if [[ -n "${archive:-}" ]]; then rm -f "$archive.partial"; fi' EXIT
top="$stage/$name"
mkdir -p "$top/bin" "$top/licenses"
# Debug information is dropped; symbols are kept: the Swift runtime names the functions of a crash backtrace with them.
cp "$bin/illajwala-api" "$bin/illajwala-flows" "$top/bin/"
strip --strip-debug "$top/bin/illajwala-api" "$top/bin/illajwala-flows"
cp -R Flows "$top/Flows"
cp openapi.yaml VERSION LICENSE "$top/"
# The host deploys with the tooling of the version it deploys (scripts/deploy.sh reads ops/ relative to itself).
mkdir -p "$top/scripts/lib" "$top/ops"
cp scripts/deploy.sh scripts/deploy-staging.sh scripts/deploy-production.sh scripts/rollback.sh scripts/migrate-rollback.sh \
    scripts/backup.sh scripts/restore.sh "$top/scripts/"
cp scripts/lib/deploy-common.sh "$top/scripts/lib/"
cp -R ops/nginx ops/systemd "$top/ops/"
cp ops/squawk.toml "$top/ops/"
{
    echo "version: $version"
    "$top/bin/illajwala-api" --version | sed 's/^/binary: /'
    echo "built: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "toolchain: $(swift --version 2>&1 | head -n 1)"
    echo "arch: $arch"
} > "$top/BUILD-INFO"
# Licence texts of every package linked into the binaries (SwiftPM's checkouts of this build).
for checkout in .build/checkouts/*/; do
    package="$(basename "$checkout")"
    for file in LICENSE LICENSE.txt LICENSE.md COPYING; do
        if [[ -f "$checkout$file" ]]; then cp "$checkout$file" "$top/licenses/$package.txt"; break; fi
    done
done

mkdir -p "$dist"
archive="$dist/$name.tar.gz"
# Written beside its final name and moved there whole: an interrupted build never leaves a truncated archive that
# the deploy scripts and drills (which take the newest in dist/) would pick up.
rm -f "$archive" "$archive.sha256"
tar -C "$stage" --sort=name --owner=0 --group=0 --numeric-owner -czf "$archive.partial" "$name"
mv "$archive.partial" "$archive"
(cd "$dist" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
echo "$archive ($(du -h "$archive" | cut -f1)); sha256 $(cut -d' ' -f1 < "$archive.sha256")"
