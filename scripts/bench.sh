#!/usr/bin/env bash
# `npm run bench [overview|ingest|breakdown|webhook|load|alerts]…`: runs the benchmark scripts and prints their numbers
# (all of them when none is named). They need a quiet machine: other load skews every number.
set -euo pipefail
cd "$(dirname "$0")/.."
# No Next.js telemetry, from the build or the servers the benchmarks start.
export NEXT_TELEMETRY_DISABLED=1
bash scripts/ensure-deps.sh --with-chromium
bash scripts/build-if-stale.sh
benches=("$@")
[ ${#benches[@]} -eq 0 ] && benches=(overview ingest breakdown webhook load alerts)
for b in "${benches[@]}"; do
  npx tsx --conditions=react-server "scripts/bench/$b.ts"
done
