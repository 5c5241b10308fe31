#!/bin/sh
# Runs the whole test suite once under a sanitizer (its own build folder, .build-SANITIZER) and
# prints the test summary and the count of sanitizer reports. The CLI tests run the `tra` of that
# build, so child processes are checked too (their stderr must be empty in most tests).
#
# Usage: scripts/reliability/sanitizers.sh [address|thread]   (default: thread)
#
# Under ThreadSanitizer, HostileInputTests.fileSizeLimit is skipped: its `ulimit -f 100` makes the
# sanitizer's own runtime die at start-up (`sh -c 'ulimit -f 100 && tra --version'` gets SIGBUS
# from a TSan build), before any of tra's code runs. Expect about 35 minutes for thread on two
# cores, less for address.
set -eu
cd "$(dirname "$0")/../.."
sanitizer="${1:-thread}"
case "$sanitizer" in
address)
    # Leak reports at exit come from XCTest and Foundation's caches, not from tra.
    export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
    skip=""
    ;;
thread) skip="fileSizeLimit" ;;
*)
    echo "usage: $0 [address|thread]" >&2
    exit 2
    ;;
esac
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
swift build --build-tests --sanitize="$sanitizer" --build-path ".build-$sanitizer" >&2
status=0
if [ -n "$skip" ]; then
    swift test --skip-build --sanitize="$sanitizer" --build-path ".build-$sanitizer" --skip "$skip" >"$log" 2>&1 ||
        status=$?
else
    swift test --skip-build --sanitize="$sanitizer" --build-path ".build-$sanitizer" >"$log" 2>&1 || status=$?
fi
grep -E "^(✘|✔) Test run|^Test Suite 'All tests'|Executed [0-9]+ tests" "$log" || tail -n 5 "$log"
grep -E "^✘ Test .* failed" "$log" | head -n 20 || true
reports="$(grep -c -E "WARNING: (ThreadSanitizer|AddressSanitizer)|ERROR: (ThreadSanitizer|AddressSanitizer)" "$log" || true)"
echo "$sanitizer sanitizer reports: $reports"
[ "$reports" = 0 ] || exit 1
exit "$status"
