#!/usr/bin/env bash
# 接種実績 at the national evening peak, on both engines (issue 10 §4): starts the real server on a
# fresh database, logs 1,000 site users in over HTTP, and has 64 concurrent clients register a
# day's record per request (ten days each) through the `register_records` server function; in
# the same run it writes the same rows by a plain loop (and by 64 tasks) straight into the same
# database, one transaction per record, and prints records/s, p50 and p99 latency and the
# server's share of that bare limit (server/examples/bench_records.rs). Goals on 2 cores:
# ≥ 3,000 records/s, p99 < 50 ms, ≥ 60 % of the bare limit. The durability settings are the
# production ones of server/src/db.rs.
#
#   bash scripts/bench-records.sh [sqlite|postgres] [bench_records options, e.g. --sites 1000 --days 10]
#   (default: both engines; PostgreSQL at 127.0.0.1:5432 in a throwaway database)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
engines="sqlite postgres"
case ${1:-} in
  sqlite | postgres) engines=$1; shift ;;
esac
cargo build --release -q -p server --example bench_records

work=$(mktemp -d)
admin_url=${VSYS_TEST_PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
database=vsys_bench_records_$$
cleanup() {
  rm -rf "$work"
  psql "$admin_url" -qc "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT

echo "machine: $(nproc) cores, $(uname -srm); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
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
      echo "PostgreSQL: synchronous_commit=$(psql "$admin_url" -Atc 'SHOW synchronous_commit'), fsync=$(psql "$admin_url" -Atc 'SHOW fsync')"
      ;;
    *) echo "unknown engine $engine" >&2; exit 1 ;;
  esac
  RUST_LOG=error DATABASE_URL="$url" "${CARGO_TARGET_DIR:-target}/release/examples/bench_records" "$@"
  echo
done
