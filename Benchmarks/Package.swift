// swift-tools-version: 6.1
//
// Benchmarks for tra, kept in their own package so the root package does not depend on
// package-benchmark. Run from this folder:
//
//     swift package benchmark --target AnalyzerBenchmarks
//
// See README.md beside this file.
import PackageDescription

let package = Package(
    name: "TraBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "tra", path: "../"),
        // The "MallocInterposer" trait list replaces the package's default traits, which would also
        // enable "RuntimeInterposer" (a dependency that is not available on every machine).
        .package(
            url: "https://github.com/ordo-one/benchmark.git", exact: "1.38.1",
            traits: ["MallocInterposer"]),
    ],
    targets: [
        .target(
            name: "BenchmarkSupport", dependencies: [.product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/BenchmarkSupport"),
        .executableTarget(
            name: "AnalyzerBenchmarks",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "Tra", package: "tra"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/AnalyzerBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "IndexingBenchmarks",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "Tra", package: "tra"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/IndexingBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "QueryBenchmarks",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "Tra", package: "tra"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/QueryBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
