#!/usr/bin/env bash
# `npm run bench`: runs the benchmark scripts and prints their numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh --with-chromium
bash scripts/build-if-stale.sh
npx tsx scripts/bench/overview.ts
