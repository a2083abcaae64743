# Sourced by the browser benches (bench-frontend.sh, bench-csv.sh): the release build, and the
# release server with the demo users over a temporary SQLite database.
#
#   prepare_release "$@"  builds dist/ and target/release/vsys unless the first argument is
#                         --no-build, checks Playwright, and makes $work (removed on exit) with
#                         DATABASE_URL at $work/bench.db and VSYS_BIN the release binary
#   serve_release         starts `vsys serve --demo` on a free port (stopped on exit), waits
#                         until it answers, and sets $base_url

prepare_release() {
  if [ "${1:-}" != "--no-build" ]; then
    bash scripts/build-frontend.sh
    cargo build --release -p server
  fi
  if [ ! -d end2end/node_modules/@playwright/test ]; then
    echo "Playwright is missing: run scripts/setup.sh --test first" >&2
    exit 1
  fi
  if [ ! -x target/release/vsys ] || [ ! -f dist/index.html ]; then
    echo "target/release/vsys or dist/ is missing: run without --no-build first" >&2
    exit 1
  fi
  work=$(mktemp -d)
  server=
  trap stop_release EXIT
  export DATABASE_URL="sqlite://$work/bench.db" VSYS_TOTP_KEY_FILE="$work/totp.key"
  export VSYS_BIN="$PWD/target/release/vsys"
}

stop_release() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}

serve_release() {
  local port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  env -u SMTP_HOST VSYS_DEV_OUTBOX=1 VSYS_BIND="127.0.0.1:$port" VSYS_DIST_DIR="$PWD/dist" RUST_LOG=warn \
    "$VSYS_BIN" serve --demo >"$work/server.log" 2>&1 &
  server=$!
  base_url="http://127.0.0.1:$port"
  for _ in $(seq 240); do
    curl -fs -o /dev/null "$base_url/login" && return 0
    if ! kill -0 "$server" 2>/dev/null; then
      echo "the server did not start:" >&2
      cat "$work/server.log" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "the server did not answer within 2 minutes" >&2
  exit 1
}
