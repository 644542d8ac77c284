#!/usr/bin/env bash
# The throughput cost of tracing on the site's GET /list (DESIGN.md §8: ≤ 5 % loss with
# telemetry on vs off), measured with wrk against the whole stack (`ck up stacks/cuddlekube.yaml`:
# public-site -> list-api -> DynamoDB Scan).
#
# Variants, each a fresh `ck up` on free ports with a fresh data directory:
#   off      the stack file with `telemetry: enabled: false` (no collector in `ck up`; tasks get
#            CK_TRACING=off, so no spans are recorded or sent);
#   on       the stack file as is: collector on, services trace with the default sampling rules
#            (1 request/s reservoir + 5 %);
#   sampled  as on, but every request carries `X-Amzn-Trace-Id: Root=...;Sampled=1`, so every
#            request is traced end to end (4 spans: public-site and list-api segments with their
#            subsegments) - the worst case. Each request gets its own trace id (a wrk Lua script;
#            BENCH_SAMPLED_HEADER=fixed sends one fixed Root with -H instead, no script).
# After one discarded priming run, runs alternate off, on, sampled, off, on, sampled, ...; the
# table shows medians and each variant's throughput relative to off. Logs are written in every
# variant (the switch is tracing).
#
#   bench/tracing_overhead.sh                                          # 3 x 3 runs of 10 s (~2.5 min)
#   BENCH_DURATION=3 BENCH_RUNS=1 bench/tracing_overhead.sh            # smoke run (~30 s)
#
# Environment: BENCH_RUNS (3), BENCH_DURATION (10, seconds per wrk run), BENCH_WARMUP (2,
# seconds of wrk before each measured run, not counted), BENCH_CONNECTIONS (16), BENCH_THREADS
# (2, wrk threads), BENCH_VARIANTS ("off on sampled"), BENCH_SAMPLED_HEADER (unique|fixed),
# BENCH_PATH (/list), BENCH_OUT (bench/results/tracing-overhead.md), CK_BIN, WRK.
#
# Builds nothing: it expects build/release/src/ck, and wrk (apt-get install wrk).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CK_BIN="${CK_BIN:-$ROOT/build/release/src/ck}"
WRK="${WRK:-wrk}"
STACK="$ROOT/stacks/cuddlekube.yaml"
RUNS="${BENCH_RUNS:-3}"
DURATION="${BENCH_DURATION:-10}"
WARMUP="${BENCH_WARMUP:-2}"
CONNECTIONS="${BENCH_CONNECTIONS:-16}"
THREADS="${BENCH_THREADS:-2}"
VARIANTS="${BENCH_VARIANTS:-off on sampled}"
SAMPLED_HEADER="${BENCH_SAMPLED_HEADER:-unique}"
REQUEST_PATH="${BENCH_PATH:-/list}"
OUT="${BENCH_OUT:-$ROOT/bench/results/tracing-overhead.md}"
COMMAND_LINE="BENCH_RUNS=$RUNS BENCH_DURATION=$DURATION BENCH_WARMUP=$WARMUP BENCH_CONNECTIONS=$CONNECTIONS BENCH_THREADS=$THREADS BENCH_VARIANTS=\"$VARIANTS\" BENCH_SAMPLED_HEADER=$SAMPLED_HEADER BENCH_PATH=$REQUEST_PATH bench/tracing_overhead.sh"
BUDGET_PCT=5

if [[ ! -x "$CK_BIN" ]]; then
  cat >&2 <<EOF
missing: $CK_BIN
Build it first:
  cd $ROOT && cmake --preset release && ninja -C build/release ck
EOF
  exit 1
fi
if ! command -v "$WRK" >/dev/null; then
  echo "missing: wrk (apt-get install wrk)" >&2
  exit 1
fi
if [[ $SAMPLED_HEADER != unique && $SAMPLED_HEADER != fixed ]]; then
  echo "BENCH_SAMPLED_HEADER must be unique or fixed" >&2
  exit 1
fi

TMP="$(mktemp -d /tmp/ck-bench-tracing.XXXXXX)"
UP_PID=""
CONTROL_URL=""
cleanup() {
  if [[ -n "$UP_PID" ]]; then
    kill "$UP_PID" 2>/dev/null || true
    wait "$UP_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT

log() { echo "[bench] $*" >&2; }

# A private copy: a rebuild during the run cannot give later runs (or tasks) another binary.
cp "$CK_BIN" "$TMP/ck"
sync "$TMP/ck"  # its write-back must not land in the first run
CK_RUN="$TMP/ck"

# The stack switched off: `enabled: false` under the telemetry section (its other keys stay).
OFF_STACK="$TMP/cuddlekube-telemetry-off.yaml"
awk '/^telemetry:/ { sub(/#.*/, ""); print; print "  enabled: false"; next } { print }' "$STACK" >"$OFF_STACK"
if ! grep -q '^  enabled: false' "$OFF_STACK"; then
  echo "no top-level telemetry: section in $STACK" >&2
  exit 1
fi

# Every request sampled, each with its own trace id (os.time, the wrk thread, a counter).
cat >"$TMP/sampled.lua" <<'EOF'
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_index", threads)
end
function init(args)
  epoch = string.format("%08x", os.time())
  counter = 0
end
function request()
  counter = counter + 1
  return wrk.format(nil, nil, {["X-Amzn-Trace-Id"] = string.format(
    "Root=1-%s-be0cbe0c%08x%08x;Sampled=1", epoch, thread_index, counter)})
end
EOF
FIXED_ROOT="1-$(printf '%08x' "$(date +%s)")-be0cbe0c00000000000000ff"

# A port below the kernel's ephemeral range that no socket (listening or not) uses right now.
free_port() {
  local low port
  low="$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range)"
  while true; do
    port=$((10000 + RANDOM % (low - 10000)))
    if ! awk -v p="$(printf '%04X' "$port")" 'FNR > 1 { split($2, a, ":"); if (a[2] == p) found = 1 }
        END { exit !found }' /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6 2>/dev/null; then
      echo "$port"
      return
    fi
  done
}

median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "n/a"; exit }
    if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# CPU busy (all CPUs, %) between two /proc/stat samples.
cpu_sample() { head -1 /proc/stat; }
cpu_busy_between() {
  awk -v a="$1" -v b="$2" 'BEGIN { n = split(a, x); split(b, y); total = 0
    for (i = 2; i <= n; i++) total += y[i] - x[i]
    idle = (y[5] - x[5]) + (y[6] - x[6])
    printf "%.0f", (total > 0 ? 100 * (total - idle) / total : 0) }'
}

# start_stack <variant> <dir>: `ck up` in the background until all healthy; sets UP_PID,
# CONTROL_URL, SITE_URL, XRAY_PORT (empty when off).
start_stack() {
  local variant="$1" dir="$2" stack="$STACK" ports public control datastore
  mkdir -p "$dir"
  public="$(free_port)"
  control="$(free_port)"
  datastore="$(free_port)"
  ports=(--public-port "$public" --control-port "$control" --datastore-port "$datastore")
  XRAY_PORT=""
  if [[ $variant == off ]]; then
    stack="$OFF_STACK"
  else
    XRAY_PORT="$(free_port)"
    ports+=(--xray-port "$XRAY_PORT" --otlp-port "$(free_port)")
  fi
  "$CK_RUN" up "$stack" --data-dir "$dir/data" "${ports[@]}" --quiet --ready-file "$dir/ready" \
    </dev/null >"$dir/up.log" 2>&1 &
  UP_PID=$!
  for _ in $(seq 600); do
    [[ -s "$dir/ready" ]] && break
    if ! kill -0 "$UP_PID" 2>/dev/null; then
      cat "$dir/up.log" >&2
      exit 1
    fi
    sleep 0.1
  done
  if [[ ! -s "$dir/ready" ]]; then
    echo "ck up: not all healthy within 60 s" >&2
    cat "$dir/up.log" >&2
    exit 1
  fi
  CONTROL_URL="http://127.0.0.1:$control"
  SITE_URL="http://127.0.0.1:$public$REQUEST_PATH"
}

stop_stack() {
  "$CK_RUN" down --control "$CONTROL_URL" >/dev/null 2>&1 || kill "$UP_PID" 2>/dev/null || true
  wait "$UP_PID" 2>/dev/null || true
  UP_PID=""
}

# run_wrk <variant> <seconds> [--latency]: wrk's output on stdout.
run_wrk() {
  local variant="$1" seconds="$2"
  shift 2
  local extra=()
  if [[ $variant == sampled ]]; then
    if [[ $SAMPLED_HEADER == unique ]]; then
      extra=(-s "$TMP/sampled.lua")
    else
      extra=(-H "X-Amzn-Trace-Id: Root=$FIXED_ROOT;Sampled=1")
    fi
  fi
  "$WRK" -t "$THREADS" -c "$CONNECTIONS" -d "${seconds}s" "${extra[@]}" "$@" "$SITE_URL"
}

# collector_stat <counter>: one counter from the collector's GET /stats (empty when off).
collector_stat() {
  [[ -n "$XRAY_PORT" ]] || return 0
  curl -s --max-time 5 "http://127.0.0.1:$XRAY_PORT/stats" | sed -nE 's/.*"'"$1"'":([0-9]+).*/\1/p'
}

# stored_spans: spans_stored once the collector's queue is empty and the services' emitters have
# had 200 ms to send what they hold (waits at most 10 s).
stored_spans() {
  [[ -n "$XRAY_PORT" ]] || return 0
  sleep 0.2
  for _ in $(seq 100); do
    [[ "$(collector_stat queue_depth)" == 0 ]] && break
    sleep 0.1
  done
  collector_stat spans_stored
}

# to_ms <wrk duration, e.g. 812.00us 4.20ms 1.02s>
to_ms() {
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0;
    else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}

LOAD_AVG_START="$(cut -d' ' -f1-3 /proc/loadavg)"
a="$(cpu_sample)"
sleep 1
CPU_BUSY_START="$(cpu_busy_between "$a" "$(cpu_sample)")"
log "CPU busy before the run: $CPU_BUSY_START % (load average $LOAD_AVG_START)"

# One discarded run first: the first stack after a build or a copy of the binary starts with
# cold caches and was consistently slower than the rest, whatever its variant.
log "priming run (not counted) ..."
start_stack on "$TMP/prime"
run_wrk on "$((WARMUP + 2))" >/dev/null
stop_stack
rm -rf "$TMP/prime"

RESULTS="$TMP/results.jsonl"
: >"$RESULTS"
for r in $(seq "$RUNS"); do
  for variant in $VARIANTS; do
    dir="$TMP/run-$r-$variant"
    start_stack "$variant" "$dir"
    run_wrk "$variant" "$WARMUP" >/dev/null
    spans_before="$(stored_spans)"
    before="$(cpu_sample)"
    run_wrk "$variant" "$DURATION" --latency >"$dir/wrk.txt"
    busy="$(cpu_busy_between "$before" "$(cpu_sample)")"
    rps="$(awk '/^Requests\/sec:/ { print $2 }' "$dir/wrk.txt")"
    requests="$(awk '/ requests in / { print $1 }' "$dir/wrk.txt")"
    p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' "$dir/wrk.txt")")"
    p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' "$dir/wrk.txt")")"
    non2xx="$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$dir/wrk.txt")"
    socket_errors="$(awk '/Socket errors:/ { gsub(/[^0-9 ]/, " "); s = 0; for (i = 1; i <= NF; i++) s += $i; print s }' "$dir/wrk.txt")"
    errors=$((${non2xx:-0} + ${socket_errors:-0}))
    spans="null"
    dropped="null"
    if [[ -n "$XRAY_PORT" ]]; then
      spans_after="$(stored_spans)"
      if [[ $spans_before =~ ^[0-9]+$ && $spans_after =~ ^[0-9]+$ ]]; then
        spans=$((spans_after - spans_before))
      fi
      dropped="$(collector_stat spans_dropped)"
      [[ $dropped =~ ^[0-9]+$ ]] || dropped="null"
    fi
    stop_stack
    line="{\"variant\":\"$variant\",\"run\":$r,\"requests_per_s\":${rps:-0},\"requests\":${requests:-0},\"p50_ms\":$p50,\"p99_ms\":$p99,\"errors\":$errors,\"cpu_busy_pct\":$busy,\"spans_stored\":$spans,\"spans_dropped\":$dropped}"
    echo "$line" >>"$RESULTS"
    log "$line"
    rm -rf "$dir/data"
  done
done
LOAD_AVG_END="$(cut -d' ' -f1-3 /proc/loadavg)"

json_field() { sed -E 's/.*"'"$2"'":"?([^",}]*)"?.*/\1/' <<<"$1"; }
metric() {
  { grep "\"variant\":\"$1\"" "$RESULTS" || true; } | while read -r l; do json_field "$l" "$2"; done |
    { grep -v '^null$' || true; } | median
}
sum_field() {
  { grep "\"variant\":\"$1\"" "$RESULTS" || true; } | while read -r l; do json_field "$l" "$2"; done |
    awk '{ s += $1 } END { print s + 0 }'
}
OFF_RPS="$(metric off requests_per_s)"
change() {  # change <rps>: % relative to off
  awk -v a="$1" -v b="$OFF_RPS" 'BEGIN { if (a == "n/a" || b == "n/a" || b + 0 == 0) print "n/a"; else printf "%+.1f %%", 100 * (a / b - 1) }'
}

TABLE="$TMP/table.md"
{
  echo "| variant | requests/s (median of $RUNS) | vs off | p50 / p99 ms | errors | spans stored per request | CPU busy (all CPUs) |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for variant in $VARIANTS; do
    rps="$(metric "$variant" requests_per_s)"
    per_request="—"
    if [[ $variant != off ]]; then
      per_request="$(awk -v s="$(sum_field "$variant" spans_stored)" -v n="$(sum_field "$variant" requests)" \
        'BEGIN { if (n > 0) printf "%.2f", s / n; else print "n/a" }')"
    fi
    case $variant in
      off) name="off (telemetry.enabled: false)" ;;
      on) name="on (default sampling)" ;;
      sampled) name="on, every request sampled ($SAMPLED_HEADER trace ids)" ;;
      *) name="$variant" ;;
    esac
    printf '| %s | %s | %s | %s / %s | %s | %s | %s %% |\n' "$name" "$(awk -v v="$rps" 'BEGIN { if (v == "n/a") print v; else printf "%.0f", v }')" \
      "$(if [[ $variant == off ]]; then echo "—"; else change "$rps"; fi)" \
      "$(metric "$variant" p50_ms)" "$(metric "$variant" p99_ms)" "$(sum_field "$variant" errors)" \
      "$per_request" "$(metric "$variant" cpu_busy_pct)"
  done
} >"$TABLE"

TARGETS="$TMP/targets.md"
{
  if [[ " $VARIANTS " == *" on "* && " $VARIANTS " == *" off "* ]]; then
    ON_RPS="$(metric on requests_per_s)"
    loss="$(awk -v a="$ON_RPS" -v b="$OFF_RPS" 'BEGIN { printf "%.1f", 100 * (1 - a / b) }')"
    ok="$(awk -v l="$loss" -v b="$BUDGET_PCT" 'BEGIN { if (l <= b) print "met"; else print "**NOT met**" }')"
    echo "- tracing on vs off, throughput loss ≤ $BUDGET_PCT %: $ok ($loss % loss; ratio on/off $(awk -v a="$ON_RPS" -v b="$OFF_RPS" 'BEGIN { printf "%.3f", a / b }'))"
  fi
  if [[ " $VARIANTS " == *" sampled "* && " $VARIANTS " == *" off "* ]]; then
    S_RPS="$(metric sampled requests_per_s)"
    echo "- worst case, every request sampled: $(awk -v a="$S_RPS" -v b="$OFF_RPS" 'BEGIN { printf "%.1f", 100 * (1 - a / b) }') % loss (not budgeted; for reference)"
  fi
} >"$TARGETS"

CPU_MODEL="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
CK_REV="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git -C "$ROOT" status --porcelain 2>/dev/null | head -1)" ]]; then CK_REV="$CK_REV (+ uncommitted changes)"; fi

mkdir -p "$(dirname "$OUT")"
{
  echo "# Tracing overhead on GET $REQUEST_PATH"
  echo
  echo "Produced by \`bench/tracing_overhead.sh\` (see bench/README.md for how to read it)."
  echo
  echo "- Command: \`$COMMAND_LINE\`"
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "- Machine: $(nproc) CPUs, $CPU_MODEL, $(uname -sr); CPU busy just before the run: $CPU_BUSY_START %; load average at start $LOAD_AVG_START, at the end $LOAD_AVG_END"
  echo "- ck: \`$CK_BIN\` at $CK_REV; \`ck up stacks/cuddlekube.yaml\` (public-site -> list-api -> DynamoDB Scan), a fresh data directory per run; the off variant adds \`enabled: false\` to the telemetry section"
  echo "- Load: $("$WRK" -v 2>&1 | head -1 | cut -d' ' -f1-2), $THREADS threads, $CONNECTIONS keep-alive connections, ${DURATION} s per run after ${WARMUP} s of warm-up, unpinned (wrk shares the CPUs with the stack); $RUNS alternating runs per variant, medians below"
  echo
  if ((CPU_BUSY_START > 10)); then
    echo "> **Warning:** other processes used $CPU_BUSY_START % of the CPUs just before the run. Alternating runs expose every variant to the same interference, but rerun on an idle machine before drawing conclusions."
    echo
  fi
  echo "## Results"
  echo
  cat "$TABLE"
  echo
  cat "$TARGETS"
  echo
  echo "## Reading it"
  echo
  echo "- **spans stored per request** is the collector's spans_stored delta over the measured run (after its queue drained) ÷ the requests wrk completed: about 4 when every request is traced (public-site and list-api segments, each with one subsegment), near 0.2 with the default rule (5 % plus one per second)."
  echo "- **CPU busy** is all CPUs (wrk included) during the measured run; when the stack is CPU-bound the throughput loss is where tracing shows, otherwise compare the CPU columns."
  if [[ $SAMPLED_HEADER == unique ]]; then
    echo "- The sampled variant builds each request in a wrk Lua script (a new trace id per request); the other variants send wrk's static request. The script's cost is in wrk's threads, not in the stack."
  fi
  echo
  echo "## Raw runs"
  echo
  echo '```'
  cat "$RESULTS"
  echo '```'
} >"$OUT"

echo
cat "$TABLE"
echo
cat "$TARGETS"
log "written to $OUT"
