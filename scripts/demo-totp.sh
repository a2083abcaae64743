#!/usr/bin/env bash
# Prints the current authenticator code of a demo user (development aid), e.g. `scripts/demo-totp.sh admin`.
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo run --quiet --release -p server -- totp "${1:?usage: scripts/demo-totp.sh LOGIN_ID}"
