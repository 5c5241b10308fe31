#!/bin/sh
# Input files too slow for CI: a 100 MB single document, a million tiny documents, and an input
# file truncated and one deleted while `tra index` reads them. Prints each run's status, time and
# peak memory, then checks the index with `tra verify` (and the document count).
#
# Usage: scripts/reliability/hostile-inputs.sh [WORK-FOLDER]
#   WORK-FOLDER (default: a new temporary folder) receives the generated files and indexes,
#   about 1 GB. The `tra` under test is the release build (TRA_EXECUTABLE overrides it).
set -eu
. "$(dirname "$0")/release-tra.sh"
tra="$TRA_EXECUTABLE"
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
failures=0

# run NAME COMMAND...: runs it with its time and peak memory, prints one line.
run() {
    name="$1"
    shift
    status=0
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>"$work/err" || status=$?
    set -- $(tail -n 1 "$work/time")
    printf '%-34s status %s, %6.1f s, %7.1f MB peak: %s\n' "$name" "$status" "$1" "$(echo "$2 / 1024" | bc -l)" \
        "$(cat "$work/out" "$work/err" | grep -v '^Command exited' | head -n 1 | cut -c1-110)"
}

# check NAME INDEX [DOCUMENTS]: verify passes (and the count matches).
check() {
    if ! "$tra" verify --index "$2" >"$work/verify" 2>&1; then
        echo "FAIL $1: verify: $(cat "$work/verify")"
        failures=$((failures + 1))
    elif [ -n "${3:-}" ] && ! "$tra" stats --index "$2" --json | grep -q "\"documents\":$3,"; then
        echo "FAIL $1: expected $3 documents: $("$tra" stats --index "$2" --json)"
        failures=$((failures + 1))
    else
        echo "  verify: $(cut -c1-150 "$work/verify")"
    fi
}

[ -f "$work/tiny.jsonl" ] || python3 - "$work" <<'PY'
import json, os, sys
work = sys.argv[1]
text = []
with open("Corpus/viwiki-sample.jsonl", encoding="utf-8") as lines:
    for line in lines:
        text.append(json.loads(line)["body"])
body = " ".join(text)
while len(body.encode()) < 100_000_000:
    body += " " + body
body = body.encode()[:100_000_000].decode("utf-8", "ignore")
with open(os.path.join(work, "huge.jsonl"), "w", encoding="utf-8") as out:
    out.write(json.dumps({"id": "huge", "title": "Một văn bản rất dài", "body": body}, ensure_ascii=False) + "\n")
with open(os.path.join(work, "tiny.jsonl"), "w", encoding="utf-8") as out:
    for n in range(1_000_000):
        out.write('{"id":"t%d","body":"từ %d"}\n' % (n, n % 1000))
PY
ls -l "$work/huge.jsonl" "$work/tiny.jsonl"

run "a 100 MB document" "$tra" index --index "$work/huge-index" "$work/huge.jsonl"
check "a 100 MB document" "$work/huge-index" 1
run "  search it" "$tra" search --index "$work/huge-index" --limit 1 "việt nam"
run "a million tiny documents" "$tra" index --index "$work/tiny-index" "$work/tiny.jsonl"
check "a million tiny documents" "$work/tiny-index" 1000000
run "  search them" "$tra" search --index "$work/tiny-index" --limit 3 "từ 7"

# An input truncated while it is read (appended to an index of 240 documents): the run either
# indexes what it read or fails with one line, and then the index still holds just the 240. Then
# an input deleted while it is read (still readable on POSIX).
"$tra" index --index "$work/shrink-index" Corpus/xquad-vi-docs.jsonl >/dev/null
cp Corpus/viwiki-sample.jsonl "$work/shrinking.jsonl"
"$tra" index --index "$work/shrink-index" --append --ram-budget 8 "$work/shrinking.jsonl" >"$work/out" 2>"$work/err" &
pid=$!
sleep 1
truncate -s 3000000 "$work/shrinking.jsonl"
status=0
wait "$pid" || status=$?
echo "an input truncated while read      status $status: $(cat "$work/out" "$work/err" | head -n 1 | cut -c1-110)"
if [ "$status" -eq 0 ]; then
    check "an input truncated while read" "$work/shrink-index"
else
    check "an input truncated while read" "$work/shrink-index" 240
fi
cp Corpus/viwiki-sample.jsonl "$work/vanishing.jsonl"
"$tra" index --index "$work/vanish-index" --ram-budget 8 "$work/vanishing.jsonl" >"$work/out" 2>"$work/err" &
pid=$!
sleep 1
rm "$work/vanishing.jsonl"
status=0
wait "$pid" || status=$?
echo "an input deleted while read        status $status: $(cat "$work/out" "$work/err" | head -n 1 | cut -c1-110)"
check "an input deleted while read" "$work/vanish-index"

echo "hostile inputs: $failures failure(s); files and indexes in $work"
[ "$failures" -eq 0 ]
