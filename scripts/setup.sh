#!/usr/bin/env bash
# Idempotent set-up for PMO Desk development and CI.
#
# Installs only what is missing or at the wrong version:
#   - Rust target wasm32-unknown-unknown (+ rustfmt, clippy components)
#   - trunk 0.21.14 (newer trunk needs a newer rustc; see NOTES)
#   - wasm-bindgen-cli at exactly the wasm-bindgen version in Cargo.lock
#   - Debian chromium + chromium-driver (headless browser tests)
#   - node packages (playwright-core, binaryen's wasm-opt, automerge JS) via npm ci
# A warm machine finishes in a few seconds: every step checks versions first.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

TRUNK_VERSION="0.21.14"
WASM_OPT_VERSION="132"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

start=$(date +%s)
log() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

# Root runs apt directly; otherwise use sudo when there is one.
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
fi

APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install manually: $*"
  export DEBIAN_FRONTEND=noninteractive
  # Refresh the package lists only when there are none, or when install fails
  # because they are stale (404s / unknown package).
  if ! compgen -G "/var/lib/apt/lists/*_Packages*" >/dev/null; then
    log "apt-get update (no package lists yet)"
    $SUDO apt-get update -qq
    APT_UPDATED=1
  fi
  if ! $SUDO apt-get install -y -qq "$@"; then
    [ "$APT_UPDATED" = 1 ] && die "apt-get install $* failed"
    log "apt-get update (install failed, lists may be stale)"
    $SUDO apt-get update -qq
    APT_UPDATED=1
    $SUDO apt-get install -y -qq "$@"
  fi
}

# --- Rust -------------------------------------------------------------------
command -v cargo >/dev/null 2>&1 || die "cargo not found; install Rust via rustup (https://rustup.rs)"
command -v rustup >/dev/null 2>&1 || die "rustup not found; it is needed to add the wasm32 target"

if rustup target list --installed | grep -qx 'wasm32-unknown-unknown'; then
  log "wasm32-unknown-unknown target: ok"
else
  log "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

missing_components=()
cargo fmt --version >/dev/null 2>&1 || missing_components+=(rustfmt)
cargo clippy --version >/dev/null 2>&1 || missing_components+=(clippy)
if [ "${#missing_components[@]}" -gt 0 ]; then
  log "adding rust components: ${missing_components[*]}"
  rustup component add "${missing_components[@]}"
else
  log "rustfmt + clippy: ok"
fi

# --- trunk ------------------------------------------------------------------
have_trunk="$(trunk --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$have_trunk" = "$TRUNK_VERSION" ]; then
  log "trunk $TRUNK_VERSION: ok"
else
  log "installing trunk $TRUNK_VERSION (found: ${have_trunk:-none}; takes ~6 min on 2 cores)"
  cargo install trunk --version "$TRUNK_VERSION" --locked --force
fi

# --- wasm-bindgen-cli (must equal the wasm-bindgen crate in Cargo.lock) -----
WBG_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
[ -n "$WBG_VERSION" ] || die "could not read the wasm-bindgen version from Cargo.lock"
if [ -f Trunk.toml ] && ! grep -q "^wasm_bindgen = \"$WBG_VERSION\"" Trunk.toml; then
  die "Trunk.toml [tools] wasm_bindgen must be \"$WBG_VERSION\" (the version in Cargo.lock)"
fi
have_wbg="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
have_runner="$(wasm-bindgen-test-runner --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$have_wbg" = "$WBG_VERSION" ] && [ "$have_runner" = "$WBG_VERSION" ]; then
  log "wasm-bindgen-cli $WBG_VERSION: ok"
else
  log "installing wasm-bindgen-cli $WBG_VERSION (found: ${have_wbg:-none}; takes ~3 min)"
  # No --locked: its lock file does not resolve offline of a newer index (NOTES).
  cargo install wasm-bindgen-cli --version "$WBG_VERSION" --force
fi

# --- Chromium + chromedriver -----------------------------------------------
chromium_major() { /usr/bin/chromium --version 2>/dev/null | grep -oE '[0-9]+\.' | head -1 | tr -d .; }
driver_major() { /usr/bin/chromedriver --version 2>/dev/null | grep -oE '[0-9]+\.' | head -1 | tr -d .; }
cm="$(chromium_major || true)"; dm="$(driver_major || true)"
if [ -n "$cm" ] && [ "$cm" = "$dm" ]; then
  log "chromium + chromedriver $cm: ok"
else
  log "installing chromium + chromium-driver (found chromium '${cm:-none}', driver '${dm:-none}')"
  apt_install chromium chromium-driver
fi

# --- Node + npm packages ----------------------------------------------------
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  log "installing nodejs + npm"
  apt_install nodejs npm
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 20 ] || die "node >= 20 needed (node:test options used by tests/e2e); found $(node --version)"

STAMP="node_modules/.pmo-setup-stamp"
if [ -f package-lock.json ]; then
  want_stamp="$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)"
else
  want_stamp="$(sha256sum package.json | cut -d' ' -f1)"
fi
if [ -d node_modules ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want_stamp" ]; then
  log "node_modules: ok"
else
  if [ -f package-lock.json ]; then
    log "npm ci"
    npm ci --no-audit --no-fund --loglevel=error
    want_stamp="$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)"
  else
    log "npm install (no package-lock.json yet)"
    npm install --no-audit --no-fund --loglevel=error
    want_stamp="$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)"
  fi
  echo "$want_stamp" >"$STAMP"
fi

have_opt="$(node_modules/.bin/wasm-opt --version 2>/dev/null || true)"
case "$have_opt" in
  *"version $WASM_OPT_VERSION "*|*"version_$WASM_OPT_VERSION"*) log "wasm-opt $WASM_OPT_VERSION (node_modules/.bin): ok" ;;
  *) die "node_modules/.bin/wasm-opt is not version $WASM_OPT_VERSION (got: ${have_opt:-none})" ;;
esac

log "done in $(( $(date +%s) - start ))s"
