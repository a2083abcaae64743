#!/usr/bin/env bash
# レポート at national scale, on both engines (issue 11): loads 70,000 sites, the national cools
# and VSYS_BENCH_RECORD_DAYS (default 30, as `vsys national`) days of 接種実績 for every
# site into a fresh database, then prints the time of R308 and R208 for a national user as the
# server function computes them (first page, sorted, every row, a period) beside one
# hand-written SQL query for the same figures (server/examples/bench_reports.rs).
#
#   bash scripts/bench-reports.sh [sqlite|postgres]   (default: both; PostgreSQL at 127.0.0.1:5432)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
engines=${1:-"sqlite postgres"}
cargo build --release -q -p server --example bench_reports

source scripts/bench-engines.sh
bench_on_engines reports "$engines" target/release/examples/bench_reports
