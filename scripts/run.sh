#!/usr/bin/env bash
# Sets the machine up, builds ck and runs the main job: the whole Cuddle Kube stack (`ck up`) —
# the local DynamoDB, the seven services and the website on http://127.0.0.1:8080/, with data
# under ./.ck/. Ctrl-C stops it gracefully. Extra arguments go to `ck up`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
ninja -C build/release ck
exec build/release/src/ck up stacks/cuddlekube.yaml "$@"
