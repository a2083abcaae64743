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

work=$(mktemp -d)
admin_url=${VSYS_TEST_PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
database=vsys_bench_reports_$$
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
  RUST_LOG=error DATABASE_URL="$url" target/release/examples/bench_reports
done
