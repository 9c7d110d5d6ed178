#!/usr/bin/env bash
# Deploys a release archive to staging: scripts/deploy.sh with staging's settings (docs/deployment-guide.md). Run on the
# staging host (the deploy-staging.yml workflow does it over SSH). Arguments go to scripts/deploy.sh.
#
#   scripts/deploy-staging.sh dist/illajwala-api-<version>-linux-<arch>.tar.gz
set -euo pipefail
export DEPLOY_ENVIRONMENT=staging
exec "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/deploy.sh" "$@"
