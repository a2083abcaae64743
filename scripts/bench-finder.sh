#!/usr/bin/env bash
# The public finder under load, in one run: builds the server in release mode, loads the national
# data set (`vsys national`, 70,000 一般向け sites) into a temporary SQLite database, serves it,
# and prints requests per second and latency at 64 connections for realistic searches (Tokyo,
# with and without a municipality, later pages by cursor; no If-None-Match, so every answer is
# computed) beside the static page's figure (GET /login, index.html). The load generator is
# server/examples/bench_finder.rs (plain keep-alive HTTP/1.1 connections on one thread).
#
#   bash scripts/bench-finder.sh [--sites N] [bench_finder options, e.g. --seconds 20 --compressed]
#
# The generator runs on the same machine as the server: the figures are for both sharing its
# cores. The script prints the load and the busiest other processes before it measures.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"

sites=70000
if [ "${1:-}" = "--sites" ]; then
  sites=$2
  shift 2
fi
port=${VSYS_BENCH_PORT:-3229}

cargo build --release -q -p server --bin vsys --example bench_finder
[ -f dist/index.html ] || bash scripts/build-frontend.sh

work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

export DATABASE_URL="sqlite://$work/vsys.db" VSYS_TOTP_KEY_FILE="$work/totp.key"
export VSYS_BIND="127.0.0.1:$port" VSYS_DEV_OUTBOX=1 RUST_LOG=warn
RUST_LOG=error target/release/vsys national "$sites" --record-days 0
target/release/vsys serve &
server_pid=$!
for _ in $(seq 1 100); do
  curl -sf -o /dev/null "http://127.0.0.1:$port/login" && break
  sleep 0.1
done

# CPU seconds a process has used so far (user + system).
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$1/stat"; }
echo "machine: $(nproc) cores, $(uname -srm); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "busiest processes over one second before the run:"
top -b -n 2 -d 1 -o %CPU | awk '/^top -/{n++} n==2' | sed -n '7,11p'
before=$(cpu_seconds "$server_pid")
started=$(date +%s.%N)
target/release/examples/bench_finder --server "127.0.0.1:$port" "$@"
echo "server CPU: $(awk -v a="$before" -v b="$(cpu_seconds "$server_pid")" -v s="$started" -v e="$(date +%s.%N)" \
  'BEGIN { printf "%.1f s over %.1f s of the run (%.2f cores)", b - a, e - s, (b - a) / (e - s) }')"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
