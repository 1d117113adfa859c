#!/usr/bin/env bash
# Where the page's time goes (a measurement, not a test): builds the app with function names kept
# (wasm-bindgen --keep-debug, no wasm-opt) into target/dist-profile, plays ?perf=big under
# Chromium's sampling profiler and prints the functions with the most self time.
#   scripts/profile.sh            (KPLAY_QUERY and KPLAY_SECONDS override the scenario and length)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
sed 's/data-wasm-opt="z"[^/]*/data-keep-debug data-wasm-opt="0" /' index.html > profile.html
trap 'rm -f profile.html' EXIT
trunk build --release --dist target/dist-profile profile.html
KPLAY_DIST="$PWD/target/dist-profile" cargo run --release -q -p browser-tests --example profile
