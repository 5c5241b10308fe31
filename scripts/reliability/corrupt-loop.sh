#!/bin/sh
# Damages every file of a small index (random byte flips and truncations, seeded) and checks that
# `tra verify` exits 2 naming the file and that `tra search` fails cleanly or gives the clean
# results (see Tests/TraCLITests/CorruptIndexCommandTests.swift). Prints the counts.
#
# Usage: scripts/reliability/corrupt-loop.sh [TRIALS [SEED]]
#   TRIALS flips and TRIALS truncations per file (default 200), seed 1.
# The `tra` under test is the release build (TRA_EXECUTABLE overrides it).
set -eu
. "$(dirname "$0")/release-tra.sh"
swift build --build-tests >&2
export TRA_CORRUPT_TRIALS="${1:-200}"
export TRA_CORRUPT_SEED="${2:-1}"
exec "$here/run-suite.sh" CorruptIndexCommandTests 'corruption:'
