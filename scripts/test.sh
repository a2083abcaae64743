#!/usr/bin/env bash
# Every test, on a fresh machine or an old one: installs what is missing, checks formatting and
# lints, runs the unit and black-box tests on SQLite and on PostgreSQL, builds the frontend and
# runs the browser tests in Chromium. Ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=never
log_dir=target/test-logs
mkdir -p "$log_dir"
passed=0
failed=0
failures=()

step() { printf '\n== %s (at %d s)\n' "$*" "$SECONDS"; }
fail() { failures+=("$1"); }

# Adds the counts of every "test result:" line of a cargo test log.
count_cargo() {
  local counts
  counts=$(awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($i ~ /^passed/) p += $(i-1); if ($i ~ /^failed/) f += $(i-1) } } END { print p+0, f+0 }' "$1")
  passed=$((passed + ${counts% *}))
  failed=$((failed + ${counts#* }))
}

step "Set-up (skips what is already installed)"
bash scripts/setup.sh --test || { echo "set-up failed"; exit 1; }

step "cargo fmt --check"
cargo fmt --all -- --check || fail "cargo fmt"

step "cargo clippy (server, tests) and (browser, wasm32)"
cargo clippy --workspace --exclude frontend --all-targets -- -D warnings || fail "clippy (native)"
cargo clippy -p app -p frontend --target wasm32-unknown-unknown --features app/csr -- -D warnings || fail "clippy (wasm32)"

step "Unit and black-box tests on SQLite"
VSYS_TEST_DB=sqlite cargo test --workspace --exclude frontend 2>&1 | tee "$log_dir/sqlite.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || fail "tests on SQLite"
count_cargo "$log_dir/sqlite.log"

step "Query data (.sqlx/) up to date, and black-box tests on PostgreSQL (127.0.0.1:5432, a fresh database per test)"
if pg_isready -q -h 127.0.0.1 -p 5432; then
  bash scripts/sqlx-prepare.sh --check || fail "query data .sqlx/ out of date"
  VSYS_TEST_DB=postgres cargo test -p server --test api 2>&1 | tee "$log_dir/postgres.log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || fail "tests on PostgreSQL"
  count_cargo "$log_dir/postgres.log"
else
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!" >&2
  echo "!!! PostgreSQL is NOT reachable at 127.0.0.1:5432: the PostgreSQL tests did NOT run" >&2
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!" >&2
  fail "PostgreSQL unreachable"
fi

step "Frontend build (WebAssembly) and server binary"
bash scripts/build-frontend.sh || fail "frontend build"
cargo build -p server || fail "server build"

step "Browser tests (Playwright, Debian Chromium, 1024×768)"
(cd end2end && npx playwright test) 2>&1 | tee "$log_dir/browser.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || fail "browser tests"
bp=$(grep -Eo '^ +[0-9]+ passed' "$log_dir/browser.log" | grep -Eo '[0-9]+' | tail -1)
bf=$(grep -Eo '^ +[0-9]+ failed' "$log_dir/browser.log" | grep -Eo '[0-9]+' | tail -1)
passed=$((passed + ${bp:-0}))
failed=$((failed + ${bf:-0}))

if [ ${#failures[@]} -gt 0 ]; then
  printf '\nFAILED: %s\n' "${failures[@]}"
  [ "$failed" -gt 0 ] || failed=${#failures[@]}
fi
printf '\n%d passed, %d failed\n' "$passed" "$failed"
[ ${#failures[@]} -eq 0 ]
