#!/usr/bin/env bash
# Layer 4: the wasm-bindgen tests in headless Chromium. Usage: web-tests.sh <cargo test args...>
#
# Debian's Chromium now and then dies while starting on a loaded CI machine
# (SIGSEGV before any page exists); wasm-bindgen-test-runner then reports
# that it could not create a browser session or start the driver. That says
# nothing about our code, so only such a run is started again; a test that
# ran and failed fails the layer at once.
set -uo pipefail
ATTEMPTS=3
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for attempt in $(seq 1 "$ATTEMPTS"); do
  cargo test "$@" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  [ "$status" -eq 0 ] && exit 0
  if grep -qE 'test result: FAILED|panicked at' "$log" \
    || ! grep -qE 'failed to create a [a-z]+ session|driver failed to (start|bind port)|Chrome failed to start|DevToolsActivePort|chrome not reachable' "$log"; then
    exit "$status"
  fi
  echo "web: the browser failed to start (attempt $attempt/$ATTEMPTS)" >&2
done
exit "$status"
