#!/usr/bin/env bash
# Regenerates src/cli/ck.order, the list of functions the release link places together at the
# front of `ck`'s code (docs/building.md, "How the release `ck` is linked").
#
# It runs the release `ck dynamodb` under callgrind from start-up through a short load of every
# operation bench/dynamodb_vs_dynalite.sh measures, once over plain HTTP and once with --tls-auto
# over HTTPS (as `ck up` runs it), and writes the mangled names of every function of the binary
# that ran: the plain run's sorted, then those only the HTTPS run added, sorted. Rerun it after
# changing code on the request path, then rebuild and check the idle RSS with
# bench/dynamodb_vs_dynalite.sh. A stale list is harmless: names that
# no longer exist are ignored and new functions are laid out after the listed ones.
#
# Needs valgrind, python3 and a release build (build/release/src/ck and
# build/release/bench/ck_dynamodb_load).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CK_BIN="${CK_BIN:-$ROOT/build/release/src/ck}"
LOAD_BIN="${LOAD_BIN:-$ROOT/build/release/bench/ck_dynamodb_load}"
OUT="${OUT:-$ROOT/src/cli/ck.order}"

command -v valgrind >/dev/null || { echo "update-ck-order: needs valgrind" >&2; exit 1; }
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# record <name> [ck flags...]: callgrind over `ck dynamodb` from start-up through a short load of
# every benchmarked operation, into $TMP/<name>.out. With --tls-auto the load goes over HTTPS,
# verified against the CA the server writes.
record() {
  local name="$1" scheme url ca=()
  shift
  rm -rf "$TMP/data" "$TMP/ready"
  mkdir -p "$TMP/data"
  if [[ " $* " == *" --tls-auto "* ]]; then
    # `ck up` creates the local CA and certificate before it starts `ck dynamodb`, so key and
    # certificate generation is not on the recorded path: let a first run create them.
    "$CK_BIN" dynamodb --listen 127.0.0.1:0 --data-dir "$TMP/data" --ready-file "$TMP/ready" \
      "$@" </dev/null >"$TMP/ck.log" 2>&1 &
    local first=$!
    for _ in $(seq 100); do [[ -s "$TMP/ready" ]] && break; sleep 0.1; done
    kill "$first"
    wait "$first" || true
    rm -f "$TMP/ready"
  fi
  valgrind --tool=callgrind --demangle=no --callgrind-out-file="$TMP/$name.out" \
    "$CK_BIN" dynamodb --listen 127.0.0.1:0 --data-dir "$TMP/data" --ready-file "$TMP/ready" \
    --durability normal "$@" </dev/null >"$TMP/ck.log" 2>&1 &
  VALGRIND_PID=$!
  for _ in $(seq 300); do [[ -s "$TMP/ready" ]] && break; sleep 0.1; done
  [[ -s "$TMP/ready" ]] || { cat "$TMP/ck.log" >&2; exit 1; }
  url="$(cat "$TMP/ready")"
  scheme="${url%%://*}"
  if [[ $scheme == https ]]; then ca=(--ca-bundle "$TMP/data/tls/ca.pem"); fi
  "$LOAD_BIN" --endpoint "$url" "${ca[@]}" --setup --items 200 >/dev/null
  for op in put get update scan; do
    "$LOAD_BIN" --endpoint "$url" "${ca[@]}" --op "$op" --connections 2 --duration-ms 300 \
      --warmup-ms 0 --items 200 >/dev/null
  done
  kill "$VALGRIND_PID"
  wait "$VALGRIND_PID" || true
}
record plain
record tls --tls-auto

# callgrind names each object (ob=) and function (fn=/cfn=) once, as "(id) name", and refers to
# it by "(id)" afterwards; keep the functions that ran inside the ck binary itself.
python3 - "$(basename "$CK_BIN")" "$OUT" "$TMP/plain.out" "$TMP/tls.out" <<'PY'
import re, sys
binary, out, *paths = sys.argv[1:]

def functions_that_ran(path):
    objects, functions, current, ran = {}, {}, None, set()
    for line in open(path, errors="replace"):
        m = re.match(r"^(c?ob)=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
        if m:
            kind, key, name = m.groups()
            if name:
                objects[key] = name
            if kind == "ob":
                current = objects.get(key, "")
            continue
        m = re.match(r"^(c?fn)=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
        if m:
            kind, key, name = m.groups()
            if name:
                functions[key] = name
            if kind == "fn" and current and current.endswith("/" + binary):
                ran.add(functions[key])
    return {n for n in ran if not n.startswith(("0x", "("))}

# Each scenario's functions follow those of the scenarios before it, so that plain HTTP keeps
# its code together and HTTPS adds one more contiguous stretch after it.
names, seen = [], set()
for path in paths:
    ran = functions_that_ran(path) - seen
    names += sorted(ran)
    seen |= ran
with open(out, "w") as f:
    f.write("\n".join(names) + "\n")
print(f"update-ck-order: {len(names)} functions -> {out}")
PY
