#!/bin/sh
# Runs one test suite of the package (already built) and prints only its summary lines.
# Usage: scripts/reliability/run-suite.sh SUITE SUMMARY-PREFIX
set -eu
cd "$(dirname "$0")/../.."
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
# On Linux the test bundle is an executable: run it directly, so that a long run does not hold the
# build folder's lock (other builds can go on meanwhile).
tests="$(swift build --show-bin-path)/traPackageTests.xctest"
if [ -f "$tests" ] && [ -x "$tests" ]; then
    "$tests" --testing-library swift-testing --filter "$1" >"$log" 2>&1 || status=$?
else
    swift test --skip-build --filter "$1" >"$log" 2>&1 || status=$?
fi
grep -v '^↳' "$log" | grep -E "$2|✘|✔.*Test run" || cat "$log"
exit "$status"
