#!/usr/bin/env bash
# Deploys a release archive to production: scripts/deploy.sh with production's settings (docs/deployment-guide.md). Run on the
# production host (the deploy-production.yml workflow does it over SSH). Arguments go to scripts/deploy.sh.
#
#   scripts/deploy-production.sh dist/illajwala-api-<version>-linux-<arch>.tar.gz
set -euo pipefail
export DEPLOY_ENVIRONMENT=production
exec "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/deploy.sh" "$@"
