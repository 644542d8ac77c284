#!/usr/bin/env bash
# Measures `ck collector` against the DESIGN.md §8 budgets for traces:
#
#   - X-Ray UDP ingest with storage: segment documents (a list-api segment with two DynamoDB
#     subsegments, ~1.1 KB, 3 spans) stored per second: once with the sender at full speed (the
#     collector's capacity; the kernel drops what does not fit its socket buffer) and once paced
#     at the budget rate (is anything lost at 50,000/s?);
#   - OTLP/HTTP ingest with storage: spans stored per second, protobuf and JSON bodies of 100
#     spans on 4 keep-alive connections, closed loop;
#   - trace by id (BatchGetTraces, one id per request) p50/p99 with SPANS_TOTAL spans stored, and
#     GetServiceGraph over the last hour p50/p99;
#   - the collector's RSS with the store full, and the store's size on disk.
#
# What counts is what the collector stored: the load tool (bench/ck_bench_collector.cc) reads the
# collector's GET /stats before sending and polls it until the queue has drained; the rate is
# the spans_stored delta over first-send-to-drained. The collector is pinned to one core
# (COLLECTOR_CPU, with all of its threads: I/O, writer, query) and the load tool to another
# (LOAD_CPU). Every ingest run starts a fresh collector on an empty data directory; runs alternate
# between the variants and the table shows medians.
#
#   bench/collector_ingest.sh                                      # defaults: ~5 minutes
#   SEGMENTS=20000 SPANS_TOTAL=50000 bench/collector_ingest.sh     # smoke run (~25 s)
#
# Environment: SEGMENTS (500000 datagrams per UDP run), UDP_RATES ("max 50000": datagrams/s,
# max = as fast as the sender goes), SPANS_TOTAL (1000000 spans stored before the query runs,
# sent as OTLP protobuf), SPANS (spans per OTLP run: half of SPANS_TOTAL, at most 500000),
# OTLP_ENCODINGS ("protobuf json"), OTLP_BATCH (100 spans per request), OTLP_CONNECTIONS (4),
# QUERY_REQUESTS (2000), GRAPH_REQUESTS (200), BENCH_RUNS (3), COLLECTOR_CPU (0), LOAD_CPU (1),
# BENCH_PERF (0; 1 = `perf record` the collector during the first full-speed UDP run and add its
# top symbols to the results), BENCH_OUT (bench/results/collector-ingest.md), CK_BIN / LOAD_BIN
# to override the binaries.
#
# Builds nothing: it expects build/release/src/ck and build/release/bench/ck_bench_collector.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CK_BIN="${CK_BIN:-$ROOT/build/release/src/ck}"
LOAD_BIN="${LOAD_BIN:-$ROOT/build/release/bench/ck_bench_collector}"
SEGMENTS="${SEGMENTS:-500000}"
UDP_RATES="${UDP_RATES:-max 50000}"
SPANS_TOTAL="${SPANS_TOTAL:-1000000}"
SPANS="${SPANS:-$((SPANS_TOTAL / 2 < 500000 ? SPANS_TOTAL / 2 : 500000))}"
OTLP_ENCODINGS="${OTLP_ENCODINGS:-protobuf json}"
OTLP_BATCH="${OTLP_BATCH:-100}"
OTLP_CONNECTIONS="${OTLP_CONNECTIONS:-4}"
QUERY_REQUESTS="${QUERY_REQUESTS:-2000}"
GRAPH_REQUESTS="${GRAPH_REQUESTS:-200}"
RUNS="${BENCH_RUNS:-3}"
COLLECTOR_CPU="${COLLECTOR_CPU:-0}"
LOAD_CPU="${LOAD_CPU:-1}"
PERF="${BENCH_PERF:-0}"
OUT="${BENCH_OUT:-$ROOT/bench/results/collector-ingest.md}"
COMMAND_LINE="SEGMENTS=$SEGMENTS UDP_RATES=\"$UDP_RATES\" SPANS=$SPANS OTLP_ENCODINGS=\"$OTLP_ENCODINGS\" OTLP_BATCH=$OTLP_BATCH OTLP_CONNECTIONS=$OTLP_CONNECTIONS SPANS_TOTAL=$SPANS_TOTAL QUERY_REQUESTS=$QUERY_REQUESTS GRAPH_REQUESTS=$GRAPH_REQUESTS BENCH_RUNS=$RUNS COLLECTOR_CPU=$COLLECTOR_CPU LOAD_CPU=$LOAD_CPU bench/collector_ingest.sh"

BUDGET_UDP=50000          # segment documents stored per second, one core
BUDGET_OTLP=50000         # spans stored per second, one core
BUDGET_TRACE_P99_MS=5     # BatchGetTraces p99 with 1,000,000 spans stored

missing=0
for bin in "$CK_BIN" "$LOAD_BIN"; do
  if [[ ! -x "$bin" ]]; then
    echo "missing: $bin" >&2
    missing=1
  fi
done
if [[ $missing == 1 ]]; then
  cat >&2 <<EOF
Build the release binaries first:
  cd $ROOT && cmake --preset release && ninja -C build/release ck ck_bench_collector
EOF
  exit 1
fi
PIN_COLLECTOR=()
PIN_LOAD=()
PIN_NOTE="unpinned (no taskset or fewer than 2 CPUs)"
if command -v taskset >/dev/null && (($(nproc) >= 2)); then
  PIN_COLLECTOR=(taskset -c "$COLLECTOR_CPU")
  PIN_LOAD=(taskset -c "$LOAD_CPU")
  PIN_NOTE="\`ck collector\` pinned to CPU $COLLECTOR_CPU (all its threads), the load tool to CPU $LOAD_CPU"
else
  echo "[bench] warning: no taskset or fewer than 2 CPUs; running unpinned" >&2
fi
if [[ $PERF == 1 ]] && ! command -v perf >/dev/null; then
  echo "BENCH_PERF=1 needs perf (apt-get install linux-perf)" >&2
  exit 1
fi

TMP="$(mktemp -d /tmp/ck-bench-collector.XXXXXX)"
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

# Private copies: a rebuild during the run cannot mix binaries between runs (or confuse perf).
cp "$CK_BIN" "$TMP/ck"
cp "$LOAD_BIN" "$TMP/ck_bench_collector"
sync "$TMP/ck" "$TMP/ck_bench_collector"  # their write-back must not land in the first run
CK_RUN="$TMP/ck"
LOAD_RUN="$TMP/ck_bench_collector"
# The full store takes well under 1 KB of disk per OTLP span (see bench/README.md).
FREE_MB="$(df -Pm "$TMP" | awk 'NR == 2 { print $4 }')"
if ((FREE_MB < SPANS_TOTAL / 1024 + 1024)); then
  echo "[bench] warning: $FREE_MB MB free in $TMP; the $SPANS_TOTAL-span store may need $((SPANS_TOTAL / 1024)) MB" >&2
fi

log() { echo "[bench] $*" >&2; }

# json_field '<json line>' key -> the value of a top-level scalar field.
json_field() {
  sed -E 's/.*"'"$2"'":"?([^",}]*)"?.*/\1/' <<<"$1"
}

# median of the numbers on stdin.
median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "n/a"; exit }
    if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

status_kb() {  # status_kb <pid> VmRSS|VmHWM
  awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"
}

round() { awk -v v="$1" 'BEGIN { if (v == "n/a") print v; else printf "%.0f", v }'; }
mb() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }
thousands() { awk -v v="$1" 'BEGIN { if (v == "n/a") { print v; exit } s = sprintf("%.0f", v)
  while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]([,]|$)/, ",&", s); sub(/,$/, "", s); print s }'; }

stop_pid() {  # stop_pid <pid>: SIGTERM, then SIGKILL after 10 s; reaps it
  local pid="$1"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 100); do
    [[ "$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null || echo gone)" =~ ^(Z|gone)$ ]] && break
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  local keep=() p
  for p in "${PIDS[@]}"; do [[ $p == "$pid" ]] || keep+=("$p"); done
  PIDS=("${keep[@]}")
}

# start_collector <dir>: a fresh `ck collector` on its own core; sets COLLECTOR_PID, XRAY_PORT
# (UDP and the X-Ray API) and OTLP_PORT.
start_collector() {
  local dir="$1" line extra=()
  mkdir -p "$dir"
  if ((SPANS_TOTAL * 2 > 2000000)); then extra=(--max-spans $((SPANS_TOTAL * 2))); fi
  "${PIN_COLLECTOR[@]}" "$CK_RUN" collector --xray-port 0 --otlp-port 0 --data-dir "$dir/data" \
    --ready-file "$dir/ready" --log-level warn "${extra[@]}" </dev/null >"$dir/collector.log" 2>&1 &
  COLLECTOR_PID=$!
  PIDS+=("$COLLECTOR_PID")
  for _ in $(seq 1000); do
    [[ -s "$dir/ready" ]] && break
    if ! kill -0 "$COLLECTOR_PID" 2>/dev/null; then
      cat "$dir/collector.log" >&2
      exit 1
    fi
    sleep 0.01
  done
  if [[ ! -s "$dir/ready" ]]; then
    echo "ck collector wrote no ready file within 10 s" >&2
    cat "$dir/collector.log" >&2
    exit 1
  fi
  line="$(cat "$dir/ready")"
  XRAY_PORT="$(json_field "$line" xray_udp)"
  OTLP_PORT="$(json_field "$line" otlp)"
}

LOAD_AVG_START="$(cut -d' ' -f1-3 /proc/loadavg)"
# Share of all CPUs busy over one second before the run (the load average lags minutes behind).
cpu_busy_pct() {
  local a b
  a="$(head -1 /proc/stat)"
  sleep 1
  b="$(head -1 /proc/stat)"
  awk -v a="$a" -v b="$b" 'BEGIN { n = split(a, x); split(b, y); total = 0
    for (i = 2; i <= n; i++) total += y[i] - x[i]
    idle = (y[5] - x[5]) + (y[6] - x[6])
    printf "%.0f", (total > 0 ? 100 * (total - idle) / total : 0) }'
}
CPU_BUSY_START="$(cpu_busy_pct)"
log "CPU busy before the run: $CPU_BUSY_START % (load average $LOAD_AVG_START)"

# Interference during the run: all CPU time on the machine minus this script's own (its
# children, which it has waited for).
stat_busy_total() { head -1 /proc/stat | awk '{ t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t }'; }
self_jiffies() { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$$/stat"; }
read -r RUN_BUSY0 RUN_TOTAL0 < <(stat_busy_total)
RUN_SELF0="$(self_jiffies)"
EXTRA_JIFFIES=0  # CPU of collectors still running when sampled (none at the end)

# --- ingest: fresh collector per run, variants alternating -----------------------------------
VARIANTS=()
for rate in $UDP_RATES; do VARIANTS+=("udp:$rate"); done
for encoding in $OTLP_ENCODINGS; do VARIANTS+=("otlp:$encoding"); done
RESULTS="$TMP/results.jsonl"
: >"$RESULTS"
PERF_REPORT=""
for r in $(seq "$RUNS"); do
  for variant in "${VARIANTS[@]}"; do
    kind="${variant%%:*}"
    arg="${variant#*:}"
    dir="$TMP/run-$r-${kind}-$arg"
    start_collector "$dir"
    perf_pid=""
    if [[ $PERF == 1 && -z "$PERF_REPORT" && $variant == "udp:max" ]]; then
      perf record -F 999 -g -p "$COLLECTOR_PID" -o "$TMP/perf.data" >/dev/null 2>"$TMP/perf.log" &
      perf_pid=$!
      sleep 0.3
    fi
    if [[ $kind == udp ]]; then
      out="$("${PIN_LOAD[@]}" "$LOAD_RUN" udp --port "$XRAY_PORT" --segments "$SEGMENTS" \
        --rate "$arg" 2>"$TMP/load.err")" || { cat "$TMP/load.err" >&2; exit 1; }
    else
      out="$("${PIN_LOAD[@]}" "$LOAD_RUN" otlp --port "$OTLP_PORT" --stats-port "$XRAY_PORT" \
        --spans "$SPANS" --batch "$OTLP_BATCH" --connections "$OTLP_CONNECTIONS" \
        --encoding "$arg" 2>"$TMP/load.err")" || { cat "$TMP/load.err" >&2; exit 1; }
    fi
    if [[ -s "$TMP/load.err" ]]; then sed "s/^/[$variant] /" "$TMP/load.err" >&2; fi
    if [[ -n "$perf_pid" ]]; then
      kill -INT "$perf_pid" 2>/dev/null || true
      wait "$perf_pid" 2>/dev/null || true
      PERF_REPORT="$TMP/perf.txt"
      # Flat self time per symbol; nlohmann::json's template arguments shortened to <...>.
      perf report -i "$TMP/perf.data" --no-children --sort dso,symbol --stdio -g none 2>/dev/null |
        grep -E '^ +[0-9]' | head -30 |
        sed -E 's/basic_json<std::map, std::vector, [^ ]+ std::char_traits<char>, std::allocator<char> >, bool, long, unsigned long, double, std::allocator, nlohmann::json_abi_v3_11_2::adl_serializer, std::vector<unsigned char, std::allocator<unsigned char> > >/basic_json<...>/g; s/( +-)+ *$//; s/ +$//' \
          >"$PERF_REPORT" || true
    fi
    hwm="$(status_kb "$COLLECTOR_PID" VmHWM)"
    stop_pid "$COLLECTOR_PID"
    rm -rf "$dir/data"
    echo "{\"variant\":\"$variant\",\"run\":$r,\"collector_hwm_kb\":$hwm,${out#\{}" >>"$RESULTS"
    log "$variant run $r: $out"
  done
done

# --- queries with SPANS_TOTAL spans stored ---------------------------------------------------
dir="$TMP/query"
start_collector "$dir"
QUERY_PID="$COLLECTOR_PID"
log "filling the store with $SPANS_TOTAL spans (OTLP protobuf) ..."
fill="$("${PIN_LOAD[@]}" "$LOAD_RUN" otlp --port "$OTLP_PORT" --stats-port "$XRAY_PORT" \
  --spans "$SPANS_TOTAL" --batch "$OTLP_BATCH" --connections "$OTLP_CONNECTIONS" \
  --encoding protobuf --ids-out "$TMP/ids" --ids-sample 10000 2>"$TMP/load.err")" ||
  { cat "$TMP/load.err" >&2; exit 1; }
log "fill: $fill"
echo "{\"variant\":\"fill\",\"run\":1,${fill#\{}" >>"$RESULTS"
STORED_TOTAL="$(json_field "$fill" store_spans_total)"
FILL_RATE="$(json_field "$fill" stored_spans_per_s)"
sleep 1
for r in $(seq "$RUNS"); do
  out="$("${PIN_LOAD[@]}" "$LOAD_RUN" query --port "$XRAY_PORT" --traces "$TMP/ids" \
    --requests "$QUERY_REQUESTS" --seed "$r" 2>"$TMP/load.err")" || { cat "$TMP/load.err" >&2; exit 1; }
  if [[ -s "$TMP/load.err" ]]; then sed "s/^/[query] /" "$TMP/load.err" >&2; fi
  echo "{\"variant\":\"query\",\"run\":$r,${out#\{}" >>"$RESULTS"
  log "trace by id run $r: $out"
  out="$("${PIN_LOAD[@]}" "$LOAD_RUN" graph --port "$XRAY_PORT" --requests "$GRAPH_REQUESTS" \
    2>"$TMP/load.err")" || { cat "$TMP/load.err" >&2; exit 1; }
  echo "{\"variant\":\"graph\",\"run\":$r,${out#\{}" >>"$RESULTS"
  log "service graph run $r: $out"
done
RSS_KB="$(status_kb "$QUERY_PID" VmRSS)"
HWM_KB="$(status_kb "$QUERY_PID" VmHWM)"
ANON_KB="$(status_kb "$QUERY_PID" RssAnon)"
STORE_MB="$(du -sm "$dir/data/telemetry" | cut -f1)"
EXTRA_JIFFIES="$(awk '{ print $14 + $15 }' "/proc/$QUERY_PID/stat")"
log "collector with $STORED_TOTAL spans: RSS $(mb "$RSS_KB") MB (anon $(mb "$ANON_KB") MB), peak $(mb "$HWM_KB") MB; store $STORE_MB MB on disk"

read -r RUN_BUSY1 RUN_TOTAL1 < <(stat_busy_total)
RUN_OURS=$(($(self_jiffies) - RUN_SELF0 + EXTRA_JIFFIES))
stop_pid "$QUERY_PID"
OTHER_BUSY="$(awk -v b=$((RUN_BUSY1 - RUN_BUSY0)) -v t=$((RUN_TOTAL1 - RUN_TOTAL0)) -v o="$RUN_OURS" \
  'BEGIN { v = t > 0 ? 100 * (b - o) / t : 0; if (v < 0) v = 0; printf "%.0f", v }')"
log "CPU used by other processes during the run: $OTHER_BUSY % of all CPUs"

# metric <variant> <field> -> median over runs
metric() {
  { grep "\"variant\":\"$1\"" "$RESULTS" || true; } | while read -r l; do json_field "$l" "$2"; done |
    { grep -v '^null$' || true; } | median
}
sum_field() {
  { grep "\"variant\":\"$1\"" "$RESULTS" || true; } | while read -r l; do json_field "$l" "$2"; done |
    awk '{ s += $1 } END { print s + 0 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "n/a" || b + 0 == 0) print "n/a"; else printf "%.2f×", a / b }'; }
verdict() {  # verdict <awk condition>: met / NOT met; n/a when a value is missing
  if [[ "$1" == *n/a* ]]; then echo "n/a"; return; fi
  awk "BEGIN { if ($1) print \"met\"; else print \"**NOT met**\" }"
}

TABLE="$TMP/table.md"
{
  echo "| measure | result (median of $RUNS) | budget | ratio to budget | verdict |"
  echo "|---|---:|---:|---:|---|"
  for rate in $UDP_RATES; do
    v="udp:$rate"
    docs="$(metric "$v" stored_documents_per_s)"
    spans="$(metric "$v" stored_spans_per_s)"
    lost="$(metric "$v" lost_pct)"
    if [[ $rate == max ]]; then
      label="X-Ray UDP ingest, sender at full speed: segment documents stored/s"
      ok="$(verdict "$docs >= $BUDGET_UDP")"
    else
      label="X-Ray UDP ingest, sender paced at $(thousands "$rate")/s: segment documents stored/s"
      ok="$(verdict "$docs >= 0.99 * $rate && $lost < 0.1 && $rate >= $BUDGET_UDP")"
      if ((rate < BUDGET_UDP)); then ok="(below the budget rate)"; fi
    fi
    echo "| $label | **$(thousands "$docs")** ($(thousands "$spans") spans/s; $lost % lost) | ≥ $(thousands $BUDGET_UDP) | $(ratio "$docs" $BUDGET_UDP) | $ok |"
  done
  for encoding in $OTLP_ENCODINGS; do
    v="otlp:$encoding"
    spans="$(metric "$v" stored_spans_per_s)"
    echo "| OTLP/HTTP ingest, $encoding, $OTLP_BATCH spans/request, $OTLP_CONNECTIONS connections: spans stored/s | **$(thousands "$spans")** | ≥ $(thousands $BUDGET_OTLP) | $(ratio "$spans" $BUDGET_OTLP) | $(verdict "$spans >= $BUDGET_OTLP") |"
  done
  p50="$(metric query p50_ms)"
  p99="$(metric query p99_ms)"
  echo "| trace by id (BatchGetTraces, 1 id) with $(thousands "$STORED_TOTAL") spans stored: p50 / p99 ms | $p50 / **$p99** | p99 ≤ $BUDGET_TRACE_P99_MS ms | $(ratio "$p99" $BUDGET_TRACE_P99_MS) | $(verdict "$p99 <= $BUDGET_TRACE_P99_MS")$( ((STORED_TOTAL < 1000000)) && echo " only for this smaller store") |"
  echo "| GetServiceGraph, last hour, same store: p50 / p99 ms | $(metric graph p50_ms) / **$(metric graph p99_ms)** | report | | |"
  echo "| collector with the store full: RSS / peak RSS | $(mb "$RSS_KB") MB / $(mb "$HWM_KB") MB (anon $(mb "$ANON_KB") MB; store $STORE_MB MB on disk) | | | |"
  echo
  echo "| run | sent/s | stored/s (spans) | lost (UDP) / refused (OTLP) | request p50 / p99 ms | client CPU % | collector peak RSS |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for v in "${VARIANTS[@]}"; do
    if [[ $v == udp:* ]]; then
      sent="$(thousands "$(metric "$v" sent_per_s)") datagrams"
      lost="$(metric "$v" lost_pct) % ($(sum_field "$v" kernel_rcvbuf_drops) kernel drops)"
      latency="—"
    else
      sent="$(thousands "$(metric "$v" sent_spans_per_s)") spans"
      lost="$(sum_field "$v" overloaded_retries) requests answered 503 and resent, $(sum_field "$v" errors) errors"
      latency="$(metric "$v" p50_ms) / $(metric "$v" p99_ms)"
    fi
    echo "| $v | $sent | $(thousands "$(metric "$v" stored_spans_per_s)") | $lost | $latency | $(metric "$v" client_cpu_pct) | $(mb "$(metric "$v" collector_hwm_kb)") MB |"
  done
  echo "| fill to $(thousands "$SPANS_TOTAL") spans (otlp protobuf) | $(thousands "$(metric fill sent_spans_per_s)") spans | $(thousands "$FILL_RATE") | $(sum_field fill overloaded_retries) requests answered 503 and resent | $(metric fill p50_ms) / $(metric fill p99_ms) | $(metric fill client_cpu_pct) | $(mb "$HWM_KB") MB |"
} >"$TABLE"

CPU_MODEL="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
CK_REV="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git -C "$ROOT" status --porcelain 2>/dev/null | head -1)" ]]; then CK_REV="$CK_REV (+ uncommitted changes)"; fi
DATAGRAM_BYTES="$(metric "udp:$(echo "$UDP_RATES" | awk '{ print $1 }')" datagram_bytes)"
REQUEST_BYTES="$(metric "otlp:$(echo "$OTLP_ENCODINGS" | awk '{ print $1 }')" request_bytes)"

mkdir -p "$(dirname "$OUT")"
{
  echo "# ck collector: trace ingest and queries"
  echo
  echo "Produced by \`bench/collector_ingest.sh\` (see bench/README.md for how to read it)."
  echo
  echo "- Command: \`$COMMAND_LINE\`"
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "- Machine: $(nproc) CPUs, $CPU_MODEL, $(uname -sr); CPU used by other processes: $CPU_BUSY_START % just before the run, $OTHER_BUSY % during it; load average at start: $LOAD_AVG_START; net.core.rmem_max $(cat /proc/sys/net/core/rmem_max 2>/dev/null || echo '?')"
  echo "- ck: \`$CK_BIN\` at $CK_REV; $PIN_NOTE; a fresh collector and data directory per ingest run"
  echo "- Load: \`ck_bench_collector\`; UDP: $SEGMENTS datagrams of $DATAGRAM_BYTES bytes per run (list-api segment + 2 DynamoDB subsegments = 3 spans, a new trace each);" \
    "OTLP: $SPANS spans per run in requests of $OTLP_BATCH spans ($REQUEST_BYTES bytes as ${OTLP_ENCODINGS%% *}; traces of 4 spans: public-site SERVER/CLIENT, list-api SERVER/CLIENT DynamoDB)" \
    "on $OTLP_CONNECTIONS keep-alive connections; $RUNS alternating runs per variant, medians below."
  echo "- Stored rate = spans_stored delta (the collector's GET /stats) ÷ time from the first send until the queue had drained."
  echo
  if ((CPU_BUSY_START > 10 || OTHER_BUSY > 10)); then
    echo "> **Warning:** the machine was busy: other processes used $CPU_BUSY_START % of its CPUs" \
      "just before the run and $OTHER_BUSY % during it. Rerun on an idle machine before drawing conclusions."
    echo
  fi
  echo "## Results"
  echo
  cat "$TABLE"
  echo
  echo "## Caveats"
  echo
  echo "- \"Segment documents\" are what the X-Ray daemon protocol carries, one per datagram; each here holds a segment and two subsegments (3 stored spans)."
  echo "- At full speed the sender outruns the collector and the kernel drops what does not fit the socket buffer (lost %); the stored rate is then the collector's capacity with its I/O thread saturated. The paced row shows whether the budget rate itself is absorbed without loss."
  echo "- Client-side latencies are per OTLP request in a closed loop (4 connections against one core), not latencies at a fixed rate."
  echo "- Trace by id: one BatchGetTraces request at a time with one random id from a sample of 10,000 stored traces (4 spans each); the collector was idle otherwise."
  if [[ -n "$PERF_REPORT" && -s "$PERF_REPORT" ]]; then
    echo
    echo "## Where the collector's time goes (UDP, full speed; perf, self time, top symbols)"
    echo
    echo '```'
    cat "$PERF_REPORT"
    echo '```'
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
log "written to $OUT"
