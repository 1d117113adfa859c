#!/usr/bin/env bash
# Bundle size of a trunk dist/ folder: raw and gzip -9 bytes of wasm, JS, CSS, HTML and the rest,
# written to stdout and target/size-report.txt. Fails when the gzip total exceeds the budget.
set -euo pipefail
dist=${1:-dist}
budget=${SIZE_BUDGET_GZIP:-307200}   # 300 KB: the app with the engine, interpreter and runner
declare -A raw gz
for kind in wasm js css html other; do raw[$kind]=0; gz[$kind]=0; done
while IFS= read -r -d '' f; do
  case "$f" in
    *.wasm) kind=wasm ;; *.js) kind=js ;; *.css) kind=css ;; *.html) kind=html ;; *) kind=other ;;
  esac
  r=$(stat -c %s "$f"); g=$(gzip -9 -c "$f" | wc -c)
  raw[$kind]=$((raw[$kind] + r)); gz[$kind]=$((gz[$kind] + g))
done < <(find "$dist" -type f -print0)
total_raw=0; total_gz=0
{
  printf 'bundle size of %s (bytes)\n' "$dist"
  printf '  %-6s %10s %10s\n' kind raw gzip
  for kind in wasm js css html other; do
    printf '  %-6s %10d %10d\n' "$kind" "${raw[$kind]}" "${gz[$kind]}"
    total_raw=$((total_raw + raw[$kind])); total_gz=$((total_gz + gz[$kind]))
  done
  printf '  %-6s %10d %10d   (budget %d gzip)\n' total "$total_raw" "$total_gz" "$budget"
} | tee target/size-report.txt
if [ "$total_gz" -gt "$budget" ]; then
  echo "bundle is over budget: $total_gz > $budget bytes gzip" >&2
  exit 1
fi
