#!/usr/bin/env bash
# Installs what building (and, with --test, testing) V-SYS needs. Idempotent: everything already
# present at the right version is skipped, so a second run takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
want_test=false
[ "${1:-}" = "--test" ] && want_test=true

step() { printf '\n== %s\n' "$*"; }
export PATH="$PWD/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed | grep -x wasm32-unknown-unknown >/dev/null; then
  step "Rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli must equal the wasm-bindgen library version in Cargo.lock exactly.
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen_version" ]; then
  step "wasm-bindgen-cli $bindgen_version (a few minutes, once)"
  cargo install wasm-bindgen-cli --version "=$bindgen_version"
fi

# wasm-opt from npm's binaryen (Debian's binaryen is too old for current wasm-bindgen output).
if [ "$(wasm-opt --version 2>/dev/null | awk '{print $3}')" != "132" ]; then
  step "binaryen 132 (wasm-opt) into .tools/"
  mkdir -p .tools
  npm install --prefix .tools --no-audit --no-fund --silent binaryen@132
fi

# The splitter that moves the frontend's lazy pages out of the main WebAssembly module
# (tools/wasm-split, a workspace of its own so that it is compiled once, in release).
if [ ! -x target/tools/release/wasm-split-tool ]; then
  step "wasm-split tool (about a minute, once)"
fi
cargo build --release --locked --quiet --manifest-path tools/wasm-split/Cargo.toml --target-dir target/tools

if $want_test; then
  if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep "Noto Sans CJK" >/dev/null \
    || ! command -v openssl >/dev/null; then
    step "Chromium, Japanese fonts and openssl (Debian packages) for the browser and mail tests"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium fonts-noto-cjk openssl >/dev/null
  fi
  # LibreOffice reads the reports' exported CSV in the browser test, as a spreadsheet user's
  # would (about 90 MB; the test says so and skips that reading where it cannot install).
  if ! command -v soffice >/dev/null; then
    step "LibreOffice Calc, headless (Debian packages) for the CSV export test"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null; } \
      || echo "warning: LibreOffice did not install; the CSV test reads the files with Python only" >&2
  fi
  if ! python3 -c 'import aiosmtpd' 2>/dev/null; then
    step "aiosmtpd (the SMTP server the browser tests read mail from)"
    python3 -m pip install --quiet aiosmtpd
  fi
  if [ ! -d end2end/node_modules/@playwright/test ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    step "Playwright test runner (npm, without its browser download)"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
  fi
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && [ -d /etc/postgresql ]; then
    step "Starting the local PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  fi
fi
