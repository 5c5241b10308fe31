// swift-tools-version: 6.1
import PackageDescription

// The query and index hot loops mutate cursors held by final classes; Swift checks each such
// access for exclusivity at run time (about a fifth of a long query's time in perf). The code keeps
// to the static rules, so the run-time checks are turned off for these two modules only.
let hotLoops: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"])]

// CRC32C uses the SSE4.2 `crc32` instruction on x86_64 (every x86-64 CPU since about 2009,
// x86-64-v2); the intrinsics compile only when the C importer targets SSE4.2.
#if arch(x86_64)
    let indexSettings = hotLoops + [.unsafeFlags(["-Xcc", "-msse4.2"])]
#else
    let indexSettings = hotLoops
#endif

let package = Package(
    name: "tra",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tra", targets: ["TraCLI"]),
        .library(name: "Tra", targets: ["Tra"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2")
    ],
    targets: [
        // The only target that sees ICU's C API. Everything else goes through TraTokenizer.
        .target(
            name: "CICU",
            linkerSettings: [.linkedLibrary("icuuc"), .linkedLibrary("icui18n"), .linkedLibrary("icudata")]
        ),
        .target(name: "TraTokenizer", dependencies: ["CICU"]),
        .target(name: "TraIndex", exclude: ["IndexFormat.md"], swiftSettings: indexSettings),
        .target(name: "TraRanking", dependencies: ["TraTokenizer", "TraIndex"], swiftSettings: hotLoops),
        .target(name: "Tra", dependencies: ["TraTokenizer", "TraIndex", "TraRanking"]),
        .executableTarget(
            name: "TraCLI",
            dependencies: ["Tra", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Each test target names every module it imports. Without that, the incremental build did
        // not recompile a test when a module it reached only through another changed the layout
        // of a package struct: the stale object read the struct at its old size, and the suite
        // crashed at random.
        .target(name: "TraTestSupport", dependencies: ["TraTokenizer"], path: "Tests/TraTestSupport"),
        .testTarget(name: "TraTokenizerTests", dependencies: ["TraTokenizer", "TraTestSupport"]),
        .testTarget(name: "TraCLITests", dependencies: ["TraCLI", "TraIndex", "TraTestSupport"]),
        .testTarget(name: "TraIndexTests", dependencies: ["TraIndex", "TraTestSupport"]),
        .testTarget(name: "TraRankingTests", dependencies: ["TraRanking", "TraTokenizer", "TraTestSupport"]),
        .testTarget(
            name: "TraTests", dependencies: ["Tra", "TraIndex", "TraRanking", "TraTokenizer", "TraTestSupport"]),
    ]
)
