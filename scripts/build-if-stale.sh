#!/usr/bin/env bash
# Builds the production bundle unless an up-to-date one exists.
set -euo pipefail
cd "$(dirname "$0")/.."
# No Next.js telemetry (apiscope runs in locked-down clusters and must not phone home).
export NEXT_TELEMETRY_DISABLED=1
if [ -f .next/BUILD_ID ] && [ -z "$(find app components lib public instrumentation.ts next.config.mjs postcss.config.mjs package-lock.json -newer .next/BUILD_ID -print -quit 2>/dev/null)" ]; then
  exit 0
fi
echo "Building apiscope (next build)…"
npx next build
