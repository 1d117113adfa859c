#!/usr/bin/env bash
# trunk post_build hook (Trunk.toml): minify wasm-bindgen's JS glue with terser in release builds and
# rewrite its sha384 integrity in index.html. trunk's own JS minifier (minify-js) cannot parse the glue's
# `export { .. as default }` and leaves it as is; CSS and HTML are minified by trunk itself.
set -euo pipefail
[ "${TRUNK_PROFILE:-}" = release ] || exit 0
dir=${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}
terser=${TRUNK_SOURCE_DIR:-.}/node_modules/.bin/terser
for js in "$dir"/*.js; do
  [ -f "$js" ] || continue
  old=$(openssl dgst -sha384 -binary "$js" | base64 -w0)
  "$terser" "$js" --module --compress --mangle --output "$js.min"
  mv "$js.min" "$js"
  new=$(openssl dgst -sha384 -binary "$js" | base64 -w0)
  # Base64 holds '/' and '+' (literal in a basic regex) but never '|', sed's separator here.
  grep -q "sha384-$old" "$dir/index.html" || { echo "minify-js: no integrity for $js" >&2; exit 1; }
  sed -i "s|sha384-$old|sha384-$new|g" "$dir/index.html"
done
