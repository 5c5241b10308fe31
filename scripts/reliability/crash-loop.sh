#!/bin/sh
# Kills `tra index --commit-every N` with SIGKILL at random moments, TRIALS times, and checks after
# each kill that `tra verify` passes and the index holds exactly the documents of its last commit
# (see Tests/TraCLITests/CrashSafetyTests.swift). Prints "crash safety: S/T trials survived ...".
#
# Usage: scripts/reliability/crash-loop.sh [TRIALS [DOCUMENTS [COMMIT_EVERY [SEED]]]]
#   defaults: 1000 trials, 100 documents of Corpus/, a commit every 5 documents, seed 1 (about
#   5 minutes on two cores; with 300 documents and a commit every 7, an hour for 600 trials).
# The `tra` under test is the release build (TRA_EXECUTABLE overrides it).
set -eu
. "$(dirname "$0")/release-tra.sh"
swift build --build-tests >&2
export TRA_CRASH_TRIALS="${1:-1000}"
export TRA_CRASH_DOCUMENTS="${2:-100}"
export TRA_CRASH_COMMIT_EVERY="${3:-5}"
export TRA_CRASH_SEED="${4:-1}"
exec "$here/run-suite.sh" CrashSafetyTests 'crash safety:'
