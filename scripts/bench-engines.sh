# Sourced by the bench scripts: `bench_on_engines NAME "ENGINES" COMMAND...` runs COMMAND once per
# engine (sqlite, postgres) with DATABASE_URL set to a fresh database of that engine: a SQLite
# file in a temporary folder, or a new PostgreSQL database (VSYS_TEST_PG_ADMIN_URL, by default
# 127.0.0.1:5432), dropped on exit. PostgreSQL out of reach is said and skipped.
bench_on_engines() {
  local name=$1 engines=$2
  shift 2
  bench_work=$(mktemp -d)
  bench_admin_url=${VSYS_TEST_PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
  bench_database=vsys_bench_${name}_$$
  trap 'rm -rf "$bench_work"; psql "$bench_admin_url" -qc "DROP DATABASE IF EXISTS $bench_database" >/dev/null 2>&1 || true' EXIT
  local engine url
  for engine in $engines; do
    case $engine in
      sqlite) url="sqlite://$bench_work/bench.db" ;;
      postgres)
        if ! pg_isready -q -h 127.0.0.1 -p 5432; then
          echo "PostgreSQL is not reachable at 127.0.0.1:5432: skipped" >&2
          continue
        fi
        psql "$bench_admin_url" -qc "CREATE DATABASE $bench_database" >/dev/null
        url="${bench_admin_url%/*}/$bench_database"
        ;;
      *) echo "unknown engine $engine" >&2; exit 1 ;;
    esac
    RUST_LOG=error DATABASE_URL="$url" "$@"
  done
}
