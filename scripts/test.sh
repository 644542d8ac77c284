#!/usr/bin/env bash
# Sets the machine up, builds the release and the ASan+UBSan builds, and runs every test in both.
# Usage: scripts/test.sh [--release-only]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

jobs=$(nproc)
builds=(release asan)
if [[ "${1:-}" == "--release-only" ]]; then builds=(release); fi

for preset in "${builds[@]}"; do
  echo "== build: $preset"
  cmake --preset "$preset" >/dev/null
  ninja -C "build/$preset" -j"$jobs"
done
for preset in "${builds[@]}"; do
  echo "== test: $preset"
  # ASan's allocator makes leak checks on exit slow with forked children; keep defaults otherwise.
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
  UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    ctest --test-dir "build/$preset" --output-on-failure -j"$jobs" --timeout 900
done
