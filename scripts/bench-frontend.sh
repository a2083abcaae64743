#!/usr/bin/env bash
# What a clinic tablet downloads and waits for, measured on the release build in Debian's
# Chromium: the bytes fetched before the login form is usable (brotli, as sent), the whole app's
# bytes, the login form's time to interactive with the CPU slowed 4×, and the time of a route
# change to a page not yet loaded. Fails if the login page needs more than 200,000 bytes or
# fetches any lazy page. `--no-build` measures dist/ and target/release/vsys as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"

if [ "${1:-}" != "--no-build" ]; then
  bash scripts/build-frontend.sh
  cargo build --release -p server
fi
if [ ! -d end2end/node_modules/@playwright/test ]; then
  echo "Playwright is missing: run scripts/setup.sh --test first" >&2
  exit 1
fi

work=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export DATABASE_URL="sqlite://$work/bench.db" VSYS_TOTP_KEY_FILE="$work/totp.key" VSYS_BIN="$PWD/target/release/vsys"
env -u SMTP_HOST VSYS_DEV_OUTBOX=1 VSYS_BIND="127.0.0.1:$port" VSYS_DIST_DIR="$PWD/dist" RUST_LOG=warn \
  "$VSYS_BIN" serve --demo >"$work/server.log" 2>&1 &
server=$!
stop_server() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap stop_server EXIT

for _ in $(seq 120); do
  curl -fs -o /dev/null "http://127.0.0.1:$port/login" && break
  if ! kill -0 "$server" 2>/dev/null; then
    echo "the server did not start:" >&2
    cat "$work/server.log" >&2
    exit 1
  fi
  sleep 0.5
done
node scripts/bench-frontend.mjs "http://127.0.0.1:$port"
