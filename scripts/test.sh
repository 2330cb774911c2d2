#!/usr/bin/env bash
# Runs every test layer in order, stops at the first failure and prints a
# summary with the time of each layer. Called by `make test` after set-up.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# layer name : make target
LAYERS=(
  "fmt:fmt"
  "clippy:clippy"
  "unit (native):unit"
  "web (wasm, headless Chromium):web"
  "build (trunk --release):dist"
  "e2e (Chromium):e2e"
)

now_ms() { date +%s%3N; }
fmt_s() { printf '%d.%01ds' $(($1 / 1000)) $((($1 % 1000) / 100)); }

names=(); results=(); times=()
total_start=$(now_ms)
failed=""

for entry in "${LAYERS[@]}"; do
  name="${entry%%:*}"; target="${entry##*:}"
  printf '\n==> [%s] make %s\n' "$name" "$target"
  start=$(now_ms)
  if make --no-print-directory SKIP_SETUP=1 "$target"; then status=ok; else status=FAILED; fi
  names+=("$name"); results+=("$status"); times+=($(( $(now_ms) - start )))
  if [ "$status" = FAILED ]; then failed="$name"; break; fi
done

printf '\n==> Test summary\n'
for i in "${!names[@]}"; do
  printf '  %-32s %-7s %8s\n' "${names[$i]}" "${results[$i]}" "$(fmt_s "${times[$i]}")"
done
for entry in "${LAYERS[@]:${#names[@]}}"; do
  printf '  %-32s %-7s\n' "${entry%%:*}" "not run"
done
printf '  %-32s %-7s %8s\n' "total" "$([ -z "$failed" ] && echo ok || echo FAILED)" "$(fmt_s $(( $(now_ms) - total_start )))"

if [ -n "$failed" ]; then
  printf '\nFAILED at layer: %s\n' "$failed" >&2
  exit 1
fi
