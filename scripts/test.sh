#!/usr/bin/env bash
# `npm test`: installs what is missing (npm packages, Debian prometheus and chromium), then runs the type check,
# lint, unit tests, integration tests against a real Prometheus, and the end-to-end tests in Chromium against the
# production build.
set -euo pipefail
cd "$(dirname "$0")/.."
export TZ=UTC
# A tool for locked-down clusters does not phone home: no Next.js telemetry from the build or the server.
export NEXT_TELEMETRY_DISABLED=1
bash scripts/ensure-deps.sh --with-chromium
step() { printf '\n== %s\n' "$*"; }
step "type check and lint"
npx tsc --noEmit
npx eslint . --max-warnings 0
step "unit tests"
npx vitest run --project unit
step "integration tests (real Prometheus)"
npx vitest run --project integration
step "production build"
npx next build
step "end-to-end tests (Chromium, real Prometheus, production build)"
npx playwright test
