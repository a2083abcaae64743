#!/usr/bin/env bash
# 分配 at national scale, on both engines: loads 70,000 sites, the national cool (requests from
# every basic site, allocations to every prefecture and municipality) and 1,000 more basic sites
# in one municipality into a fresh database, then prints the time of the allocation table with
# its proposal for the prefecture with the most municipalities, and of that municipality saving
# its allocation to its 1,000+ sites (goal: under 200 ms each). The timed code is the server
# functions' own, after their role and scope guard (server/examples/bench_allocation.rs).
#
#   bash scripts/bench-allocation.sh [sqlite|postgres]   (default: both; PostgreSQL at 127.0.0.1:5432)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
engines=${1:-"sqlite postgres"}
cargo build --release -q -p server --example bench_allocation

source scripts/bench-engines.sh
bench_on_engines allocation "$engines" target/release/examples/bench_allocation
