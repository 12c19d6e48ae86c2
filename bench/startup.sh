#!/usr/bin/env bash
# Time from launch to the first served request, and RSS at that moment, for one way of starting Sluice.
# Usage: bench/startup.sh <label> <command...>   (run from the repository root; the command must listen on :18090)
# bench/run.sh times Sluice and its start-up floor (bench/bare-quarkus, which ignores the key) with it, alike.
# Prints: <label> <ms to first response> <RSS MB>. Repeats 5 times (env RUNS) and prints the median.
set -euo pipefail
label=$1; shift
runs=${RUNS:-5}
key=startup-bench-master-key-0123456789abcdef
results=()
for run in $(seq 1 "$runs"); do
  data=$(mktemp -d)
  start=$(date +%s%N)
  SLUICE_MASTER_KEY=$key SLUICE_DATA_DIR=$data QUARKUS_HTTP_PORT=18090 "$@" >"$data/out.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null -H "Authorization: Bearer $key" http://127.0.0.1:18090/v1/models; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "it exited:"; cat "$data/out.log"; exit 1; fi
    sleep 0.005
  done
  end=$(date +%s%N)
  child=$(pgrep -P "$pid" java || echo "$pid")
  rss=$(awk '/VmRSS/ {print int($2/1024)}' /proc/"$child"/status 2>/dev/null || awk '/VmRSS/ {print int($2/1024)}' /proc/"$pid"/status)
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$data"
  results+=("$(( (end - start) / 1000000 )) $rss")
done
printf '%s\n' "${results[@]}" | sort -n | awk -v label="$label" -v n="$runs" \
  '{ms[NR]=$1; rss[NR]=$2} END {m=int((n+1)/2); printf "%-28s %6d ms  %4d MB RSS  (median of %d runs)\n", label, ms[m], rss[m], n}'
