#!/usr/bin/env bash
# Sluice's benchmarks in one command: a mock upstream, the same load directly against it and through Sluice (the
# packaged jar, authentication on, a virtual key, the usage ledger on in the embedded SQLite store), in the same
# run, next to its floors (bench/BareProxy.java, the least a proxy does, in the same load scenarios; bench/bare-quarkus,
# the smallest Quarkus REST app, in the start-up scenario), so that every figure is also a ratio measured in one
# invocation. Writes bench/results/<date>-<name>.md (tables, targets, PASS/MISS), <date>-<name>.png (latency
# percentiles against offered rate, direct vs through Sluice) and <date>-<name>.jsonl (every raw figure).
#
# Usage: bash bench/run.sh [scenario...]
#   scenarios: overhead throughput streaming memory startup extraction   (the default set: all of these)
#              soak      the 10-minute memory soak (opt-in: `bash bench/run.sh soak`, or SOAK=1 with the default set)
#              observability   what tracing and the request log cost (opt-in): Sluice started once per variant
#                        (OBS_VARIANTS), each warmed up and measured at OBS_RATE req/s open loop, CPU per request and
#                        latency compared with the plain variant of the same run
#              default   the default set, by name (so `bash bench/run.sh default soak` runs everything)
# Environment knobs (defaults in brackets; see bench/README.md):
#   DURATION [15]       seconds of each measured fixed-rate and throughput run
#   WARMUP [90] WARMUP_MIN [40]   warm-up through Sluice before any measurement: wrk -c64 in 10 s rounds until two
#                       rounds agree within 10 % (at least WARMUP_MIN, at most WARMUP seconds; rounds of WARMUP s
#                       when it is under 10, for smoke tests)
#   RATES ["500 1000 2000 4000"]   offered rates of the overhead scenario (requests/s)
#   CONCURRENCY ["64 256"]         connections of the throughput scenario
#   TTFT_STREAMS [300] TTFT_CONCURRENCY [6] TTFT_CHUNKS [20] TTFT_GAP_MS [10]   the time-to-first-token run
#   STREAMS [1000] STREAM_CHUNKS [20] STREAM_GAP_MS [50]                         the concurrent-streams run
#   SOAK_MINUTES [10] SOAK_RATE [1000] SOAK_STREAMS [16]   soak: non-streaming rate plus streams kept open
#   STARTUP_RUNS [3]    starts per start-up mode (median reported)
#   JDK25 [/usr/lib/jvm/temurin-25-jdk-amd64]   a JDK 25 for the AOT-cache start-up rows (skipped if absent)
#   EXTRACT_DIR [../shared/extraction/wcxb-dev]  WCXB pages for the extraction scenario (skipped if absent)
#   SLUICE_JAVA_OPTS [the options of src/main/jvm/jvm.options]   JVM options for Sluice and its floors, the ones users
#                       get from the README's run command and the JVM image ('' for the JVM's defaults)
#   OBS_RATE [500]      the observability scenario's fixed rate (requests/s)
#   OBS_VARIANTS ["plain tracing request-log"]   its Sluice starts, in order: plain (tracing and request log off,
#                       the baseline; required), tracing (spans exported to the OTLP sink), request-log (rows only),
#                       request-log-bodies (rows and bodies), no-otel (the same sources built without the
#                       OpenTelemetry extension: what tracing costs when it is off). A variant may repeat ("plain tracing request-log plain"
#                       shows the machine's drift over the run; the baseline is the mean of the plain runs)
#   TRACING [off]       on: Sluice exports traces (OTLP over HTTP/protobuf, SLUICE_TRACING_OTLP_ENDPOINT) to a local
#                       sink (a second bench/MockUpstream on PORT_BASE+4 that accepts and counts them), so that the
#                       run measures Sluice with tracing on (the observability scenario compares both in one run)
#   REQUEST_LOG [off]   on: Sluice runs with the request log on for every request (rows only); bodies: with the
#                       request and response bodies too (docs/request-logs.md). TRACING and REQUEST_LOG configure the
#                       Sluice of the other load scenarios; the observability scenario sets its own per variant.
#   PROFILE [off]       jfr (or 1): a JFR profile of Sluice over the measured load scenarios; async: async-profiler
#                       (from ~/.m2 or Maven Central, or ASYNC_PROFILER_LIB) with kernel and native frames. The
#                       hottest frames, Sluice's own (dev.sluice.*) first, go to <date>-<name>-profile.txt
#   FLOOR [on]          off: no bare proxy in the load scenarios and no bare Quarkus app in the start-up one (the
#                       ratio targets then read "not measured")
#   PORT_BASE [18400]   mock on +1, Sluice on +2, AOT training on +3, OTLP sink on +4, bare proxy on +5 (start-up
#                       runs use bench/startup.sh's 18090)
#   OUT [bench/results] KEEP=1 keeps the scratch directory (logs, ledger database)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
started_at=$(date +%s)
invocation="bash bench/run.sh${*:+ $*}"

# ---- arguments -------------------------------------------------------------------------------------------------
DEFAULT_SET="overhead throughput streaming memory startup extraction"
scenarios=()
for a in "$@"; do
  case "$a" in
    default|all) scenarios+=($DEFAULT_SET) ;;
    overhead|throughput|streaming|memory|startup|extraction|soak|observability) scenarios+=("$a") ;;
    -h|--help) awk 'NR > 1 && /^set -euo/ { exit } NR > 1' "$0"; exit 0 ;;
    *) echo "run.sh: unknown scenario '$a' (overhead throughput streaming memory startup extraction soak observability default)" >&2; exit 2 ;;
  esac
done
if (( ${#scenarios[@]} == 0 )); then scenarios=($DEFAULT_SET); fi
if [[ "${SOAK:-0}" == 1 ]]; then scenarios+=(soak); fi
# de-duplicate, keep order
declare -A seen_s=(); uniq=(); for s in "${scenarios[@]}"; do [[ -n "${seen_s[$s]:-}" ]] || { uniq+=("$s"); seen_s[$s]=1; }; done
scenarios=("${uniq[@]}")
want() { [[ " ${scenarios[*]} " == *" $1 "* ]]; }
if [[ " ${scenarios[*]} " == " $DEFAULT_SET " ]]; then name=default
elif [[ " ${scenarios[*]} " == " $DEFAULT_SET soak " ]]; then name=default+soak
else name=$(IFS=+; echo "${scenarios[*]}"); fi

DURATION=${DURATION:-15}
WARMUP=${WARMUP:-90}; WARMUP_MIN=${WARMUP_MIN:-40}
RATES=${RATES:-500 1000 2000 4000}
CONCURRENCY=${CONCURRENCY:-64 256}
TTFT_STREAMS=${TTFT_STREAMS:-300}; TTFT_CONCURRENCY=${TTFT_CONCURRENCY:-6}; TTFT_CHUNKS=${TTFT_CHUNKS:-20}; TTFT_GAP_MS=${TTFT_GAP_MS:-10}
STREAMS=${STREAMS:-1000}; STREAM_CHUNKS=${STREAM_CHUNKS:-20}; STREAM_GAP_MS=${STREAM_GAP_MS:-50}
SOAK_MINUTES=${SOAK_MINUTES:-10}; SOAK_RATE=${SOAK_RATE:-1000}; SOAK_STREAMS=${SOAK_STREAMS:-16}
STARTUP_RUNS=${STARTUP_RUNS:-3}
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
EXTRACT_DIR=${EXTRACT_DIR:-../shared/extraction/wcxb-dev}
PORT_BASE=${PORT_BASE:-18400}
PORT_MOCK=$((PORT_BASE + 1)); PORT_SLUICE=$((PORT_BASE + 2)); PORT_AOT=$((PORT_BASE + 3)); PORT_OTLP=$((PORT_BASE + 4))
PORT_FLOOR=$((PORT_BASE + 5))
FLOOR=${FLOOR:-on}
case "$FLOOR" in on|off) ;; *) echo "run.sh: FLOOR must be on or off, not '$FLOOR'" >&2; exit 2 ;; esac
TRACING=${TRACING:-off}
case "$TRACING" in on|off) ;; *) echo "run.sh: TRACING must be on or off, not '$TRACING'" >&2; exit 2 ;; esac
OUT=${OUT:-bench/results}
# the JVM options users get (README, Dockerfile.jvm): the argument file without its comments, on one line
SLUICE_JAVA_OPTS=${SLUICE_JAVA_OPTS-$(sed -e 's/#.*//' src/main/jvm/jvm.options | tr -s ' \n' ' ' | sed -e 's/^ //' -e 's/ $//')}
REQUEST_LOG=${REQUEST_LOG:-off}
case $REQUEST_LOG in on|off|bodies) ;; *) echo "run.sh: REQUEST_LOG must be off, on or bodies (got '$REQUEST_LOG')" >&2; exit 2 ;; esac
OBS_RATE=${OBS_RATE:-500}
OBS_VARIANTS=${OBS_VARIANTS:-plain tracing request-log}
# variant -> "<tracing> <request log>", the settings start_sluice takes
obs_settings() {
  case $1 in
    plain) echo "off off" ;;
    tracing) echo "on off" ;;
    request-log) echo "off on" ;;
    request-log-bodies) echo "off bodies" ;;
    no-otel) echo "off off" ;;
    *) return 1 ;;
  esac
}
if want observability; then
  for v in $OBS_VARIANTS; do
    obs_settings "$v" >/dev/null || { echo "run.sh: unknown OBS_VARIANTS entry '$v' (plain tracing request-log request-log-bodies no-otel)" >&2; exit 2; }
  done
  [[ " $OBS_VARIANTS " == *" plain "* ]] || { echo "run.sh: OBS_VARIANTS needs 'plain', the baseline the others are compared with" >&2; exit 2; }
fi
JAVA=${JAVA:-java}
MASTER=sk-bench-master-key-0123456789abcdef
MOCK_URL=http://127.0.0.1:$PORT_MOCK/v1/chat/completions
SLUICE_URL=http://127.0.0.1:$PORT_SLUICE/v1/chat/completions
FLOOR_URL=http://127.0.0.1:$PORT_FLOOR/v1/chat/completions
FLOOR_KEY=sk-bench-floor-key-0123456789abcdef
CLK_TCK=$(getconf CLK_TCK)
day=$(date +%Y-%m-%d)
mkdir -p "$OUT"
REPORT="$OUT/$day-$name.md"; CHART="$OUT/$day-$name.png"; RESULTS="$OUT/$day-$name.jsonl"; PROFILE_OUT="$OUT/$day-$name-profile.txt"
: > "$RESULTS"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'run.sh: %s\n' "$*" >&2; exit 1; }

# ---- scratch directory and cleanup -----------------------------------------------------------------------------
WORK=$(mktemp -d /tmp/sluice-bench.XXXXXX)
PIDS=()
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if (( rc != 0 )); then
    log "failed (exit $rc); logs: $WORK"
    for f in "$WORK"/sluice.log "$WORK"/mock.log; do [[ -s "$f" ]] && { echo "--- tail of $f" >&2; tail -n 30 "$f" >&2; }; done
  elif [[ "${KEEP:-0}" != 1 ]]; then
    rm -rf "$WORK"
  else
    log "scratch directory kept: $WORK"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- record helpers --------------------------------------------------------------------------------------------
# jrec key=value...: appends one JSON object to the results (numbers stay numbers)
jrec() {
  local out="{" sep="" kv k v
  for kv in "$@"; do
    k=${kv%%=*}; v=${kv#*=}
    if [[ $v =~ ^-?(0|[1-9][0-9]*)(\.[0-9]+)?$ ]]; then out+="$sep\"$k\":$v"
    else v=${v//\\/\\\\}; v=${v//\"/\\\"}; v=${v//$'\n'/ }; v=${v//$'\t'/ }; out+="$sep\"$k\":\"$v\""; fi
    sep=","
  done
  echo "$out}" >> "$RESULTS"
}
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }   # utime + stime (fields 14, 15)
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
hwm_kb() { awk '/^VmHWM/ { print $2 }' "/proc/$1/status"; }
now_ms() { date +%s%3N; }
phase_mark() { echo "$(now_ms) $1" >> "$WORK/phases.txt"; }   # for the RSS sampler's timeline

# ---- tools -----------------------------------------------------------------------------------------------------
apt_install() {
  local pkgs=("$@")
  log "installing ${pkgs[*]} (Debian packages)"
  local sudo=""
  if (( EUID != 0 )); then command -v sudo >/dev/null || die "need root (or sudo) to apt-get install ${pkgs[*]}"; sudo=sudo; fi
  if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${pkgs[@]}" >"$WORK/apt.log" 2>&1; then
    DEBIAN_FRONTEND=noninteractive $sudo apt-get update -q >>"$WORK/apt.log" 2>&1 || true
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${pkgs[@]}" >>"$WORK/apt.log" 2>&1 \
      || die "apt-get install ${pkgs[*]} failed (see $WORK/apt.log)"
  fi
}
need=()
command -v curl >/dev/null || need+=(curl)
command -v "$JAVA" >/dev/null || die "no java on PATH (a JDK 17+ is needed)"
needs_gateway=0
for s in overhead throughput streaming memory soak; do want $s && needs_gateway=1; done
if { (( needs_gateway )) || want observability; } && ! command -v wrk >/dev/null; then need+=(wrk); fi
PY=/usr/bin/python3
if [[ ! -x $PY ]] || ! $PY -c 'import matplotlib' 2>/dev/null; then need+=(python3-matplotlib); fi
if (( ${#need[@]} )); then apt_install "${need[@]}"; fi
[[ -x $PY ]] || PY=$(command -v python3)
command -v javac >/dev/null || die "javac not found: a JDK (not a JRE) is needed to compile the load generator"

# More descriptors for a thousand concurrent streams (each holds a client and an upstream connection).
if (( $(ulimit -n) < 65536 )); then ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true; fi
(( $(ulimit -n) >= 4096 )) || die "ulimit -n is $(ulimit -n); 1,000 concurrent streams need at least 4096 descriptors"

# ---- the application jar ---------------------------------------------------------------------------------------
JAR=target/quarkus-app/quarkus-run.jar
if [[ ! -f $JAR ]]; then
  while pgrep -f "maven.multiModuleProjectDirectory=$ROOT( |$)" >/dev/null; do
    log "waiting for the Maven build already running in $ROOT"; sleep 10
  done
  if [[ ! -f $JAR ]]; then
    log "building the application jar (./mvnw -B -ntp -q -DskipTests package)"
    ./mvnw -B -ntp -q -DskipTests package || die "the build failed"
  fi
fi
[[ -f $JAR ]] || die "$JAR is missing after the build"
# the observability scenario's no-otel variant: the same sources built with the OpenTelemetry extension left out
# (quarkus.otel.enabled is fixed at build time), to show what tracing costs when it is merely off
JAR_NO_OTEL=target/quarkus-app-no-otel/quarkus-run.jar
if want observability && [[ " $OBS_VARIANTS " == *" no-otel "* ]]; then
  log "building the application without OpenTelemetry (-Dquarkus.otel.enabled=false) into target/quarkus-app-no-otel"
  ./mvnw -B -ntp -q -o -DskipTests package -Dquarkus.otel.enabled=false \
    -Dquarkus.package.output-directory=quarkus-app-no-otel || die "the build without OpenTelemetry failed"
  [[ -f $JAR_NO_OTEL ]] || die "$JAR_NO_OTEL is missing after the build"
fi
CP="$WORK/classes:$ROOT/target/quarkus-app/lib/main/*"
mkdir -p "$WORK/classes"
javac -nowarn -d "$WORK/classes" -cp "$CP" bench/LoadGenerator.java bench/MockUpstream.java bench/ProfilerAttach.java \
  bench/BareProxy.java || die "compiling bench/LoadGenerator.java, MockUpstream.java and BareProxy.java failed"
# the start-up floor: the smallest Quarkus REST app on the same Quarkus version, built with the project's wrapper
BARE_JAR=bench/bare-quarkus/target/quarkus-app/quarkus-run.jar
if want startup && [[ $FLOOR == on ]]; then
  log "building the start-up floor (./mvnw -q -o -f bench/bare-quarkus/pom.xml -DskipTests package)"
  ./mvnw -B -ntp -q -o -f bench/bare-quarkus/pom.xml -DskipTests package >"$WORK/bare-quarkus-build.log" 2>&1 \
    || die "building bench/bare-quarkus failed: $(tail -5 "$WORK/bare-quarkus-build.log")"
  [[ -f $BARE_JAR ]] || die "$BARE_JAR is missing after the build"
fi

for p in $PORT_MOCK $PORT_SLUICE $PORT_AOT $PORT_OTLP $PORT_FLOOR 18090; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then die "port $p is in use (set PORT_BASE to move the benchmark's ports)"; fi
done

# ---- machine -----------------------------------------------------------------------------------------------------
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
jrec kind=machine nproc="$(nproc)" cpu="$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)" \
  mem_gib="$(awk '/MemTotal/ {printf "%.1f", $2/1048576}' /proc/meminfo)" kernel="$(uname -r)" \
  load_before="$load_before" java="$("$JAVA" -version 2>&1 | head -2 | tr '\n' ' ')" \
  commit="$(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src pom.xml 2>/dev/null || echo ' (modified)')" \
  date="$(date -u +%Y-%m-%dT%H:%M:%SZ)" invocation="$invocation" scenarios="${scenarios[*]}" \
  knobs="DURATION=$DURATION WARMUP=$WARMUP_MIN-$WARMUP RATES='$RATES' CONCURRENCY='$CONCURRENCY' STREAMS=$STREAMS STREAM_CHUNKS=$STREAM_CHUNKS STREAM_GAP_MS=$STREAM_GAP_MS TTFT_STREAMS=$TTFT_STREAMS TTFT_CONCURRENCY=$TTFT_CONCURRENCY SOAK_MINUTES=$SOAK_MINUTES SOAK_RATE=$SOAK_RATE FLOOR=$FLOOR TRACING=$TRACING REQUEST_LOG=$REQUEST_LOG$(want observability && echo " OBS_RATE=$OBS_RATE OBS_VARIANTS='$OBS_VARIANTS'")${SLUICE_JAVA_OPTS:+ SLUICE_JAVA_OPTS='$SLUICE_JAVA_OPTS'}" \
  clk_tck="$CLK_TCK" ulimit_n="$(ulimit -n)"
log "machine: $(nproc) cores, load $load_before; scenarios: ${scenarios[*]}; report: $REPORT"
if awk -v l="${load_before%% *}" 'BEGIN { exit !(l > 1.5) }'; then
  log "warning: the load average is $load_before before the run: figures will be noisy (noted in the report)"
fi

# ---- mock upstream and Sluice ------------------------------------------------------------------------------------
wait_http() { # url seconds pid what
  local deadline=$(( $(date +%s) + $2 ))
  until curl -sf -o /dev/null "$1"; do
    kill -0 "$3" 2>/dev/null || die "$4 exited during start-up (log in $WORK)"
    (( $(date +%s) < deadline )) || die "$4 not ready after $2 s"
    sleep 0.1
  done
}

start_mock() {
  "$JAVA" -Xms256m -Xmx256m -XX:+UseParallelGC -cp "$CP" MockUpstream --port "$PORT_MOCK" --threads 2 \
    --chunks "$TTFT_CHUNKS" --gap-us $((TTFT_GAP_MS * 1000)) >"$WORK/mock.log" 2>&1 &
  MOCK_PID=$!; PIDS+=("$MOCK_PID")
  wait_http "http://127.0.0.1:$PORT_MOCK/stats" 30 "$MOCK_PID" "the mock upstream"
}

# TRACING=on: the OTLP/HTTP sink Sluice exports its spans to (a second mock, in its own JVM, so that its CPU is
# not counted as the upstream's)
start_otlp_sink() {
  "$JAVA" -Xms64m -Xmx128m -XX:+UseParallelGC -cp "$CP" MockUpstream --port "$PORT_OTLP" --threads 1 \
    >"$WORK/otlp-sink.log" 2>&1 &
  OTLP_PID=$!; PIDS+=("$OTLP_PID")
  wait_http "http://127.0.0.1:$PORT_OTLP/stats" 30 "$OTLP_PID" "the OTLP sink"
}

# start_sluice [tracing on|off] [request log off|on|bodies] [data directory] [variant]: the packaged jar, the
# virtual key, one checked probe request. Without arguments: the TRACING and REQUEST_LOG switches, $WORK/data.
start_sluice() {
  local tracing=${1:-$TRACING} request_log=${2:-$REQUEST_LOG} data=${3:-$WORK/data} variant=${4:-}
  mkdir -p "$data"
  local t0; t0=$(now_ms)
  local tracing_env=() request_log_env=()
  case $request_log in
    on) request_log_env=(SLUICE_REQUEST_LOG_ENABLED=true) ;;
    bodies) request_log_env=(SLUICE_REQUEST_LOG_ENABLED=true SLUICE_REQUEST_LOG_BODIES=true) ;;
  esac
  if [[ $tracing == on ]]; then
    # every request sampled (the default parent-based always-on sampler), batched and exported as Sluice runs
    tracing_env=(SLUICE_TRACING_OTLP_ENDPOINT="http://127.0.0.1:$PORT_OTLP"
                 QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/protobuf)
  fi
  # shellcheck disable=SC2086
  env ${tracing_env[@]+"${tracing_env[@]}"} SLUICE_MASTER_KEY=$MASTER SLUICE_DATA_DIR="$data" QUARKUS_HTTP_PORT=$PORT_SLUICE QUARKUS_HTTP_HOST=127.0.0.1 \
      OPENAI_API_KEY=sk-bench-upstream-key-not-real SLUICE_PROVIDERS_OPENAI_BASE_URL="http://127.0.0.1:$PORT_MOCK/v1" \
      QUARKUS_LOG_LEVEL=WARN ${request_log_env[@]+"${request_log_env[@]}"} \
    "$JAVA" $SLUICE_JAVA_OPTS -jar "$JAR" >>"$WORK/sluice.log" 2>&1 &
  SLUICE_PID=$!; PIDS+=("$SLUICE_PID")
  wait_http "http://127.0.0.1:$PORT_SLUICE/q/health/ready" 90 "$SLUICE_PID" "Sluice"
  SLUICE_READY_MS=$(( $(now_ms) - t0 ))
  log "Sluice${variant:+ ($variant)} ready in $SLUICE_READY_MS ms (pid $SLUICE_PID)"
  if [[ -z $variant ]]; then jrec kind=rss phase=ready rss_kb="$(rss_kb "$SLUICE_PID")"; fi
  # the virtual key every proxied request uses
  local resp
  resp=$(curl -sS -X POST "http://127.0.0.1:$PORT_SLUICE/admin/keys" -H "Authorization: Bearer $MASTER" \
    -H 'Content-Type: application/json' -d '{"name":"bench","unlimited":true}') || die "POST /admin/keys failed"
  VKEY=$(sed -n 's/.*"key" *: *"\(sk-sluice-[^"]*\)".*/\1/p' <<<"$resp")
  [[ -n $VKEY ]] || die "no virtual key in the answer of POST /admin/keys: $resp"
  KEY_ID=$(sed -n 's/.*"id" *: *"\([^"]*\)".*/\1/p' <<<"$resp")
  # one proxied request, checked: 200, the mock's answer, Sluice's headers
  curl -sS -D "$WORK/probe.headers" -o "$WORK/probe.body" -X POST "$SLUICE_URL" -H "Authorization: Bearer $VKEY" \
    -H 'Content-Type: application/json' -d "$(cat "$WORK/body.json")" || die "the probe request through Sluice failed"
  grep -q '^HTTP/1.1 200' "$WORK/probe.headers" || die "the probe request through Sluice did not get 200: $(head -c 400 "$WORK/probe.body")"
  grep -q 'chatcmpl-bench' "$WORK/probe.body" || die "the probe request was not answered by the mock: $(head -c 400 "$WORK/probe.body")"
  OVERHEAD_HEADER=$(awk -F': ' 'tolower($1)=="x-sluice-overhead-ms" {gsub(/\r/,"",$2); print $2}' "$WORK/probe.headers")
  jrec kind=probe key_id="$KEY_ID" overhead_header="${OVERHEAD_HEADER:-absent}" ${variant:+variant="$variant"}
}

# stop_pid PID: TERM, then up to 20 s for it to exit (so that its port is free again), then KILL; the cleanup
# forgets it (its number may be reused by then)
stop_pid() {
  local p rest=()
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$1" 2>/dev/null; then kill -KILL "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; fi
  for p in "${PIDS[@]}"; do [[ $p == "$1" ]] || rest+=("$p"); done
  PIDS=(${rest[@]+"${rest[@]}"})
}

# start_floor: the bare proxy (bench/BareProxy.java) in front of the same mock, with the same JVM options as Sluice;
# one checked probe (200 with the mock's answer with its key, 401 without)
start_floor() {
  # shellcheck disable=SC2086
  "$JAVA" $SLUICE_JAVA_OPTS -cp "$CP" BareProxy --port "$PORT_FLOOR" --upstream "http://127.0.0.1:$PORT_MOCK" \
    --key "$FLOOR_KEY" >"$WORK/floor.log" 2>&1 &
  FLOOR_PID=$!; PIDS+=("$FLOOR_PID")
  wait_http "http://127.0.0.1:$PORT_FLOOR/ready" 30 "$FLOOR_PID" "the bare proxy"
  local body code
  body=$(curl -sS -X POST "$FLOOR_URL" -H "Authorization: Bearer $FLOOR_KEY" -H 'Content-Type: application/json' \
    -d "$(cat "$WORK/body.json")") || die "the probe request through the bare proxy failed"
  grep -q 'chatcmpl-bench' <<<"$body" || die "the bare proxy did not relay the mock's answer: $(head -c 400 <<<"$body")"
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$FLOOR_URL" -H 'Authorization: Bearer wrong' -d '{}')
  [[ $code == 401 ]] || die "the bare proxy answered $code, not 401, to a wrong key"
  log "bare proxy ready (pid $FLOOR_PID)"
  jrec kind=rss phase=floor-ready target=floor rss_kb="$(rss_kb "$FLOOR_PID")"
}
floor_ticks() { if [[ -n ${FLOOR_PID:-} ]]; then cpu_ticks "$FLOOR_PID"; else echo 0; fi; }
# the URL and the bearer key of a load target (direct: the mock, no key)
target_url() { case $1 in sluice) echo "$SLUICE_URL" ;; floor) echo "$FLOOR_URL" ;; *) echo "$MOCK_URL" ;; esac; }
target_key() { case $1 in sluice) echo "$VKEY" ;; floor) echo "$FLOOR_KEY" ;; esac; }

# the RSS of Sluice every 250 ms, for the whole run: "<epoch ms> <rss kB>"
start_sampler() {
  ( while kill -0 "$SLUICE_PID" 2>/dev/null; do
      echo "$(date +%s%3N) $(awk '/^VmRSS/ {print $2}' "/proc/$SLUICE_PID/status" 2>/dev/null)"; sleep 0.25
    done ) > "$WORK/rss.txt" 2>/dev/null &
  PIDS+=("$!")
}
rss_peak_since() { awk -v t="$1" '$1 >= t && $2 > m { m = $2 } END { print m + 0 }' "$WORK/rss.txt"; }

printf '%s' '{"model":"openai/gpt-4o","messages":[{"role":"user","content":"Hi"}]}' > "$WORK/body.json"

write_lua() { # target: wrk's POST script, with the virtual key for Sluice, the bare proxy's key for the floor
  local auth=""
  if [[ $1 == sluice || $1 == floor ]]; then auth="wrk.headers[\"Authorization\"] = \"Bearer $(target_key "$1")\""; fi
  cat > "$WORK/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$(cat "$WORK/body.json")'
wrk.headers["Content-Type"] = "application/json"
$auth
LUA
}

# C1 only: the generator is fast enough with it and has no C2 compilations competing for the CPU mid-run
loadgen() { "$JAVA" -Xms128m -Xmx512m -XX:+UseParallelGC -XX:TieredStopAtLevel=1 -cp "$CP" LoadGenerator "$@"; }

# ---- warm-up: the JIT compiles the request path before anything is measured
# The JIT needs 30-60 s of saturating load on 2 cores before the request path runs at full speed (C2 busy for
# that long): wrk in 10 s rounds (shorter if WARMUP is) until two rounds agree within 10 % (at least WARMUP_MIN,
# at most WARMUP s). The bare proxy gets the same warm-up. warm_up [variant] [target: sluice (default) or floor]
warm_up() {
  local variant=${1:-} target=${2:-sluice} prev=0 warm=0 rounds="" rps round=$(( WARMUP < 10 ? WARMUP : 10 ))
  (( round > 0 )) || round=1
  log "warm-up${variant:+ ($variant)}${2:+ ($target)}: wrk -c64 in ${round} s rounds until the throughput settles (${WARMUP_MIN}-${WARMUP} s)"
  write_lua "$target"
  while (( warm < WARMUP )); do
    wrk -t2 -c64 -d${round}s -s "$WORK/post.lua" "$(target_url "$target")" > "$WORK/wrk-warmup.txt" 2>&1 || die "wrk warm-up failed: $(cat "$WORK/wrk-warmup.txt")"
    warm=$((warm + round))
    rps=$(awk '/^Requests\/sec/ {printf "%d", $2}' "$WORK/wrk-warmup.txt")
    rounds+="${rounds:+ }$rps"
    if (( warm >= WARMUP_MIN && prev > 0 )) && awk -v a="$prev" -v b="$rps" 'BEGIN { d = (b - a) / a; exit !(d < 0.10 && d > -0.10) }'; then break; fi
    prev=$rps
  done
  log "  warm-up rounds (req/s per ${round} s): $rounds"
  jrec kind=warmup seconds="$warm" round_s="$round" rounds="$rounds" ${variant:+variant="$variant"} ${2:+target="$target"}
}

if (( needs_gateway )); then
  start_mock
  if [[ $TRACING == on ]]; then start_otlp_sink; fi
  start_sluice
  start_sampler
  phase_mark warmup
  warm_up
  log "  then 200 streams"
  loadgen stream --url "$SLUICE_URL" --streams 200 --concurrency 20 --chunks 10 --gap-us 1000 \
    --header "Authorization: Bearer $VKEY" --tag kind=warmup >/dev/null
  loadgen rate --url "$MOCK_URL" --rate 2000 --duration 3 --warmup 0 --connections 64 --body-file "$WORK/body.json" \
    --tag kind=warmup >/dev/null
  if [[ $FLOOR == on ]] && { want overhead || want throughput || want streaming; }; then
    start_floor
    warm_up "" floor
    loadgen stream --url "$FLOOR_URL" --streams 200 --concurrency 20 --chunks 10 --gap-us 1000 \
      --header "Authorization: Bearer $FLOOR_KEY" --tag kind=warmup >/dev/null
  fi
  sleep 3
  jrec kind=rss phase=idle rss_kb="$(rss_kb "$SLUICE_PID")"
fi

# one measured run of the open-loop generator against a target, with Sluice's and the mock's CPU over it
rate_run() { # scenario target rate duration [extra args]
  local scenario=$1 target=$2 rate=$3 duration=$4; shift 4
  local url auth=()
  url=$(target_url "$target")
  if [[ $target != direct ]]; then auth=(--header "Authorization: Bearer $(target_key "$target")"); fi
  local c0 m0 f0 c1 m1 f1 line
  c0=$(cpu_ticks "$SLUICE_PID"); m0=$(cpu_ticks "$MOCK_PID"); f0=$(floor_ticks)
  line=$(loadgen rate --url "$url" --rate "$rate" --duration "$duration" --warmup 3 --connections 256 \
    --body-file "$WORK/body.json" "${auth[@]}" --tag scenario="$scenario" --tag target="$target" "$@")
  c1=$(cpu_ticks "$SLUICE_PID"); m1=$(cpu_ticks "$MOCK_PID"); f1=$(floor_ticks)
  # the CPU figures cover the 3 s warm-up too: divide by every request of the invocation
  local total; total=$(awk -v r="$rate" -v d="$duration" 'BEGIN { printf "%d", r * (d + 3) }')
  echo "${line%\}},\"sluice_cpu_ticks\":$((c1 - c0)),\"mock_cpu_ticks\":$((m1 - m0)),\"floor_cpu_ticks\":$((f1 - f0)),\"requests_incl_warmup\":$total}" >> "$RESULTS"
  grep -o '"latency_p50_ms":[^,]*,"latency_p90_ms":[^,]*,"latency_p99_ms":[^,]*' <<<"$line" | tr -d '"' | sed "s/^/  $target @ $rate req\/s: /" >&2
}

# ---- optional CPU profile of Sluice over the measured load scenarios (after the warm-up) -------------------------
JDK_BIN=$(dirname "$(readlink -f "$(command -v "$JAVA")")")
profile_start() {
  case "${PROFILE:-0}" in
    0|"") return 0 ;;
    1|jfr)
      "$JDK_BIN/jcmd" "$SLUICE_PID" JFR.start name=bench settings=profile filename="$WORK/sluice.jfr" >/dev/null \
        || die "could not start JFR in Sluice" ;;
    async)
      local lib=${ASYNC_PROFILER_LIB:-}
      if [[ -z $lib ]]; then
        local jar; jar=$(ls ~/.m2/repository/tools/profiler/async-profiler/*/async-profiler-*.jar 2>/dev/null | grep -v sources | tail -1 || true)
        if [[ -z $jar ]]; then
          log "fetching async-profiler from Maven Central (tools.profiler:async-profiler:4.1)"
          ./mvnw -q -B -ntp dependency:get -Dartifact=tools.profiler:async-profiler:4.1 -Dtransitive=false >/dev/null \
            || die "could not fetch async-profiler (set ASYNC_PROFILER_LIB=/path/libasyncProfiler.so, or use PROFILE=jfr)"
          jar=$(ls ~/.m2/repository/tools/profiler/async-profiler/4.1/async-profiler-4.1.jar)
        fi
        (cd "$WORK" && unzip -o -q "$jar" 'linux-x64/*') || die "could not unpack $jar"
        lib=$WORK/linux-x64/libasyncProfiler.so
      fi
      ASYNC_LIB=$lib
      "$JAVA" -cp "$WORK/classes" ProfilerAttach "$SLUICE_PID" "$lib" start,event=cpu,interval=1ms 2>/dev/null \
        || "$JAVA" -cp "$WORK/classes" ProfilerAttach "$SLUICE_PID" "$lib" start,event=itimer,interval=1ms \
        || die "could not load async-profiler into Sluice" ;;
    *) die "PROFILE must be jfr (or 1) or async" ;;
  esac
  log "profiling Sluice (${PROFILE})"
}
profile_stop() {
  case "${PROFILE:-0}" in
    0|"") return 0 ;;
    1|jfr)
      "$JDK_BIN/jcmd" "$SLUICE_PID" JFR.stop name=bench >/dev/null || { log "JFR.stop failed"; return 0; }
      "$JDK_BIN/jfr" print --events jdk.ExecutionSample --stack-depth 64 "$WORK/sluice.jfr" > "$WORK/profile.txt" ;;
    async)
      "$JAVA" -cp "$WORK/classes" ProfilerAttach "$SLUICE_PID" "$ASYNC_LIB" "stop,file=$WORK/profile.txt,collapsed" \
        || { log "stopping async-profiler failed"; return 0; } ;;
  esac
  $PY bench/profile_top.py "$WORK/profile.txt" 40 > "$PROFILE_OUT" && log "profile: $PROFILE_OUT"
  jrec kind=profile mode="$PROFILE" file="$(basename "$PROFILE_OUT")"
}
if (( needs_gateway )); then profile_start; fi

# ---- overhead at fixed rates -------------------------------------------------------------------------------------
if want overhead; then
  for rate in $RATES; do
    log "overhead: $rate req/s for ${DURATION}s, direct, through the bare proxy, then through Sluice"
    phase_mark "overhead-$rate"
    rate_run overhead direct "$rate" "$DURATION"
    if [[ -n ${FLOOR_PID:-} ]]; then rate_run overhead floor "$rate" "$DURATION"; fi
    rate_run overhead sluice "$rate" "$DURATION"
  done
fi

# ---- maximum throughput --------------------------------------------------------------------------------------------
wrk_run() { # target connections duration
  local target=$1 conns=$2 duration=$3 url
  url=$(target_url "$target")
  write_lua "$target"
  wrk -t2 -c"$conns" -d3s -s "$WORK/post.lua" "$url" >/dev/null 2>&1 || true   # warm-up (connections, JIT)
  local c0 m0 f0 c1 m1 f1 t0 out
  c0=$(cpu_ticks "$SLUICE_PID"); m0=$(cpu_ticks "$MOCK_PID"); f0=$(floor_ticks); t0=$(now_ms)
  out=$(wrk -t2 -c"$conns" -d"${duration}s" --timeout 10s --latency -s "$WORK/post.lua" "$url" 2>&1) || die "wrk failed: $out"
  c1=$(cpu_ticks "$SLUICE_PID"); m1=$(cpu_ticks "$MOCK_PID"); f1=$(floor_ticks)
  echo "$out" > "$WORK/wrk-$target-$conns.txt"
  local rps reqs p50 p90 p99 max non2xx sockerr
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  reqs=$(awk '/requests in/ {print $1}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out"); p90=$(awk '$1=="90%" {print $2}' <<<"$out"); p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  max=$(awk '$1=="Latency" {print $4}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  sockerr=$(awk '/Socket errors/ {gsub(/,/,""); print $4 + $6 + $8 + $10}' <<<"$out")
  jrec scenario=throughput target="$target" connections="$conns" duration_s="$duration" rps="$rps" requests="$reqs" \
    p50="$p50" p90="$p90" p99="$p99" max="$max" non2xx="${non2xx:-0}" socket_errors="${sockerr:-0}" \
    sluice_cpu_ticks=$((c1 - c0)) mock_cpu_ticks=$((m1 - m0)) floor_cpu_ticks=$((f1 - f0)) rss_peak_kb="$(rss_peak_since "$t0")" \
    rss_end_kb="$(rss_kb "$SLUICE_PID")" ${FLOOR_PID:+floor_rss_end_kb="$(rss_kb "$FLOOR_PID")"}
  log "  $target c$conns: $rps req/s, p50 $p50, p99 $p99, non-2xx ${non2xx:-0}, socket errors ${sockerr:-0}"
}
if want throughput; then
  for c in $CONCURRENCY; do
    log "throughput: wrk -t2 -c$c -d${DURATION}s, direct, through the bare proxy, then through Sluice"
    phase_mark "throughput-$c"
    wrk_run direct "$c" "$DURATION"
    if [[ -n ${FLOOR_PID:-} ]]; then wrk_run floor "$c" "$DURATION"; fi
    wrk_run sluice "$c" "$DURATION"
  done
fi

# ---- streaming -----------------------------------------------------------------------------------------------------
stream_run() { # scenario target streams concurrency chunks gap_ms warmup_streams
  local scenario=$1 target=$2 streams=$3 conc=$4 chunks=$5 gap=$6 warm=${7:-0} url auth=()
  url=$(target_url "$target")
  if [[ $target != direct ]]; then auth=(--header "Authorization: Bearer $(target_key "$target")"); fi
  curl -sf -X POST "http://127.0.0.1:$PORT_MOCK/stats" >/dev/null
  local c0 f0 t0 line stats
  c0=$(cpu_ticks "$SLUICE_PID"); f0=$(floor_ticks); t0=$(now_ms)
  line=$(loadgen stream --url "$url" --streams "$streams" --concurrency "$conc" --chunks "$chunks" --gap-us $((gap * 1000)) \
    --warmup-streams "$warm" \
    "${auth[@]}" --tag scenario="$scenario" --tag target="$target")
  stats=$(curl -sf "http://127.0.0.1:$PORT_MOCK/stats")
  echo "${line%\}},\"sluice_cpu_ticks\":$(( $(cpu_ticks "$SLUICE_PID") - c0 )),\"floor_cpu_ticks\":$(( $(floor_ticks) - f0 )),\"warmup_streams\":$warm,\"mock_peak_streams\":$(sed 's/.*"peak_streams":\([0-9]*\).*/\1/' <<<"$stats"),\"rss_peak_kb\":$(rss_peak_since "$t0")}" >> "$RESULTS"
  grep -o '"completed":[0-9]*,"failed":[0-9]*,"bad_streams":[0-9]*,"lost_chunks":[0-9]*,"duplicated_chunks":[0-9]*,"reordered_chunks":[0-9]*' <<<"$line" | tr -d '"' | sed "s/^/  $target: /" >&2
  grep -o '"ttft_p50_ms":[^,]*\|"chunk_delay_p50_ms":[^,]*\|"wall_s":[^,]*' <<<"$line" | tr -d '"' | tr '\n' ' ' | sed "s/^/  $target: /" >&2; echo >&2
}
if want streaming; then
  log "streaming: time to first token and chunk delay, $TTFT_STREAMS streams ($TTFT_CONCURRENCY at a time, $TTFT_CHUNKS chunks ${TTFT_GAP_MS} ms apart)"
  phase_mark streaming-ttft
  stream_run stream-ttft direct "$TTFT_STREAMS" "$TTFT_CONCURRENCY" "$TTFT_CHUNKS" "$TTFT_GAP_MS" 60
  # the floor for time to first token (cheap: a few streams at a time); not in the 1,000-stream run
  if [[ -n ${FLOOR_PID:-} ]]; then stream_run stream-ttft floor "$TTFT_STREAMS" "$TTFT_CONCURRENCY" "$TTFT_CHUNKS" "$TTFT_GAP_MS" 60; fi
  stream_run stream-ttft sluice "$TTFT_STREAMS" "$TTFT_CONCURRENCY" "$TTFT_CHUNKS" "$TTFT_GAP_MS" 60
  log "streaming: $STREAMS concurrent streams ($STREAM_CHUNKS chunks ${STREAM_GAP_MS} ms apart), every chunk checked"
  phase_mark streaming-concurrent
  stream_run stream-concurrent direct "$STREAMS" "$STREAMS" "$STREAM_CHUNKS" "$STREAM_GAP_MS"
  stream_run stream-concurrent sluice "$STREAMS" "$STREAMS" "$STREAM_CHUNKS" "$STREAM_GAP_MS"
fi

# ---- memory ----------------------------------------------------------------------------------------------------------
heap_after_gc_kb() { # forces a full GC, prints the heap in use after it (kB)
  local jcmd; jcmd=$(dirname "$(readlink -f "$(command -v "$JAVA")")")/jcmd
  [[ -x $jcmd ]] || { echo 0; return; }
  "$jcmd" "$SLUICE_PID" GC.run >/dev/null 2>&1 || true
  # G1 prints one "garbage-first heap ... used" line; the serial and parallel collectors one per generation
  "$jcmd" "$SLUICE_PID" GC.heap_info 2>/dev/null | awk '/heap|generation/ && /used/ {
      for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i+1); sub(/K.*/, "", v); sum += v } }
      END { print sum + 0 }'
}
if want memory && (( needs_gateway )); then
  sleep 2
  jrec kind=rss phase=after-load rss_kb="$(rss_kb "$SLUICE_PID")" hwm_kb="$(hwm_kb "$SLUICE_PID")" \
    heap_after_gc_kb="$(heap_after_gc_kb)"
fi

# ---- soak (opt-in) -------------------------------------------------------------------------------------------------
if want soak; then
  log "soak: ${SOAK_MINUTES} min at ${SOAK_RATE} req/s plus $SOAK_STREAMS streams at a time (RSS every 10 s)"
  phase_mark soak
  jrec kind=soak-sample minute=0 rss_kb="$(rss_kb "$SLUICE_PID")" heap_after_gc_kb="$(heap_after_gc_kb)"
  soak_s=$((SOAK_MINUTES * 60))
  c0=$(cpu_ticks "$SLUICE_PID")
  loadgen rate --url "$SLUICE_URL" --rate "$SOAK_RATE" --duration "$soak_s" --warmup 0 --connections 256 \
    --body-file "$WORK/body.json" --header "Authorization: Bearer $VKEY" --tag scenario=soak --tag target=sluice \
    > "$WORK/soak-rate.json" &
  soak_rate_pid=$!; PIDS+=("$soak_rate_pid")
  # streams of 100 chunks 50 ms apart (5 s each), SOAK_STREAMS at a time, for the whole soak
  soak_streams=$(( soak_s * SOAK_STREAMS / 5 ))
  loadgen stream --url "$SLUICE_URL" --streams "$soak_streams" --concurrency "$SOAK_STREAMS" --chunks 100 --gap-us 50000 \
    --header "Authorization: Bearer $VKEY" --tag scenario=soak-streams --tag target=sluice > "$WORK/soak-streams.json" &
  soak_stream_pid=$!; PIDS+=("$soak_stream_pid")
  t_start=$(date +%s)
  while kill -0 "$soak_rate_pid" 2>/dev/null; do
    sleep 10
    jrec kind=soak-sample minute="$(awk -v s=$(( $(date +%s) - t_start )) 'BEGIN { printf "%.2f", s / 60 }')" rss_kb="$(rss_kb "$SLUICE_PID")"
  done
  wait "$soak_rate_pid" || die "the soak's load generator failed"
  wait "$soak_stream_pid" || log "the soak's stream generator ended with an error"
  c1=$(cpu_ticks "$SLUICE_PID")
  cat "$WORK/soak-rate.json" >> "$RESULTS"; cat "$WORK/soak-streams.json" >> "$RESULTS" 2>/dev/null || true
  sleep 5
  jrec kind=soak-end rss_kb="$(rss_kb "$SLUICE_PID")" heap_after_gc_kb="$(heap_after_gc_kb)" sluice_cpu_ticks=$((c1 - c0))
fi

if (( needs_gateway )); then profile_stop; fi

# ---- the ledger recorded every proxied request -----------------------------------------------------------------------
if (( needs_gateway )); then
  sleep 1
  usage=$(curl -sf "http://127.0.0.1:$PORT_SLUICE/admin/usage?group_by=key" -H "Authorization: Bearer $MASTER" || echo '{}')
  metric_total=$(curl -sf "http://127.0.0.1:$PORT_SLUICE/q/metrics" -H "Authorization: Bearer $MASTER" | awk '/^sluice_requests_total[{ ]/ { s += $NF } END { printf "%d", s }')
  jrec kind=ledger total_requests="$(sed -n 's/.*"total_requests" *: *\([0-9]*\).*/\1/p' <<<"$usage" | head -1)" \
    metric_requests="$metric_total" \
    mock_requests="$(curl -sf "http://127.0.0.1:$PORT_MOCK/stats" | sed 's/.*"requests":\([0-9]*\).*/\1/')" \
    db_bytes="$(du -sb "$WORK/data" | cut -f1)"
  jrec kind=rss phase=end rss_kb="$(rss_kb "$SLUICE_PID")" hwm_kb="$(hwm_kb "$SLUICE_PID")"
  # the RSS timeline, for the report
  awk -v OFS=' ' '{print}' "$WORK/phases.txt" > /dev/null 2>&1 || true
  jrec kind=rss-timeline samples="$(wc -l < "$WORK/rss.txt")" peak_kb="$(rss_peak_since 0)"
  while read -r t ph; do
    next_t=$(awk -v t="$t" '$1 > t { print $1; exit }' "$WORK/phases.txt")
    jrec kind=rss-phase phase="$ph" peak_kb="$(awk -v a="$t" -v b="${next_t:-99999999999999}" '$1 >= a && $1 < b && $2 > m { m = $2 } END { print m + 0 }' "$WORK/rss.txt")"
  done < "$WORK/phases.txt"
  if [[ $TRACING == on ]]; then
    # what reached the sink: proves the spans were exported during the run, not dropped
    sink=$(curl -sS "http://127.0.0.1:$PORT_OTLP/stats" || echo '{}')
    jrec kind=otlp_sink exports="$(sed -n 's/.*"trace_exports":\([0-9]*\).*/\1/p' <<<"$sink")" \
      bytes="$(sed -n 's/.*"trace_bytes":\([0-9]*\).*/\1/p' <<<"$sink")"
    log "tracing on: the OTLP sink received $(sed -n 's/.*"trace_exports":\([0-9]*\).*/\1/p' <<<"$sink") exports"
  fi
  stop_pid "$SLUICE_PID"
  if [[ -n ${FLOOR_PID:-} ]]; then stop_pid "$FLOOR_PID"; FLOOR_PID=""; fi
  stop_pid "$MOCK_PID"
fi

# ---- observability: tracing and the request log, off and on, in the same run --------------------------------------
# One Sluice per variant, one after the other on the same port, each with its own data directory: started, warmed
# up like the others, then measured at OBS_RATE req/s open loop (CPU per request of the Sluice process, latency
# percentiles). The report compares each variant with the plain one (bench/report.py, "Observability cost").

# obs_counters: "<trace exports> <trace bytes> <request-log rows written> <rows dropped>" so far
obs_counters() {
  local sink metrics
  sink=$(curl -sS "http://127.0.0.1:$PORT_OTLP/stats" || echo '{}')
  metrics=$(curl -sf "http://127.0.0.1:$PORT_SLUICE/q/metrics" -H "Authorization: Bearer $MASTER" || true)
  printf '%d %d %d %d\n' "$(sed -n 's/.*"trace_exports":\([0-9]*\).*/\1/p' <<<"$sink")" \
    "$(sed -n 's/.*"trace_bytes":\([0-9]*\).*/\1/p' <<<"$sink")" \
    "$(awk '/^sluice_request_log_rows_total\{/ && /result="written"/ { s += $NF } END { printf "%d", s }' <<<"$metrics")" \
    "$(awk '/^sluice_request_log_rows_total\{/ && /result="dropped"/ { s += $NF } END { printf "%d", s }' <<<"$metrics")"
}
if want observability; then
  log "observability: ${OBS_RATE} req/s for ${DURATION}s through Sluice, variants: $OBS_VARIANTS"
  start_mock
  [[ -n ${OTLP_PID:-} ]] || start_otlp_sink
  seq_no=0
  for v in $OBS_VARIANTS; do
    seq_no=$((seq_no + 1))
    read -r obs_tracing obs_log <<<"$(obs_settings "$v")"
    phase_mark "observability-$seq_no-$v"
    jar_saved=$JAR
    [[ $v == no-otel ]] && JAR=$JAR_NO_OTEL
    start_sluice "$obs_tracing" "$obs_log" "$WORK/data-obs-$seq_no-$v" "$v"
    JAR=$jar_saved
    warm_up "$v"
    sink0=$(obs_counters)
    rate_run observability sluice "$OBS_RATE" "$DURATION" --tag variant="$v" --tag seq="$seq_no" \
      --tag tracing="$obs_tracing" --tag request_log="$obs_log"
    # what reached the sink and the store: proves the variant really ran with its feature on (or off)
    # spans are exported in batches and rows written in batches: give the last batch time to leave
    sleep 2
    read -r exports trace_bytes rows_written rows_dropped < <(paste -d' ' <(tr ' ' '\n' <<<"$(obs_counters)") \
      <(tr ' ' '\n' <<<"$sink0") | awk '{ printf "%d ", $1 - $2 } END { print "" }')
    jrec kind=observability-check variant="$v" seq="$seq_no" tracing="$obs_tracing" request_log="$obs_log" \
      ready_ms="$SLUICE_READY_MS" rss_kb="$(rss_kb "$SLUICE_PID")" trace_exports="$exports" trace_bytes="$trace_bytes" \
      log_rows_written="$rows_written" log_rows_dropped="$rows_dropped"
    log "  $v: during the measured run (its 3 s warm-up included) $exports trace exports ($trace_bytes bytes), $rows_written request-log rows written, $rows_dropped dropped"
    stop_pid "$SLUICE_PID"
  done
  stop_pid "$MOCK_PID"
fi

# ---- start-up --------------------------------------------------------------------------------------------------------
# Each way of starting Sluice is followed at once by the same for the start-up floor (bench/bare-quarkus, same JDK,
# same options), so that a slow moment of the machine hits both; the report gives Sluice's time as a ratio to it.
startup_row() { # label app(sluice|bare-quarkus) mode java-command...
  local label=$1 app=$2 mode=$3; shift 3
  local out
  out=$(RUNS=$STARTUP_RUNS bash bench/startup.sh "$label" "$@" 2>&1) || { log "start-up '$label' failed: $out"; jrec kind=startup label="$label" app="$app" mode="$mode" error="$out"; return; }
  log "  $out"
  jrec kind=startup label="$label" app="$app" mode="$mode" \
    ms="$(awk '{ for (i = 1; i <= NF; i++) if ($i == "ms") print $(i-1) }' <<<"$out" | tail -1)" \
    rss_mb="$(awk '{ for (i = 1; i <= NF; i++) if ($i == "MB") print $(i-1) }' <<<"$out" | tail -1)" runs="$STARTUP_RUNS" \
    command="${*//$WORK/<scratch>}"
}
bare_row() { # label mode java-command... (the floor, when FLOOR=on)
  if [[ $FLOOR == on ]]; then startup_row "$1" bare-quarkus "${@:2}"; fi
}
# train_bare_aot JDK25-java cache: the bare app's AOT cache, recorded as aot-train.sh records Sluice's (start, first
# requests, stop; the JVM writes the cache as it exits)
train_bare_aot() {
  local java=$1 cache=$2 pid ok=0
  # shellcheck disable=SC2086
  "$java" $SLUICE_JAVA_OPTS -XX:AOTCacheOutput="$cache" -Dquarkus.http.port="$PORT_AOT" -Dquarkus.http.host=127.0.0.1 -jar "$BARE_JAR" \
    >"$WORK/bare-aot-train.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do
    if curl -sf -o /dev/null "http://127.0.0.1:$PORT_AOT/v1/models"; then ok=1; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  for _ in 1 2 3; do curl -sf -o /dev/null "http://127.0.0.1:$PORT_AOT/v1/models" || true; done
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  (( ok )) && [[ -s $cache ]]
}
if want startup; then
  log "start-up: time to the first served request and RSS (median of $STARTUP_RUNS starts each), Sluice then its floor"
  # both with the options users get (SLUICE_JAVA_OPTS), as the load scenarios
  # shellcheck disable=SC2086
  startup_row "JVM, JDK 17 (default java)" sluice jdk17 "$JAVA" $SLUICE_JAVA_OPTS -jar "$JAR"
  # shellcheck disable=SC2086
  bare_row "bare Quarkus, JDK 17" jdk17 "$JAVA" $SLUICE_JAVA_OPTS -jar "$BARE_JAR"
  if [[ -x $JDK25/bin/java ]]; then
    j25v=$("$JDK25/bin/java" -version 2>&1 | head -1)
    # shellcheck disable=SC2086
    startup_row "JVM, JDK 25, no AOT cache" sluice jdk25 "$JDK25/bin/java" $SLUICE_JAVA_OPTS -jar "$JAR"
    # shellcheck disable=SC2086
    bare_row "bare Quarkus, JDK 25, no AOT cache" jdk25 "$JDK25/bin/java" $SLUICE_JAVA_OPTS -jar "$BARE_JAR"
    log "  training the AOT cache with src/main/docker/aot-train.sh (JDK 25)"
    printf '%s\n' $SLUICE_JAVA_OPTS > "$WORK/jvm.options"   # the training runs with the options the cache is used with
    if PATH="$JDK25/bin:$PATH" AOT_TRAIN_PORT=$PORT_AOT JVM_OPTIONS_FILE="$WORK/jvm.options" bash src/main/docker/aot-train.sh "$ROOT/target/quarkus-app" "$WORK/app.aot" \
         > "$WORK/aot-train.log" 2>&1 && [[ -s $WORK/app.aot ]]; then
      jrec kind=aot cache_mb="$(du -m "$WORK/app.aot" | cut -f1)" jdk="$j25v"
      # as the JVM image runs it (src/main/docker/Dockerfile.jvm): its options and the cache
      # shellcheck disable=SC2086
      startup_row "JVM, JDK 25 + AOT cache" sluice jdk25-aot "$JDK25/bin/java" $SLUICE_JAVA_OPTS -XX:AOTCache="$WORK/app.aot" -jar "$JAR"
    else
      log "  AOT training failed: $(tail -3 "$WORK/aot-train.log")"
      jrec kind=startup label="JVM, JDK 25 + AOT cache" app=sluice mode=jdk25-aot error="training failed: $(tail -3 "$WORK/aot-train.log")"
    fi
    if [[ $FLOOR == on ]]; then
      if train_bare_aot "$JDK25/bin/java" "$WORK/bare.aot"; then
        # shellcheck disable=SC2086
        bare_row "bare Quarkus, JDK 25 + AOT cache" jdk25-aot "$JDK25/bin/java" $SLUICE_JAVA_OPTS -XX:AOTCache="$WORK/bare.aot" -jar "$BARE_JAR"
      else
        jrec kind=startup label="bare Quarkus, JDK 25 + AOT cache" app=bare-quarkus mode=jdk25-aot error="training failed: $(tail -3 "$WORK/bare-aot-train.log")"
      fi
    fi
  else
    jrec kind=startup label="JVM, JDK 25 + AOT cache" app=sluice mode=jdk25-aot error="no JDK 25 at $JDK25 (set JDK25=...)"
  fi
fi

# ---- extraction ------------------------------------------------------------------------------------------------------
if want extraction; then
  if [[ -d $EXTRACT_DIR/html ]]; then
    log "extraction: bench/extract-quality.sh $EXTRACT_DIR"
    if BENCH_OUT="$WORK/extract/predictions.jsonl" bash bench/extract-quality.sh "$EXTRACT_DIR" > "$WORK/extract.txt" 2>&1; then erc=0; else erc=$?; fi
    cp "$WORK/extract.txt" "$OUT/$day-$name-extraction.txt"
    ex="$WORK/extract.txt"
    jrec kind=extraction dir="$EXTRACT_DIR" exit_code="$erc" output_file="$day-$name-extraction.txt" \
      pages="$(sed -n 's/^pages=\([0-9]*\).*/\1/p' "$ex" | tail -1)" \
      ms_p50="$(sed -n 's/^ms\/page .*p50=\([0-9.]*\).*/\1/p' "$ex" | tail -1)" \
      ms_p90="$(sed -n 's/^ms\/page .*p90=\([0-9.]*\).*/\1/p' "$ex" | tail -1)" \
      ms_p99="$(sed -n 's/^ms\/page .*p99=\([0-9.]*\).*/\1/p' "$ex" | tail -1)" \
      ms_mean="$(sed -n 's/^ms\/page .*mean=\([0-9.]*\).*/\1/p' "$ex" | tail -1)" \
      ms_max="$(sed -n 's/^ms\/page .*max=\([0-9.]*\).*/\1/p' "$ex" | tail -1)" \
      pages_per_s="$(sed -n 's/^pages\/s=\([0-9.]*\).*/\1/p' "$ex" | tail -1)" \
      f1="$(awk '$1 == "F1" { print $2 }' "$ex" | tail -1)" \
      verdict="$(grep -E '^extract-quality: (OK|FAIL)' "$ex" | tail -1)"
    grep -E 'pages|ms|F1|leak' "$WORK/extract.txt" | head -20 | sed 's/^/  /' >&2 || true
  else
    jrec kind=extraction dir="$EXTRACT_DIR" skipped="no benchmark pages at $EXTRACT_DIR"
    log "extraction: skipped (no $EXTRACT_DIR)"
  fi
fi

# ---- report ----------------------------------------------------------------------------------------------------------
wall=$(( $(date +%s) - started_at ))
jrec kind=end wall_s="$wall" load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
$PY bench/report.py "$RESULTS" "$REPORT" "$CHART" || die "bench/report.py failed"
log "done in $((wall / 60)) min $((wall % 60)) s: $REPORT, $CHART"
