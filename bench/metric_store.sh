#!/usr/bin/env bash
# Metric samples/s into the collector's metric store, on one core: single Puts, scrape-sized
# PutMetricData batches, the Flush that makes them durable, and a query.
# Usage: bash bench/metric_store.sh [samples] [series]   (build: ninja -C build/release ck_bench_metric_store)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=build/release/bench/ck_bench_metric_store
[[ -x $BIN ]] || { echo "build $BIN first (ninja -C build/release ck_bench_metric_store)" >&2; exit 1; }
echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"
taskset -c 0 "$BIN" --samples "${1:-1000000}" --series "${2:-1000}"
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
