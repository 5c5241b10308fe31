# Sourced by the reliability scripts: moves to the repository root and sets TRA_EXECUTABLE to the
# release build of `tra` (built here) unless the caller already set it.
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../.."
if [ -z "${TRA_EXECUTABLE:-}" ]; then
    swift build -c release --product tra >&2
    TRA_EXECUTABLE="$(swift build -c release --show-bin-path)/tra"
fi
export TRA_EXECUTABLE
