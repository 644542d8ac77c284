#!/usr/bin/env bash
# Log ingest and Logs Insights over 1,000,000 events (DESIGN.md §8): tail + split + store MB/s on
# one core, timestamps-only and full scans, `stats count(*) by bin(1m)` and a `filter ... | stats`
# end to end through the store. No peer: the budgets are absolute (100 MB/s, 300 ms).
# Usage: bash bench/log_ingest.sh [lines] [line-bytes]      (build: ninja -C build/release ck_bench_log_store)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=build/release/bench/ck_bench_log_store
[[ -x $BIN ]] || { echo "build $BIN first (ninja -C build/release ck_bench_log_store)" >&2; exit 1; }
LINES=${1:-1000000}
BYTES=${2:-200}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"
taskset -c 0 "$BIN" --lines "$LINES" --line-bytes "$BYTES" --dir "$TMP"
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
