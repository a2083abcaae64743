#!/usr/bin/env bash
# What a clinic tablet downloads and waits for, measured on the release build in Debian's
# Chromium: the bytes fetched before the login form is usable (brotli, as sent), the whole app's
# bytes, the login form's time to interactive with the CPU slowed 4×, and the time of a route
# change to a page not yet loaded. Fails if the login page needs more than 200,000 bytes or
# fetches any lazy page. `--no-build` measures dist/ and target/release/vsys as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"

source scripts/release-server.sh
prepare_release "$@"
serve_release
node scripts/bench-frontend.mjs "$base_url"
