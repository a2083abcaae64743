#!/usr/bin/env bash
# One command for a fresh machine: install the tools, build the frontend and the server, create
# and migrate the SQLite database under data/, load master and demo data, print the demo logins
# and serve on http://127.0.0.1:3000 (VSYS_BIND to change).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-frontend.sh
cargo build --release -p server
# Without an SMTP server the demo keeps mail in the development outbox (loopback only); the
# server refuses to start without one or the other.
if [ -z "${SMTP_HOST:-}" ]; then export VSYS_DEV_OUTBOX="${VSYS_DEV_OUTBOX:-1}"; fi
exec ./target/release/vsys serve --demo
