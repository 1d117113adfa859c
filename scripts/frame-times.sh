#!/usr/bin/env bash
# Frame times of the built app in headless Chromium (a measurement, not a test): p50/p95/p99 of
# requestAnimationFrame intervals and of the page's own work per frame, for the default lesson at
# 1x and for ?perf=big (12 partitions, 3 groups, 10,000 records at 10x), then edit-to-screen time.
#   scripts/frame-times.sh [dist]      (KPLAY_SECONDS=5 by default: seconds measured per scenario)
set -euo pipefail
cd "$(dirname "$0")/.."
dist=${1:-dist}
[ -f "$dist/index.html" ] || { echo "no $dist/index.html: run trunk build --release first" >&2; exit 1; }
KPLAY_DIST="$(cd "$dist" && pwd)" cargo run --release -q -p browser-tests --example frame_times
