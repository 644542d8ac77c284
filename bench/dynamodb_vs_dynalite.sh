#!/usr/bin/env bash
# Compares `ck dynamodb` with dynalite (npm) on PutItem, GetItem, UpdateItem and a filtered Scan:
# same load generator (bench/dynamodb_load.cc), same connections and duration, same durability
# (both write every acknowledged item to the OS before answering and neither fsyncs per write:
# ck --durability normal = SQLite WAL synchronous=NORMAL; dynalite --path = LevelDB, sync=false).
#
# Also measures ck's startup (spawn to ready file / first 200 on GET /) and idle RSS, and both
# servers' peak RSS. Runs alternate ck, dynalite, ck, dynalite... and the table reports medians.
#
#   bench/dynamodb_vs_dynalite.sh                                  # defaults: 3 runs x 5 s per op
#   BENCH_DURATION_MS=1000 BENCH_RUNS=1 bench/dynamodb_vs_dynalite.sh   # quick smoke run
#
# Environment: BENCH_DURATION_MS (5000), BENCH_WARMUP_MS (500), BENCH_RUNS (3),
# BENCH_CONNECTIONS (16), BENCH_THREADS (1, load generator threads), BENCH_TRANSPORT (beast =
# the project's HttpClient; raw = the load generator's minimal HTTP/1.1 client), BENCH_ITEMS (1000),
# BENCH_OPS ("put get update scan"), BENCH_OUT (bench/results/dynamodb-vs-dynalite.md),
# BENCH_SERVERS ("ck dynalite"; "dynalite" alone is a smoke test of the harness while ck is not
# built), CK_BIN / LOAD_BIN to override the binaries.
#
# Builds nothing: it expects build/release/src/ck and build/release/bench/ck_dynamodb_load.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CK_BIN="${CK_BIN:-$ROOT/build/release/src/ck}"
LOAD_BIN="${LOAD_BIN:-$ROOT/build/release/bench/ck_dynamodb_load}"
NULL_BIN="${NULL_BIN:-$(dirname "$LOAD_BIN")/ck_bench_null_server}"
DYNALITE_CLI="$ROOT/tests/js/node_modules/dynalite/cli.js"
DURATION_MS="${BENCH_DURATION_MS:-5000}"
WARMUP_MS="${BENCH_WARMUP_MS:-500}"
RUNS="${BENCH_RUNS:-3}"
CONNECTIONS="${BENCH_CONNECTIONS:-16}"
THREADS="${BENCH_THREADS:-1}"
TRANSPORT="${BENCH_TRANSPORT:-beast}"
ITEMS="${BENCH_ITEMS:-1000}"
OPS="${BENCH_OPS:-put get update scan}"
OUT="${BENCH_OUT:-$ROOT/bench/results/dynamodb-vs-dynalite.md}"
SERVERS="${BENCH_SERVERS:-ck dynalite}"
COMMAND_LINE="BENCH_SERVERS=\"$SERVERS\" BENCH_DURATION_MS=$DURATION_MS BENCH_WARMUP_MS=$WARMUP_MS BENCH_RUNS=$RUNS BENCH_CONNECTIONS=$CONNECTIONS BENCH_THREADS=$THREADS BENCH_TRANSPORT=$TRANSPORT BENCH_ITEMS=$ITEMS BENCH_OPS=\"$OPS\" bench/dynamodb_vs_dynalite.sh"

has() { [[ " $SERVERS " == *" $1 "* ]]; }
missing=0
needed=("$LOAD_BIN")
if has ck; then needed+=("$CK_BIN"); fi
for bin in "${needed[@]}"; do
  if [[ ! -x "$bin" ]]; then
    echo "missing: $bin" >&2
    missing=1
  fi
done
if [[ $missing == 1 ]]; then
  cat >&2 <<EOF
Build the release binaries first:
  cd $ROOT && cmake --preset release && ninja -C build/release ck ck_dynamodb_load
EOF
  exit 1
fi
if [[ ! -f "$DYNALITE_CLI" ]] || ! command -v node >/dev/null; then
  echo "missing: node and $DYNALITE_CLI; install with scripts/setup.sh or: cd tests/js && npm ci" >&2
  exit 1
fi

TMP="$(mktemp -d /tmp/ck-bench-dynamodb.XXXXXX)"
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

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

# A port below the kernel's ephemeral range that no socket (listening or not) uses right now.
free_port() {
  local low port
  low="$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range)"
  while true; do
    port=$((10000 + RANDOM % (low - 10000)))
    if ! awk -v p="$(printf '%04X' "$port")" 'FNR > 1 { split($2, a, ":"); if (a[2] == p) found = 1 }
        END { exit !found }' /proc/net/tcp /proc/net/tcp6 2>/dev/null; then
      echo "$port"
      return
    fi
  done
}

stop_pid() {  # stop_pid <pid>: SIGTERM, then SIGKILL after 10 s; reaps it
  local pid="$1" i
  kill "$pid" 2>/dev/null || true
  for i in $(seq 100); do
    [[ "$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null || echo gone)" =~ ^(Z|gone)$ ]] && break
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  local keep=() p
  for p in "${PIDS[@]}"; do [[ $p == "$pid" ]] || keep+=("$p"); done
  PIDS=("${keep[@]}")
}

# start_ck <dir>: starts ck dynamodb in the background (this shell is its parent), sets
# SERVER_PID, SERVER_URL, READY_MS and ANSWER_MS (from the instant before the spawn).
start_ck() {
  local dir="$1" t0 line
  mkdir -p "$dir/data"
  t0="$EPOCHREALTIME"
  "$CK_BIN" dynamodb --listen 127.0.0.1:0 --data-dir "$dir/data" --ready-file "$dir/ready" \
    --durability normal </dev/null >"$dir/ck.log" 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  line="$("$LOAD_BIN" --wait --since "$t0" --pid "$SERVER_PID" --ready-file "$dir/ready" \
    --timeout-ms 10000)" || { cat "$dir/ck.log" >&2; exit 1; }
  SERVER_URL="$(json_field "$line" url)"
  READY_MS="$(json_field "$line" ready_file_ms)"
  ANSWER_MS="$(json_field "$line" first_answer_ms)"
}

start_dynalite() {
  local dir="$1" port t0 line attempt
  mkdir -p "$dir"
  for attempt in 1 2 3; do  # dynalite takes a fixed port; retry if someone took it meanwhile
    port="$(free_port)"
    t0="$EPOCHREALTIME"
    node "$DYNALITE_CLI" --host 127.0.0.1 --port "$port" --path "$dir/db" --createTableMs 0 \
      --deleteTableMs 0 --updateTableMs 0 </dev/null >"$dir/dynalite.log" 2>&1 &
    SERVER_PID=$!
    PIDS+=("$SERVER_PID")
    if line="$("$LOAD_BIN" --wait --since "$t0" --pid "$SERVER_PID" \
      --endpoint "http://127.0.0.1:$port" --timeout-ms 30000)"; then
      break
    fi
    stop_pid "$SERVER_PID"
    if [[ $attempt == 3 ]] || ! grep -q EADDRINUSE "$dir/dynalite.log"; then
      cat "$dir/dynalite.log" >&2
      exit 1
    fi
  done
  SERVER_URL="$(json_field "$line" url)"
  READY_MS=""
  ANSWER_MS="$(json_field "$line" first_answer_ms)"
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

# Interference during the run: all CPU time spent on the machine minus this script's own
# (its children, which it has waited for, plus the two servers still running at the end).
stat_busy_total() { head -1 /proc/stat | awk '{ t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t }'; }
self_jiffies() { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$$/stat"; }
CLK_TCK="$(getconf CLK_TCK)"
pid_jiffies() { if [[ -n "$1" ]]; then awk '{ print $14 + $15 }' "/proc/$1/stat"; else echo 0; fi; }
read -r RUN_BUSY0 RUN_TOTAL0 < <(stat_busy_total)
RUN_SELF0="$(self_jiffies)"

# --- startup: fresh data directory each time; median of RUNS --------------------------------
STARTUP_READY=()
STARTUP_ANSWER=()
DYNALITE_STARTUP=()
for r in $(seq "$RUNS"); do
  if has ck; then
    start_ck "$TMP/startup-ck-$r"
    STARTUP_READY+=("$READY_MS")
    STARTUP_ANSWER+=("$ANSWER_MS")
    stop_pid "$SERVER_PID"
  fi
  start_dynalite "$TMP/startup-dynalite-$r"
  DYNALITE_STARTUP+=("$ANSWER_MS")
  stop_pid "$SERVER_PID"
done
CK_READY_MS="$(printf '%s\n' "${STARTUP_READY[@]}" | { grep . || true; } | median)"
CK_ANSWER_MS="$(printf '%s\n' "${STARTUP_ANSWER[@]}" | { grep . || true; } | median)"
DYNALITE_ANSWER_MS="$(printf '%s\n' "${DYNALITE_STARTUP[@]}" | median)"
log "ck startup: ready file ${STARTUP_READY[*]} ms; first answer ${STARTUP_ANSWER[*]} ms"
log "dynalite startup: first answer ${DYNALITE_STARTUP[*]} ms"

# --- the servers under load ------------------------------------------------------------------
CK_PID=""
CK_URL=""
if has ck; then
  start_ck "$TMP/ck"
  CK_PID="$SERVER_PID"
  CK_URL="$SERVER_URL"
fi
start_dynalite "$TMP/dynalite"
DL_PID="$SERVER_PID"
DL_URL="$SERVER_URL"
log "ck dynamodb pid $CK_PID at $CK_URL; dynalite pid $DL_PID at $DL_URL"

# status_kb that tolerates a missing server (prints 0).
server_kb() { if [[ -n "$1" ]]; then status_kb "$1" "$2"; else echo 0; fi; }
CK_RSS_START_KB="$(server_kb "$CK_PID" VmRSS)"
if has ck; then "$LOAD_BIN" --endpoint "$CK_URL" --setup --items "$ITEMS"; fi
"$LOAD_BIN" --endpoint "$DL_URL" --setup --items "$ITEMS"
sleep 0.5
CK_IDLE_KB="$(server_kb "$CK_PID" VmRSS)"
CK_IDLE_ANON_KB="$(server_kb "$CK_PID" RssAnon)"
CK_IDLE_FILE_KB="$(server_kb "$CK_PID" RssFile)"
# PSS counts shared library pages proportionally (smaps_rollup needs Linux >= 4.14).
CK_IDLE_PSS_KB="$(if [[ -n "$CK_PID" ]]; then awk '$1 == "Pss:" { print $2 }' "/proc/$CK_PID/smaps_rollup"; else echo 0; fi)"
DL_IDLE_KB="$(status_kb "$DL_PID" VmRSS)"
log "idle RSS after setup: ck $(mb "$CK_IDLE_KB") MB (at start $(mb "$CK_RSS_START_KB") MB), dynalite $(mb "$DL_IDLE_KB") MB"

RESULTS="$TMP/results.jsonl"
: >"$RESULTS"
for op in $OPS; do
  for r in $(seq "$RUNS"); do
    for server in $SERVERS; do
      if [[ $server == ck ]]; then url="$CK_URL"; pid="$CK_PID"; else url="$DL_URL"; pid="$DL_PID"; fi
      cpu0="$(pid_jiffies "$pid")"
      out="$("$LOAD_BIN" --endpoint "$url" --op "$op" --connections "$CONNECTIONS" \
        --threads "$THREADS" --transport "$TRANSPORT" --duration-ms "$DURATION_MS" --warmup-ms "$WARMUP_MS" \
        --items "$ITEMS" 2>"$TMP/load.err")" || { cat "$TMP/load.err" >&2; exit 1; }
      if [[ -s "$TMP/load.err" ]]; then sed "s/^/[$server $op] /" "$TMP/load.err" >&2; fi
      # The server's own CPU (user + system, warm-up included) per operation of the measured part.
      cpu_us="$(awk -v j=$(($(pid_jiffies "$pid") - cpu0)) -v hz="$CLK_TCK" -v o="$(json_field "$out" ops)" \
        -v d="$DURATION_MS" -v w="$WARMUP_MS" 'BEGIN { if (o > 0) printf "%.1f", j * 1e6 / hz / (o * (d + w) / d); else print 0 }')"
      echo "{\"server\":\"$server\",\"run\":$r,\"server_cpu_us_per_op\":$cpu_us,${out#\{}" >>"$RESULTS"
      log "$server $op run $r: $out"
    done
  done
done

# --- floors: the same GetItem load against servers that do no work ---------------------------
# ck_bench_null_server answers 200 {} at once through the project's HTTP server; nginx (if
# installed) answers the same constant. Their req/s is the client's ceiling on this machine, and
# their CPU per request is what the transport alone costs before any DynamoDB work.
# floor_run <pid> <url> -> "req/s client_cpu_pct server_us_per_request"
floor_run() {
  local pid="$1" url="$2" cpu0 out
  cpu0="$(pid_jiffies "$pid")"
  out="$("$LOAD_BIN" --endpoint "$url" --op get --connections "$CONNECTIONS" --threads "$THREADS" \
    --transport "$TRANSPORT" --duration-ms "$DURATION_MS" --warmup-ms "$WARMUP_MS" --items "$ITEMS")"
  log "floor run (pid $pid): $out"
  awk -v j=$(($(pid_jiffies "$pid") - cpu0)) -v hz="$CLK_TCK" -v o="$(json_field "$out" ops)" \
    -v d="$DURATION_MS" -v w="$WARMUP_MS" -v r="$(json_field "$out" ops_per_s)" \
    -v c="$(json_field "$out" client_cpu_pct)" \
    'BEGIN { printf "%.0f %s %.1f\n", r, c, (o > 0 ? j * 1e6 / hz / (o * (d + w) / d) : 0) }'
}
CLIENT_CEILING="n/a"
FLOORS="$TMP/floors.md"
: >"$FLOORS"
if [[ -x "$NULL_BIN" ]]; then
  t0="$EPOCHREALTIME"
  "$NULL_BIN" --ready-file "$TMP/null.ready" </dev/null >"$TMP/null.log" 2>&1 &
  NULL_PID=$!
  PIDS+=("$NULL_PID")
  line="$("$LOAD_BIN" --wait --since "$t0" --pid "$NULL_PID" --ready-file "$TMP/null.ready" \
    --timeout-ms 5000)"
  read -r rate client_cpu server_us < <(floor_run "$NULL_PID" "$(json_field "$line" url)")
  stop_pid "$NULL_PID"
  CLIENT_CEILING="$rate requests/s at $client_cpu % client CPU"
  if awk -v c="$client_cpu" -v t="$THREADS" 'BEGIN { exit !(c < 90 * t) }'; then
    CLIENT_CEILING+=" (the client did not get a full core per thread then, so this understates its ceiling)"
  fi
  echo "| \`ck_bench_null_server\` (the project's HTTP server, no work) | $rate | $client_cpu | $server_us |" >>"$FLOORS"
fi
NGINX_BIN="${NGINX_BIN:-$(command -v nginx || true)}"
if [[ -n "$NGINX_BIN" && -x "$NGINX_BIN" ]]; then
  port="$(free_port)"
  mkdir -p "$TMP/nginx"
  cat >"$TMP/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
error_log $TMP/nginx/error.log;
pid $TMP/nginx/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 100000000;
  client_body_temp_path $TMP/nginx;
  server {
    listen 127.0.0.1:$port;
    location / { default_type application/x-amz-json-1.0; return 200 "{}"; }
  }
}
EOF
  t0="$EPOCHREALTIME"
  "$NGINX_BIN" -c "$TMP/nginx/nginx.conf" -p "$TMP/nginx" -e "$TMP/nginx/error.log" </dev/null >"$TMP/nginx/out.log" 2>&1 &
  NGINX_PID=$!
  PIDS+=("$NGINX_PID")
  if "$LOAD_BIN" --wait --since "$t0" --pid "$NGINX_PID" --endpoint "http://127.0.0.1:$port" \
    --timeout-ms 5000 >/dev/null; then
    # The worker process does the work; the master only supervises.
    worker="$(pgrep -P "$NGINX_PID" | head -1)"
    read -r rate client_cpu server_us < <(floor_run "${worker:-$NGINX_PID}" "http://127.0.0.1:$port")
    echo "| nginx $("$NGINX_BIN" -v 2>&1 | sed 's|.*/||') (\`return 200 \"{}\"\`, one worker) | $rate | $client_cpu | $server_us |" >>"$FLOORS"
  else
    log "nginx did not start; see $TMP/nginx/error.log"
  fi
  stop_pid "$NGINX_PID"
fi

read -r RUN_BUSY1 RUN_TOTAL1 < <(stat_busy_total)
RUN_OURS=$(($(self_jiffies) - RUN_SELF0 + $(pid_jiffies "$CK_PID") + $(pid_jiffies "$DL_PID")))
OTHER_BUSY="$(awk -v b=$((RUN_BUSY1 - RUN_BUSY0)) -v t=$((RUN_TOTAL1 - RUN_TOTAL0)) -v o="$RUN_OURS" \
  'BEGIN { v = t > 0 ? 100 * (b - o) / t : 0; if (v < 0) v = 0; printf "%.0f", v }')"
log "CPU used by other processes during the run: $OTHER_BUSY % of all CPUs"

CK_HWM_KB="$(server_kb "$CK_PID" VmHWM)"
DL_HWM_KB="$(server_kb "$DL_PID" VmHWM)"

# metric <server> <op> <field> -> median over runs
metric() {
  { grep "\"server\":\"$1\"" "$RESULTS" || true; } | { grep "\"op\":\"$2\"" || true; } | while read -r l; do
    json_field "$l" "$3"
  done | median
}
sum_field() {
  { grep "\"server\":\"$1\"" "$RESULTS" || true; } | while read -r l; do json_field "$l" "$2"; done |
    awk '{ s += $1 } END { print s + 0 }'
}

TABLE="$TMP/table.md"
{
  echo "| op | ck ops/s | dynalite ops/s | ratio | ck p50 / p99 ms | dynalite p50 / p99 ms | ck client CPU % | dynalite client CPU % |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  for op in $OPS; do
    ck_ops="$(metric ck "$op" ops_per_s)"
    dl_ops="$(metric dynalite "$op" ops_per_s)"
    ratio="$(awk -v a="$ck_ops" -v b="$dl_ops" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.1f×", a / b; else print "n/a" }')"
    case $op in
      put) name="PutItem" ;;
      get) name="GetItem" ;;
      update) name="UpdateItem (SET #h = #h + :one, ALL_NEW)" ;;
      scan) name="Scan (kind = :k, Limit 100)" ;;
      *) name="$op" ;;
    esac
    printf '| %s | %s | %s | **%s** | %s / %s | %s / %s | %s | %s |\n' "$name" "$(round "$ck_ops")" "$(round "$dl_ops")" \
      "$ratio" "$(metric ck "$op" p50_ms)" "$(metric ck "$op" p99_ms)" \
      "$(metric dynalite "$op" p50_ms)" "$(metric dynalite "$op" p99_ms)" \
      "$(metric ck "$op" client_cpu_pct)" "$(metric dynalite "$op" client_cpu_pct)"
  done
  echo
  echo "Server CPU per operation (user + system of the server process alone; the client's CPU is not"
  echo "included). The ratio is operations per CPU-second, ck over dynalite: what each does with equal CPU."
  echo
  echo "| op | ck µs CPU / op | dynalite µs CPU / op | ops per CPU-second, ratio |"
  echo "|---|---:|---:|---:|"
  for op in $OPS; do
    ck_cpu="$(metric ck "$op" server_cpu_us_per_op)"
    dl_cpu="$(metric dynalite "$op" server_cpu_us_per_op)"
    cpu_ratio="$(awk -v a="$ck_cpu" -v b="$dl_cpu" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.1f×", b / a; else print "n/a" }')"
    printf '| %s | %s | %s | **%s** |\n' "$op" "$ck_cpu" "$dl_cpu" "$cpu_ratio"
  done
  echo
  echo "| server | startup to first answer (median) | idle RSS after setup | peak RSS (VmHWM) | errors |"
  echo "|---|---:|---:|---:|---:|"
  has ck && echo "| ck dynamodb | $CK_ANSWER_MS ms (ready file $CK_READY_MS ms) | $(mb "$CK_IDLE_KB") MB (anon $(mb "$CK_IDLE_ANON_KB"), file-backed $(mb "$CK_IDLE_FILE_KB"); PSS $(mb "$CK_IDLE_PSS_KB")) | $(mb "$CK_HWM_KB") MB | $(sum_field ck errors) |"
  echo "| dynalite | $DYNALITE_ANSWER_MS ms | $(mb "$DL_IDLE_KB") MB | $(mb "$DL_HWM_KB") MB | $(sum_field dynalite errors) |"
} >"$TABLE"

verdict() {  # verdict <ok-condition awk expr> -> "met" / "NOT met"
  awk "BEGIN { if ($1) print \"met\"; else print \"**NOT met**\" }"
}
if ! has ck; then
  echo "- not evaluated: ck dynamodb was not part of this run (BENCH_SERVERS=\"$SERVERS\")" >"$TMP/targets.md"
fi
TARGETS="$TMP/targets.md"
has ck && {
  for op in put get update; do
    case " $OPS " in *" $op "*) ;; *) continue ;; esac
    ck_ops="$(metric ck "$op" ops_per_s)"
    dl_ops="$(metric dynalite "$op" ops_per_s)"
    echo "- $op ≥ 10× dynalite ops/s: $(verdict "$dl_ops > 0 && $ck_ops / $dl_ops >= 10")"
  done
  echo "- startup to first answer < 50 ms: $(verdict "$CK_ANSWER_MS < 50") ($CK_ANSWER_MS ms)"
  echo "- idle RSS < 10 MB: $(verdict "$CK_IDLE_KB < 10240") ($(mb "$CK_IDLE_KB") MB)"
} >"$TARGETS"

CPU_MODEL="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
CK_REV="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git -C "$ROOT" status --porcelain 2>/dev/null | head -1)" ]]; then CK_REV="$CK_REV (+ uncommitted changes)"; fi
DYNALITE_VERSION="$(node -p "require('$ROOT/tests/js/node_modules/dynalite/package.json').version")"

mkdir -p "$(dirname "$OUT")"
{
  echo "# ck dynamodb vs dynalite"
  echo
  echo "Produced by \`bench/dynamodb_vs_dynalite.sh\` (see bench/README.md for how to read it)."
  echo
  echo "- Command: \`$COMMAND_LINE\`"
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "- Machine: $(nproc) CPUs, $CPU_MODEL, $(uname -sr); CPU used by other processes: $CPU_BUSY_START % just before the run, $OTHER_BUSY % during it; load average at start: $LOAD_AVG_START"
  echo "- ck: \`$CK_BIN\` at $CK_REV, \`dynamodb --durability normal\` (SQLite WAL, synchronous=NORMAL)"
  echo "- dynalite $DYNALITE_VERSION on node $(node --version), \`--path\` (LevelDB on disk), \`--createTableMs 0\`"
  echo "- Load: \`ck_dynamodb_load\`, $CONNECTIONS keep-alive connections on $THREADS thread(s) ($TRANSPORT transport), closed loop," \
    "SigV4 on every request; $RUNS alternating runs per op per server of ${DURATION_MS} ms" \
    "(after ${WARMUP_MS} ms warm-up); medians below; $ITEMS items of ~200 bytes."
  echo
  if ((CPU_BUSY_START > 10 || OTHER_BUSY > 10)); then
    echo "> **Warning:** the machine was busy: other processes used $CPU_BUSY_START % of its CPUs" \
      "just before the run and $OTHER_BUSY % during it. Alternating runs expose both servers to the same" \
      "interference, so the ratios say more than the absolute figures, but rerun on an idle" \
      "machine before drawing conclusions."
    echo
  fi
  echo "## Results (medians)"
  echo
  cat "$TABLE"
  echo
  echo "## Targets (issue 2)"
  echo
  cat "$TARGETS"
  echo
  if has ck; then
    echo "## What 10× would take here"
    echo
    echo "The rate 10× dynalite needs, and the server CPU per operation that rate allows if the"
    echo "server is 10× as efficient as dynalite (dynalite's µs / 10):"
    echo
    echo "| op | 10× dynalite ops/s | CPU per op allowed | ck µs CPU / op now |"
    echo "|---|---:|---:|---:|"
    for op in put get update; do
      case " $OPS " in *" $op "*) ;; *) continue ;; esac
      printf '| %s | %s | %s µs | %s µs |\n' "$op" "$(round "$(awk -v d="$(metric dynalite "$op" ops_per_s)" 'BEGIN { print d * 10 }')")" \
        "$(awk -v d="$(metric dynalite "$op" server_cpu_us_per_op)" 'BEGIN { printf "%.1f", d / 10 }')" \
        "$(metric ck "$op" server_cpu_us_per_op)"
    done
    echo
    if [[ -s "$FLOORS" ]]; then
      echo "The same GetItem load against servers that do no DynamoDB work (no signature check, no"
      echo "JSON, no storage): their rate is the most this client can offer on this machine, and their"
      echo "CPU per request is what HTTP over loopback TCP costs before any of that work."
      echo
      echo "| server answering a constant | req/s | client CPU % | server µs CPU / request |"
      echo "|---|---:|---:|---:|"
      cat "$FLOORS"
      echo
    fi
  fi
  echo "## Caveats"
  echo
  echo "- Client and server share this machine's $(nproc) CPUs. The load generator's own CPU use" \
    "is the \"client CPU %\" column (100 % = one core); when it approaches 100 % the client, not" \
    "the server, limits ops/s, and the ck figures are a lower bound."
  echo "- The client's own ceiling here (same settings, GetItem requests against" \
    "\`ck_bench_null_server\`, which answers \`200 {}\` at once): $CLIENT_CEILING." \
    "A ck figure near it is client-bound."
  echo "- dynalite is single-threaded (node); ck may use both cores, competing with the client."
  echo "- Closed loop: latency percentiles are at each server's own saturation throughput, not at" \
    "equal rates."
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
echo
log "written to $OUT"
