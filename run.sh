#!/usr/bin/env bash
# Kafka Playground: the one entry point for setting up, serving, testing and measuring.
#
#   ./run.sh serve   install what is missing, build, serve on http://127.0.0.1:8080
#   ./run.sh test    install what is missing, then run every check and test, with a summary
#   ./run.sh bench   bundle size, engine and interpreter benchmarks, frame times in Chromium
#   ./run.sh setup   only install what is missing (add `test` to include the browser)
#
# Installs only what is missing, at pinned versions; a second run skips them all.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD

TRUNK_VERSION=0.21.14            # 0.22 needs rustc >= 1.96.1 (shared/TOOLCHAIN.md)
BINARYEN_VERSION=132             # wasm-opt from npm; trunk's own download is blocked here
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}

say() { printf '\n==> %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" = 0 ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

# The shipped wasm builds the standard library from source at the app's opt-level "z" with
# std's optimize_for_size algorithms ("build-std"), and panics abort at once without formatting a
# message ("immediate-abort"): 28.8 KB less gzip than the prebuilt std (measured 2026-11-25).
# Both are unstable cargo options. RUSTC_BOOTSTRAP=1 allows them on the pinned 1.95.0 compiler,
# whose own std sources (the rust-src component) are built; it is set for trunk's wasm build only.
# Native builds, tests, clippy and a plain `trunk serve` stay on stable Rust and build the same
# app with the prebuilt std (and panic messages, handy when debugging).
wasm_build_env() {
  export RUSTC_BOOTSTRAP=1
  export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
  export CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
  export CARGO_UNSTABLE_PANIC_IMMEDIATE_ABORT=true
  export CARGO_PROFILE_WASM_RELEASE_PANIC=immediate-abort
}
trunk_wasm() { (wasm_build_env; trunk "$@"); }

setup_build() {
  if ! rustup component list --installed | grep -q '^rust-src'; then
    say "adding the rust-src component (the wasm build compiles std from it)"
    rustup component add rust-src
  fi
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION\$"; then
    say "installing trunk $TRUNK_VERSION (about 12 minutes on 2 cores)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\$"; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 4 minutes)"
    # --locked fails to resolve webpki-roots for this version (shared/TOOLCHAIN.md).
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
  if ! have npm; then
    say "installing Node.js and npm"
    apt_install nodejs npm
  fi
  if ! { [ -x node_modules/.bin/wasm-opt ] && node_modules/.bin/wasm-opt --version | grep -q "version $BINARYEN_VERSION" &&
          [ -x node_modules/.bin/terser ]; }; then
    say "installing binaryen@$BINARYEN_VERSION (wasm-opt) and terser from npm"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

setup_test() {
  setup_build
  if ! { have chromium && have chromedriver; }; then
    say "installing Chromium and chromedriver from Debian"
    apt_install chromium chromium-driver
  fi
  if [ -f tests/conformance/requirements.txt ]; then
    local want
    want=$(sed -n 's/^kafka-python==//p' tests/conformance/requirements.txt)
    if [ "$(python3 -c 'import kafka; print(kafka.__version__)' 2>/dev/null)" != "$want" ]; then
      say "installing kafka-python $want (conformance reference)"
      python3 -m pip install -q --disable-pip-version-check -r tests/conformance/requirements.txt
    fi
  fi
}

# ---- test ---------------------------------------------------------------------------------------

LOGDIR="$ROOT/target/run-logs"
STEPS=()
PASSED=0
FAILED=0

step() { # step NAME CMD... : runs CMD, times it, keeps its log
  local name=$1; shift
  local start=$SECONDS log="$LOGDIR/$(echo "$name" | tr ' /' '__').log"
  say "$name"
  if "$@" 2>&1 | tee "$log"; then
    STEPS+=("$(printf '%-34s ok   %4ss' "$name" $((SECONDS - start)))")
  else
    STEPS+=("$(printf '%-34s FAIL %4ss' "$name" $((SECONDS - start)))")
    summary
    echo "FAILED at: $name (log: $log)"
    exit 1
  fi
  # Count tests from cargo's and the conformance script's closing lines.
  local p f
  p=$(awk '/^test result: / || /^(summary: )?[0-9]+ passed, [0-9]+ failed/ {
             for (i = 1; i < NF; i++) if ($(i + 1) ~ /^passed/) s += $i } END { print s + 0 }' "$log")
  f=$(awk '/^test result: / || /^(summary: )?[0-9]+ passed, [0-9]+ failed/ {
             for (i = 1; i < NF; i++) if ($(i + 1) ~ /^failed/) s += $i } END { print s + 0 }' "$log")
  PASSED=$((PASSED + p))
  FAILED=$((FAILED + f))
}

summary() {
  echo
  echo "---- summary ------------------------------------------------"
  printf '%s\n' "${STEPS[@]}"
  [ -f target/size-report.txt ] && cat target/size-report.txt
  echo "tests: $PASSED passed, $FAILED failed"
}

WASM_CRATES=(-p kafka-playground -p kafka-engine -p pysnip -p kplay-runner)

run_tests() {
  mkdir -p "$LOGDIR"
  step "cargo fmt --check" cargo fmt --all -- --check
  step "clippy (host)" cargo clippy --workspace --all-targets -- -D warnings
  step "clippy (wasm32)" cargo clippy --target wasm32-unknown-unknown "${WASM_CRATES[@]}" -- -D warnings
  step "cargo test (native)" cargo test --workspace --exclude browser-tests
  if [ -f tests/conformance/check.py ]; then
    step "kplay vs kafka-python" bash -c 'cargo build --release -q --bin kplay && python3 tests/conformance/check.py "${CARGO_TARGET_DIR:-target}/release/kplay"'
  fi
  step "trunk build --release" trunk_wasm build --release
  step "bundle size" scripts/size-report.sh dist
  step "browser tests (Chromium)" env KPLAY_DIST="$ROOT/dist" cargo test -p browser-tests -- --test-threads=2
  summary
  echo "screenshots: target/screenshots/"
}

case "${1:-}" in
  serve)
    setup_build
    say "serving on http://127.0.0.1:8080 (Ctrl+C to stop)"
    wasm_build_env
    exec trunk serve --release
    ;;
  test)
    start=$SECONDS
    setup_test
    echo "setup: $((SECONDS - start))s"
    run_tests
    echo "total: $((SECONDS - start))s"
    ;;
  bench)
    setup_test
    trunk_wasm build --release
    scripts/size-report.sh dist
    cargo bench -p kafka-engine
    cargo bench -p pysnip
    if [ -f scripts/frame-times.sh ]; then scripts/frame-times.sh; fi
    ;;
  setup)
    if [ "${2:-}" = test ]; then setup_test; else setup_build; fi
    ;;
  *)
    sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
