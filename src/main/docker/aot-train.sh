#!/usr/bin/env bash
# Records the JVM's ahead-of-time cache for Sluice (JDK 25+, JEP 483/514): starts the application with
# -XX:AOTCacheOutput, waits until it is ready, sends the requests a gateway serves first (so that the request
# path's classes are cached too), then stops it; the JVM writes the cache as it exits.
#
# Usage: aot-train.sh <quarkus-app directory> [cache file, default app.aot]
# The JVM options file the application runs with (the cache is valid only for the same ones): JVM_OPTIONS_FILE,
# else jvm.options next to quarkus-run.jar (where the JVM image puts src/main/jvm/jvm.options), else none.
# Needs only bash and java (HTTP goes over bash's /dev/tcp), so it runs in a plain JRE image.
set -euo pipefail
app_dir=${1:?usage: aot-train.sh <quarkus-app dir> [cache]}
cache=${2:-app.aot}
port=${AOT_TRAIN_PORT:-18080}
cd "$app_dir"
options_file=${JVM_OPTIONS_FILE:-$PWD/jvm.options}
options=()
if [[ -f $options_file ]]; then options=("@$options_file"); fi
export SLUICE_MASTER_KEY=aot-training-key-not-used-at-runtime SLUICE_DATA_DIR=$(mktemp -d)

http() { # method path [body]: prints the status line
  local body=${3:-}
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
  printf '%s %s HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
    "$1" "$2" "$SLUICE_MASTER_KEY" "${#body}" "$body" >&3
  head -1 <&3 || true
  exec 3<&- 3>&- || true
}

java ${options[@]+"${options[@]}"} -XX:AOTCacheOutput="$cache" -Dquarkus.http.port="$port" -Dquarkus.http.host=127.0.0.1 -jar quarkus-run.jar &
pid=$!
for _ in $(seq 1 120); do
  if http GET /q/health/ready 2>/dev/null | grep -q ' 200'; then break; fi
  sleep 0.5
done
http GET /v1/models >/dev/null || true
http POST /v1/chat/completions '{"model":"nope/none","messages":[{"role":"user","content":"hi"}]}' >/dev/null || true
http POST /v1/chat/completions '{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"hi"}]}' >/dev/null || true
http POST /v1/embeddings '{"model":"text-embedding-3-small","input":"hi"}' >/dev/null || true
http POST /v1/extract '{"html":"<html><body><article><h1>T</h1><p>Some text here.</p></article></body></html>"}' >/dev/null || true
http GET /q/metrics >/dev/null || true
kill -TERM "$pid"
wait "$pid" || true
rm -rf "$SLUICE_DATA_DIR"
test -s "$cache" && echo "AOT cache written: $app_dir/$cache ($(du -h "$cache" | cut -f1))"
