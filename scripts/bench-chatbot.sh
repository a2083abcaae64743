#!/usr/bin/env bash
# The AI自動応答チャットボット on both engines: loads the demo's 40 ナレッジ articles into a fresh
# database and asks the 58 questions of server/benches/chat_eval.json through the chatbot's own
# retrieval (server/examples/bench_chatbot.rs); prints the share answered with the right article
# in the top 3 (goal ≥ 80 %), the unanswerable ones declined, and the latency (goal p95 < 200 ms).
# VSYS_BENCH_VERBOSE=1 lists the misses.
#
#   bash scripts/bench-chatbot.sh [sqlite|postgres]   (default: both; PostgreSQL at 127.0.0.1:5432)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
engines=${1:-"sqlite postgres"}
SQLX_OFFLINE=true cargo build --release -q -p server --example bench_chatbot

work=$(mktemp -d)
admin_url=${VSYS_TEST_PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
database=vsys_bench_chatbot_$$
cleanup() {
  rm -rf "$work"
  psql "$admin_url" -qc "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true
}
trap cleanup EXIT

for engine in $engines; do
  case $engine in
    sqlite) url="sqlite://$work/bench.db" ;;
    postgres)
      if ! pg_isready -q -h 127.0.0.1 -p 5432; then
        echo "PostgreSQL is not reachable at 127.0.0.1:5432: skipped" >&2
        continue
      fi
      psql "$admin_url" -qc "CREATE DATABASE $database" >/dev/null
      url="${admin_url%/*}/$database"
      ;;
    *) echo "unknown engine $engine" >&2; exit 1 ;;
  esac
  RUST_LOG=error DATABASE_URL="$url" target/release/examples/bench_chatbot
done
