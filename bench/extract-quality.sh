#!/usr/bin/env bash
# Quality gate for main-content extraction (dev.sluice.extract).
#
# Runs the extractor over a WCXB-style benchmark folder (html/ID.html.gz + ground-truth/ID.json) on one thread,
# times parse + clean + Markdown per page (the headline ms/page) and parse + clean + text (the scored output),
# scores the plain-text output with the benchmark's scorer, prints per-type figures and timing, and fails when
# the overall word-level F1 is below the minimum, the boilerplate leak above its maximum (MAX_LEAK, 0.08) or any
# page type's F1 below its floor (MIN_TYPE_F1: one floor for every type, 0.62, or per type, e.g.
# "0.62,article=0.93,documentation=0.90"). Then it scores Sluice's own generated set (bench/devset, pages written
# for the purpose: news with heavy footers, products, listings) the same way, against DEVSET_MIN_F1 (0.85).
#
# Usage: bench/extract-quality.sh [benchmark-dir] [min-f1]
#   benchmark-dir  default ../shared/extraction/wcxb-dev (relative to the repository root)
#   min-f1         default 0.84
# Environment:
#   SCORER         scorer script (default ../shared/extraction/score.py)
#   BENCH_OUT      predictions file (default target/extract-bench/predictions.jsonl)
#   JAVA_OPTS      extra JVM options (default -Xmx2g)
#   MIN_TYPE_F1    per-type floors (default 0.62), MAX_LEAK (0.08)
#   DEVSET         the second development set (default bench/devset/generated; empty to skip), DEVSET_MIN_F1 (0.85)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bench_dir="${1:-../shared/extraction/wcxb-dev}"
min_f1="${2:-0.84}"
scorer="${SCORER:-../shared/extraction/score.py}"
out="${BENCH_OUT:-target/extract-bench/predictions.jsonl}"

if [[ ! -d "$bench_dir/html" || ! -d "$bench_dir/ground-truth" ]]; then
    echo "extract-quality: no benchmark at $bench_dir (expected html/ and ground-truth/)" >&2
    exit 2
fi
if [[ ! -f "$scorer" ]]; then
    echo "extract-quality: scorer not found at $scorer" >&2
    exit 2
fi

# The packaged application (Quarkus fast-jar layout) carries the engine and its dependencies.
shopt -s nullglob
app_jars=(target/quarkus-app/app/*.jar)
if (( ${#app_jars[@]} == 0 )); then
    echo "extract-quality: building the application jar" >&2
    ./mvnw -q -DskipTests package
    app_jars=(target/quarkus-app/app/*.jar)
fi
lib_jars=(target/quarkus-app/lib/main/*.jar)
if (( ${#app_jars[@]} == 0 || ${#lib_jars[@]} == 0 )); then
    echo "extract-quality: target/quarkus-app has no app/ or lib/main/ jars after packaging" >&2
    exit 2
fi
classpath="$(IFS=:; echo "${app_jars[*]}:${lib_jars[*]}")"
# the benchmark's command-line driver lives in bench/, not in the application: compile it against the jar
command -v javac >/dev/null || { echo "extract-quality: javac not found (a JDK is needed)" >&2; exit 2; }
driver_classes="target/extract-bench/classes"
mkdir -p "$driver_classes"
javac -nowarn -d "$driver_classes" -cp "$classpath" bench/ExtractBenchmark.java
classpath="$classpath:$driver_classes"

mkdir -p "$(dirname "$out")"
# shellcheck disable=SC2086
java ${JAVA_OPTS:--Xmx2g} -cp "$classpath" ExtractBenchmark "$bench_dir" "$out"

report="$(python3 "$scorer" --truth "$bench_dir" --pred "$out" --per-type)"
echo "$report"

f1="$(echo "$report" | awk '$1 == "F1" { print $2 }' | tail -n 1)"
if [[ -z "$f1" ]]; then
    echo "extract-quality: could not read the F1 figure from the scorer's output" >&2
    exit 2
fi
if awk -v f1="$f1" -v min="$min_f1" 'BEGIN { exit !(f1 + 0 < min + 0) }'; then
    echo "extract-quality: FAIL overall F1 $f1 < $min_f1" >&2
    exit 1
fi
leak="$(echo "$report" | sed -n 's/.* leak=\([0-9.]*\).*/\1/p' | tail -n 1)"
if awk -v v="$leak" -v max="${MAX_LEAK:-0.08}" 'BEGIN { exit !(v + 0 > max + 0) }'; then
    echo "extract-quality: FAIL boilerplate leak $leak > ${MAX_LEAK:-0.08}" >&2
    exit 1
fi
failed_types="$(echo "$report" | MIN_TYPE_F1="${MIN_TYPE_F1:-0.62}" python3 -c "
import os, re, sys
floors, default = {}, 0.0
for part in os.environ['MIN_TYPE_F1'].split(','):
    name, _, value = part.strip().rpartition('=')
    if name:
        floors[name] = float(value)
    else:
        default = float(value)
types = re.findall(r\"^\\s+(\\w+): \\{'pages': \\d+, 'f1': ([0-9.]+)\", sys.stdin.read(), re.M)
print(' '.join(f'{n}={float(f):.4f}<{floors.get(n, default)}' for n, f in types if float(f) < floors.get(n, default)))")"
if [[ -n "$failed_types" ]]; then
    echo "extract-quality: FAIL page types below their floor (${MIN_TYPE_F1:-0.62}): $failed_types" >&2
    exit 1
fi
echo "extract-quality: OK overall F1 $f1 >= $min_f1, leak $leak <= ${MAX_LEAK:-0.08}, every page type >= its floor (${MIN_TYPE_F1:-0.62})"

devset="${DEVSET-bench/devset/generated}"
if [[ -n "$devset" ]]; then
    if [[ ! -d "$devset/html" ]]; then
        python3 bench/devset/generate.py "$devset" >&2
    fi
    dev_out="$(dirname "$out")/devset-predictions.jsonl"
    # shellcheck disable=SC2086
    java ${JAVA_OPTS:--Xmx2g} -cp "$classpath" ExtractBenchmark "$devset" "$dev_out" | grep -v '^ms/page:'
    dev_report="$(python3 "$scorer" --truth "$devset" --pred "$dev_out" --per-type)"
    echo "Sluice's own development set ($devset):"
    echo "$dev_report"
    dev_f1="$(echo "$dev_report" | awk '$1 == "F1" { print $2 }' | tail -n 1)"
    if awk -v f1="$dev_f1" -v min="${DEVSET_MIN_F1:-0.85}" 'BEGIN { exit !(f1 + 0 < min + 0) }'; then
        echo "extract-quality: FAIL own development set F1 $dev_f1 < ${DEVSET_MIN_F1:-0.85}" >&2
        exit 1
    fi
    echo "extract-quality: OK own development set F1 $dev_f1 >= ${DEVSET_MIN_F1:-0.85}"
fi
