#!/bin/sh
# Builds the libFuzzer targets of Fuzz/Targets (Linux, a Swift toolchain with -sanitize=fuzzer):
# the package's library modules with coverage instrumentation and AddressSanitizer, then one
# executable per target, linked against their object files.
#
# Usage: Fuzz/build.sh        → .build-fuzz/fuzz-<Target> for each Fuzz/Targets/<Target>.swift
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/.."
build=.build-fuzz
# One -sanitize flag naming both: with whole-module optimization (release), of two separate
# -sanitize flags only the last takes effect, and the modules were built without the coverage
# instrumentation the fuzzer needs (libFuzzer then saw only the target file's own edges).
flags="-Xswiftc -sanitize=fuzzer,address -Xswiftc -g"
# shellcheck disable=SC2086
swift build -c release --build-path "$build" $flags --target Tra >&2
bin="$(swift build -c release --build-path "$build" --show-bin-path)"
# The targets use `package` declarations: they must be compiled as part of the same package.
package_name="$(grep -o '"-package-name","[^"]*"' "$build/release.yaml" | cut -d'"' -f4 | sort -u | grep -v '^swift_argument_parser$' | head -n 1)"
objects=""
for module in CICU TraTokenizer TraIndex TraRanking Tra; do
    objects="$objects $(find "$bin/$module.build" -name '*.o' | tr '\n' ' ')"
done
for source in "$here"/Targets/*.swift; do
    name="$(basename "$source" .swift)"
    echo "building $build/fuzz-$name" >&2
    # shellcheck disable=SC2086
    swiftc -O -g -sanitize=fuzzer,address -parse-as-library -package-name "$package_name" \
        -I "$bin/Modules" -Xcc -fmodule-map-file="$bin/CICU.build/module.modulemap" -I Sources/CICU/include \
        "$source" $objects \
        -licuuc -licui18n -licudata -o "$build/fuzz-$name"
done
