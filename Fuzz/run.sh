#!/bin/sh
# Runs each libFuzzer target for a bounded time, after replaying the kept regression inputs
# (Fuzz/Regressions/<Target>/). Seeds come from the repository (corpus lines, queries, analyzer
# cases, the golden fixture's segments); the growing corpora stay in .build-fuzz/corpus-<Target>.
#
# Usage: Fuzz/run.sh [SECONDS-PER-TARGET [TARGET...]]   (default 60 s, every target; build first
#        with Fuzz/build.sh). A crash leaves its input in .build-fuzz/artifacts/ and fails the run.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/.."
build=.build-fuzz
seconds="${1:-60}"
[ $# -gt 0 ] && shift
targets="${*:-FuzzJSONLine FuzzQuery FuzzAnalyzer FuzzSegment FuzzLZ4}"
mkdir -p "$build/artifacts"
export SWIFT_BACKTRACE=enable=no

seed() {
    corpus="$build/corpus-$1"
    mkdir -p "$corpus"
    case "$1" in
    FuzzJSONLine)
        head -n 20 Corpus/xquad-vi-docs.jsonl | split -l 1 - "$corpus/seed-"
        printf '%s' '{"id":"a","title":"Huế","body":"Cố đô\u0041 \ud83d\ude00 \"x\"","url":"u"}' >"$corpus/seed-escapes"
        ;;
    FuzzQuery)
        head -n 200 Benchmarks/queries/xquad-vi-questions.txt 2>/dev/null | split -l 1 - "$corpus/seed-" || true
        for query in '"việt nam" +hà -nội' 'title:huế body:"cố đô"' 'viet* đuong' '"unclosed +-x'; do
            printf '%s' "$query" >"$corpus/seed-$(printf '%s' "$query" | cksum | cut -d' ' -f1)"
        done
        ;;
    FuzzAnalyzer)
        cut -f1 Tests/Fixtures/analyzer.tsv | grep -v '^#' | head -n 300 | split -l 1 - "$corpus/seed-"
        ;;
    FuzzSegment)
        # Every format version: version 3 checks each block's checksum, which stops most mutations
        # of a block, so the older versions' segments are what reach the block decoders.
        for version in 1 2 3; do
            for file in Tests/Fixtures/index-v$version/seg-*.tra; do
                cp "$file" "$corpus/v$version-$(basename "$file")"
            done
        done
        # And a segment of the current version with full blocks (the fixtures' terms have none).
        cp "$here"/Seeds/FuzzSegment/* "$corpus/"
        ;;
    FuzzLZ4)
        # Vietnamese text of a few sizes around the matchers' limits, and a repetitive input.
        head -c 70000 Corpus/viwiki-sample.jsonl >"$corpus/seed-70000"
        head -c 4000 Corpus/viwiki-sample.jsonl >"$corpus/seed-4000"
        head -c 13 Corpus/viwiki-sample.jsonl >"$corpus/seed-13"
        printf 'abcabcabcabcabcabcabcabcabcabcabcab' >"$corpus/seed-repeats"
        ;;
    esac
}

status=0
for target in $targets; do
    binary="$build/fuzz-$target"
    [ -x "$binary" ] || { echo "missing $binary: run Fuzz/build.sh" >&2; exit 1; }
    seed "$target"
    if [ -d "$here/Regressions/$target" ]; then
        "$binary" "$here/Regressions/$target"/* >"$build/$target.replay.log" 2>&1 || {
            echo "$target: a regression input fails again (see $build/$target.replay.log)"
            status=1
        }
    fi
    result=0
    "$binary" "$build/corpus-$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
        -max_len=65536 -print_final_stats=1 -artifact_prefix="$build/artifacts/$target-" \
        >"$build/$target.log" 2>&1 || result=$?
    runs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$build/$target.log" | grep -o '[0-9]*$' || echo '?')"
    if [ "$result" -eq 0 ]; then
        echo "$target: $seconds s, $runs runs, no crash"
    else
        echo "$target: FAILED after $runs runs: $(grep -m1 -E 'ERROR|Fatal error|deadly signal|timeout' "$build/$target.log")"
        status=1
    fi
done
exit "$status"
