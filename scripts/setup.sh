#!/usr/bin/env bash
# Installs everything Cuddle Kube needs to build and test on Debian 12, idempotently.
# Usage: scripts/setup.sh            (Debian packages + npm test dependencies)
# chromium is for the browser test (tests/browser, CTest site_browser), which drives
# /usr/bin/chromium with playwright-core; nothing downloads a browser of its own.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(
  build-essential cmake ninja-build ccache clang lld libclang-rt-14-dev clang-format clang-tidy
  libboost-dev libssl-dev libsqlite3-dev sqlite3 nlohmann-json3-dev libsimdjson-dev
  libspdlog-dev libfmt-dev libyaml-cpp-dev libre2-dev libcli11-dev libkainjow-mustache-dev
  libgtest-dev libgmock-dev libbenchmark-dev zlib1g-dev
  curl ca-certificates openssl wrk procps
  prometheus
  chromium
)

missing=()
for package in "${DEBIAN_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm
fi

# Test-only npm peers (AWS SDK, dynalite), pinned by tests/js/package-lock.json.
if [[ -f tests/js/package.json ]]; then
  if [[ ! -d tests/js/node_modules ]] || [[ tests/js/package-lock.json -nt tests/js/node_modules ]]; then
    (cd tests/js && npm ci --no-audit --no-fund --loglevel=error)
    touch tests/js/node_modules
  fi
fi

# The browser test's driver (playwright-core), pinned by tests/browser/package-lock.json.
if [[ -f tests/browser/package.json ]]; then
  if [[ ! -d tests/browser/node_modules ]] || [[ tests/browser/package-lock.json -nt tests/browser/node_modules ]]; then
    (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
    touch tests/browser/node_modules
  fi
fi
echo "setup: ok"
