#!/usr/bin/env bash
# The console's end-to-end test: headless Chromium (Debian's chromium) driven by playwright-core, against the
# packaged jar (target/quarkus-app, built by `./mvnw verify` or `./mvnw package`) and a local mock upstream.
# Installs what is missing (fast when everything is there); screenshots land in target/console-e2e/.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
    echo "== Installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [ ! -d src/test/e2e/node_modules/playwright-core ]; then
    (cd src/test/e2e && npm ci --no-audit --no-fund --loglevel=error)
fi
if [ ! -f target/quarkus-app/quarkus-run.jar ]; then
    ./mvnw -B -ntp -q package -DskipTests
fi
CHROMIUM="$(command -v chromium)" timeout 600 node src/test/e2e/console.e2e.mjs
