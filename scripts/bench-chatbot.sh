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

source scripts/bench-engines.sh
bench_on_engines chatbot "$engines" target/release/examples/bench_chatbot
