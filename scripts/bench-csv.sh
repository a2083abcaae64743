#!/usr/bin/env bash
# R308's CSV at national scale, as a national officer exports it (issue 11's goal: the CSV of
# 70,000 rows built and offered for download in < 1.5 s). Loads 70,000 sites and one day of
# 接種実績 (`vsys national 70000 --record-days 1`) into a temporary SQLite database, serves it
# with the demo users on the release build, and in Debian's Chromium logs in as mhlw, opens
# /reports/R308 and presses 詳細のエクスポート → エクスポート five times in UTF-8, then five in
# Shift_JIS (scripts/bench-csv.mjs). For each it prints the time from the click until the file is
# offered for download, split into the server's answer (every row, until its last byte) and what
# the browser does after it (decoding the rows, writing the CSV, the download), and the file's
# size. Fails if a file is missing or does not hold the header and every row; the 1.5 s goal is
# reported, not enforced. `--no-build` measures dist/ and target/release/vsys as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
sites=70000

source scripts/release-server.sh
prepare_release "$@"
echo "generating $sites sites and one day of 接種実績 (a few minutes)…"
RUST_LOG=error "$VSYS_BIN" national "$sites" --record-days 1
# The demo is loaded on top of the national data: it brings the users (mhlw among them).
serve_release
VSYS_BENCH_SITES=$sites node scripts/bench-csv.mjs "$base_url"
