#!/usr/bin/env bash
# `npm run demo`: installs what is missing, builds, then starts Prometheus with the incident scenario and
# apiscope on loopback. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
# No Next.js telemetry, from the build or the server it starts.
export NEXT_TELEMETRY_DISABLED=1
bash scripts/ensure-deps.sh
bash scripts/build-if-stale.sh
exec npx tsx scripts/demo.ts "$@"
