import Benchmark
import Foundation

/// What the benchmark suites share: where the corpus is, errors of the setup, output helpers.
public enum BenchmarkCorpus {
    /// The bundled corpus, relative to the repository root.
    public static let bundled = "Corpus/viwiki-sample.jsonl"

    /// `TRA_BENCH_CORPUS`, else (with `preferShared`) `../shared/data/viwiki.jsonl` beside the
    /// repository, else the bundled sample.
    public static func path(_ environment: [String: String], preferShared: Bool = false) throws -> String {
        if let path = environment["TRA_BENCH_CORPUS"], !path.isEmpty {
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw BenchmarkSetupError("TRA_BENCH_CORPUS names no readable file: \(path)")
            }
            return path
        }
        guard let root = repositoryRoot() else {
            throw BenchmarkSetupError(
                "cannot find the repository root (the folder with \(bundled)); set TRA_BENCH_CORPUS")
        }
        if preferShared {
            let shared = root.deletingLastPathComponent().appendingPathComponent("shared/data/viwiki.jsonl")
            if FileManager.default.isReadableFile(atPath: shared.path) { return shared.standardizedFileURL.path }
        }
        return root.appendingPathComponent(bundled).path
    }

    /// The repository root: the parent of the Benchmarks package. Found from this source file's
    /// location (the build machine's checkout) or, failing that, from the current directory (the
    /// Benchmarks folder or the root itself).
    public static func repositoryRoot() -> URL? {
        // .../Benchmarks/Benchmarks/BenchmarkSupport/BenchmarkSupport.swift -> the repository
        let fromSource = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        for candidate in [fromSource, current.deletingLastPathComponent(), current] {
            if FileManager.default.isReadableFile(atPath: candidate.appendingPathComponent(bundled).path) {
                return candidate.standardizedFileURL
            }
        }
        return nil
    }
}

/// A setup problem of a benchmark (a missing corpus, a bad setting), said in one line.
public struct BenchmarkSetupError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Holds a suite's state between its setup and its measurement.
public final class StateBox<State>: @unchecked Sendable {
    public var state: State?
    public init() {}
}

/// Writes a line to standard error (standard output belongs to package-benchmark).
public func log(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Two decimals.
public func format(_ value: Double) -> String {
    String(format: "%.2f", value)
}

/// Sets `Benchmark.defaultConfiguration` from the environment shared by the suites:
/// `TRA_BENCH_MAX_SECONDS` (default 30), `TRA_BENCH_MAX_ITERATIONS` (20) and `TRA_BENCH_WARMUP` (1).
public func configureFromEnvironment(
    metrics: [BenchmarkMetric], units: [BenchmarkMetric: BenchmarkUnits] = [:],
    environment: [String: String] = ProcessInfo.processInfo.environment
) {
    let maxSeconds = environment["TRA_BENCH_MAX_SECONDS"].flatMap(Double.init) ?? 30
    let maxIterations = environment["TRA_BENCH_MAX_ITERATIONS"].flatMap(Int.init) ?? 20
    let warmup = environment["TRA_BENCH_WARMUP"].flatMap(Int.init) ?? 1
    Benchmark.defaultConfiguration = .init(
        metrics: metrics,
        timeUnits: .milliseconds,
        units: units,
        warmupIterations: max(0, warmup),
        maxDuration: .milliseconds(max(1, Int(maxSeconds * 1000))),
        maxIterations: max(1, maxIterations)
    )
}

/// The values a suite recorded itself, without the warm-up iterations (which the framework does
/// not record either): median, smallest, largest.
public struct MeasuredValues {
    public let median: Double
    public let minimum: Double
    public let maximum: Double
    public let count: Int

    /// nil when nothing was recorded.
    public init?(_ values: [Double]) {
        let warmup = Benchmark.defaultConfiguration.warmupIterations
        let measured = values.count > warmup ? Array(values.dropFirst(warmup)) : values
        let sorted = measured.sorted()
        guard let first = sorted.first, let last = sorted.last else { return nil }
        let middle = sorted.count / 2
        median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        minimum = first
        maximum = last
        count = sorted.count
    }
}
