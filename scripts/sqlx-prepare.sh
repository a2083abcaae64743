#!/usr/bin/env bash
# Regenerates .sqlx/, the query data against which the compiler checks every query of the
# server (SQL, tables, columns, parameter count and types), after a query or a migration changed:
# migrates a scratch PostgreSQL database and expands the query macros against it.
# With --check, writes to a temporary folder and fails if .sqlx/ differs (the test command does).
set -euo pipefail
cd "$(dirname "$0")/.."
admin_url=${VSYS_TEST_PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
database=vsys_sqlx_prepare_$$
url="${admin_url%/*}/$database"
out=.sqlx
[ "${1:-}" = "--check" ] && out=$(mktemp -d)

psql "$admin_url" -qc "CREATE DATABASE $database" >/dev/null
trap 'psql "$admin_url" -qc "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1' EXIT
for migration in server/migrations/postgres/*.sql; do
  psql "$url" -q -v ON_ERROR_STOP=1 -f "$migration" >/dev/null
done
if [ "$out" = .sqlx ]; then rm -rf .sqlx; fi
mkdir -p "$out"
touch server/src/lib.rs
SQLX_OFFLINE=false DATABASE_URL="$url" SQLX_OFFLINE_DIR="$(cd "$out" && pwd)" cargo check -q -p server
if [ "${1:-}" = "--check" ]; then
  if ! diff -r -q .sqlx "$out"; then
    echo "The committed .sqlx/ does not match the queries: run scripts/sqlx-prepare.sh and commit .sqlx/" >&2
    exit 1
  fi
  echo ".sqlx/ matches every query ($(ls "$out" | wc -l) queries)"
fi
