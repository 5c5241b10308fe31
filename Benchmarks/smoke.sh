#!/usr/bin/env bash
# Smoke run of the analyzer benchmarks, for CI: builds the Benchmarks package (release), runs both
# benchmarks on the first 1 MB of the bundled sample corpus for about a second each, and fails if
# the build or a benchmark fails. The figures it prints are not meant to be compared.
#
# Usage: Benchmarks/smoke.sh [extra `swift package benchmark` options]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
cd "$here"

log="$(mktemp)"
trap 'rm -f "$log"' EXIT

export TRA_BENCH_CORPUS="$root/Corpus/viwiki-sample.jsonl"
export TRA_BENCH_LIMIT_MB=1
export TRA_BENCH_MAX_SECONDS=1
export TRA_BENCH_MAX_ITERATIONS=3
export TRA_BENCH_WARMUP=1

status=0
swift package benchmark --target AnalyzerBenchmarks --no-progress "$@" 2>&1 | tee "$log" || status=$?
if [ "$status" -ne 0 ]; then
    echo "smoke.sh: swift package benchmark exited with status $status" >&2
    exit "$status"
fi

# `swift package benchmark` exits 0 even when a benchmark's setup fails (a missing corpus, say), so
# also check that each benchmark ran to its summary line and that nothing reported a failure.
failed=0
for name in Analyzer.fast Analyzer.icuReference; do
    if ! grep -q "^$name: median [0-9.]* MB/s" "$log"; then
        echo "smoke.sh: benchmark $name did not finish" >&2
        failed=1
    fi
done
if grep -q -i -E "setup failed|teardown failed|failed with|Process failed" "$log"; then
    echo "smoke.sh: a benchmark reported a failure" >&2
    failed=1
fi
if [ "$failed" -ne 0 ]; then
    exit 1
fi
echo "smoke.sh: analyzer benchmarks ran"
