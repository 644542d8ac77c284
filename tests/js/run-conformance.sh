#!/usr/bin/env bash
# Runs the DynamoDB conformance suite against one target.
#   tests/js/run-conformance.sh            # ck (spawns $CK_BIN, default build/release/src/ck)
#   tests/js/run-conformance.sh dynalite   # dynalite, in-process
# With CK_DYNAMODB_ENDPOINT set, the suite drives that URL instead of starting
# anything; the argument then only names the target for known-difference skips.
# See lib/endpoint.js for every environment variable.
set -euo pipefail
# Paths given relative to the caller's directory stay valid after the cd below.
for var in CK_BIN CK_DYNAMODB_CA; do
  if [[ -n "${!var:-}" ]]; then export "$var=$(realpath -m -- "${!var}")"; fi
done
cd "$(dirname "${BASH_SOURCE[0]}")"
if [[ ! -d node_modules ]]; then
  echo "tests/js/node_modules is missing: run 'npm ci' in tests/js (scripts/setup.sh does)" >&2
  exit 2
fi
export CK_TARGET="${1:-ck}"
exec node --test --test-concurrency=1 conformance/
