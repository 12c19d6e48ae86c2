#!/usr/bin/env bash
# Measures what routing through a model group costs compared with a plain provider/model name: the same
# nginx-served completion behind Sluice, once as "openai/gpt-4o" (one provider) and once as the model group
# "bench" (three deployments, weighted-random, breakers on). Prints wrk's figures for each.
# Needs: nginx (apt-get install nginx-light), wrk, a built jar (./mvnw -DskipTests package).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT_MOCK=${PORT_MOCK:-18099}
PORT=${PORT:-18080}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
work=$(mktemp -d)
trap 'kill $(cat "$work/sluice.pid" 2>/dev/null) 2>/dev/null || true; nginx -p "$work" -c nginx.conf -s stop 2>/dev/null || true; rm -rf "$work"' EXIT

completion='{"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"Hello there"},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}'
mkdir -p "$work/logs"
cat > "$work/nginx.conf" <<NGINX
worker_processes 1;
error_log $work/logs/error.log;
pid $work/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work;
  server {
    listen 127.0.0.1:$PORT_MOCK;
    location / { default_type application/json; return 200 '$completion'; }
  }
}
NGINX
nginx -p "$work" -c nginx.conf

cat > "$work/models.yaml" <<YAML
groups:
  bench:
    deployments:
      - {id: bench-a, provider: openai, model: gpt-4o, base-url: "http://127.0.0.1:$PORT_MOCK/a/v1"}
      - {id: bench-b, provider: openai, model: gpt-4o, base-url: "http://127.0.0.1:$PORT_MOCK/b/v1"}
      - {id: bench-c, provider: openai, model: gpt-4o, base-url: "http://127.0.0.1:$PORT_MOCK/c/v1"}
YAML

SLUICE_MASTER_KEY=sk-bench-master-key-0123456789abcdef OPENAI_API_KEY=sk-bench-openai-0123456789 \
SLUICE_PROVIDERS_OPENAI_BASE_URL=http://127.0.0.1:$PORT_MOCK/openai/v1 SLUICE_ROUTING_CONFIG_FILE="$work/models.yaml" \
SLUICE_DATA_DIR="$work/data" PORT=$PORT QUARKUS_LOG_LEVEL=WARN \
  java -jar target/quarkus-app/quarkus-run.jar > "$work/sluice.log" 2>&1 &
echo $! > "$work/sluice.pid"
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null && break; sleep 0.2; done

for model in ${MODELS:-openai/gpt-4o bench openai/gpt-4o bench}; do
  cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"model":"$model","messages":[{"role":"user","content":"Hi"}]}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sk-bench-master-key-0123456789abcdef"
LUA
  wrk -t2 -c"$CONNECTIONS" -d5s -s "$work/post.lua" "http://127.0.0.1:$PORT/v1/chat/completions" >/dev/null  # warm-up
  echo "== model $model ($CONNECTIONS connections, $DURATION)"
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$work/post.lua" "http://127.0.0.1:$PORT/v1/chat/completions" \
    | grep -E "Requests/sec|^ +50%|^ +99%|Non-2xx|Socket errors"
done
