#!/usr/bin/env bash
# Sets the machine up, builds ck and runs the main job: the local DynamoDB on https://127.0.0.1:8000
# (data and the generated local CA under ./.ck/). Extra arguments go to `ck dynamodb`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
ninja -C build/release ck
exec build/release/src/ck dynamodb --data-dir .ck --tls-auto "$@"
