#!/bin/sh
# Kills `tra index --commit-every N` with SIGKILL at random moments, TRIALS times, and checks after
# each kill that `tra verify` passes and the index holds exactly the documents of its last commit
# (see Tests/TraCLITests/CrashSafetyTests.swift). Prints "crash safety: S/T trials survived ...".
#
# Usage: scripts/reliability/crash-loop.sh [TRIALS [DOCUMENTS [COMMIT_EVERY [SEED]]]]
#   defaults: 1000 trials, 300 documents of Corpus/, a commit every 7 documents, seed 1.
# The `tra` under test is the release build (TRA_EXECUTABLE overrides it).
set -eu
cd "$(dirname "$0")/../.."
if [ -z "${TRA_EXECUTABLE:-}" ]; then
    swift build -c release --product tra >&2
    TRA_EXECUTABLE="$(swift build -c release --show-bin-path)/tra"
fi
swift build --build-tests >&2
export TRA_EXECUTABLE
export TRA_CRASH_TRIALS="${1:-1000}"
export TRA_CRASH_DOCUMENTS="${2:-300}"
export TRA_CRASH_COMMIT_EVERY="${3:-7}"
export TRA_CRASH_SEED="${4:-1}"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
# On Linux the test bundle is an executable: run it directly, so that the long run does not hold
# the build folder's lock (other builds can go on meanwhile).
tests="$(swift build --show-bin-path)/traPackageTests.xctest"
if [ -f "$tests" ] && [ -x "$tests" ]; then
    "$tests" --testing-library swift-testing --filter CrashSafetyTests >"$log" 2>&1 || status=$?
else
    swift test --skip-build --filter CrashSafetyTests >"$log" 2>&1 || status=$?
fi
grep -v '^↳' "$log" | grep -E 'crash safety:|✘|✔.*Test run' || cat "$log"
exit "$status"
