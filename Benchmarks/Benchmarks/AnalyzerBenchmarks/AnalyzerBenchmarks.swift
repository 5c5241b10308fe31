// Throughput of the Vietnamese analyzer over a JSONL corpus.
//
// One benchmark iteration analyzes every loaded text field (each document's `title` and `body`,
// UTF-8) once. Loading the corpus happens in the benchmark's setup, outside the measurement.
// Besides the usual time and memory metrics, each benchmark reports the custom metric
// "Input bytes/s": UTF-8 bytes of input analyzed per second of wall clock, shown in millions, so the
// column "Input bytes/s (M)" reads in MB/s (1 MB = 1,000,000 bytes). The table shows whole numbers;
// the teardown prints the median MB/s with two decimals to stderr.
//
// Environment (see README.md):
//   TRA_BENCH_CORPUS         path to a .jsonl corpus (default: ../shared/data/viwiki.jsonl beside the
//                            repository if it exists, else the bundled Corpus/viwiki-sample.jsonl)
//   TRA_BENCH_LIMIT_MB       load at most this many MB of text (decimal allowed; default: all)
//   TRA_BENCH_MAX_SECONDS    stop iterating a benchmark after this many seconds (default: 30)
//   TRA_BENCH_MAX_ITERATIONS stop iterating a benchmark after this many iterations (default: 20)
//   TRA_BENCH_WARMUP         warm-up iterations before measuring (default: 1)

import Benchmark
import BenchmarkSupport
import Foundation
@_spi(Reference) import Tra

// MARK: - Benchmarks

/// UTF-8 bytes of input analyzed per second of wall clock. Recorded in bytes/s (so baselines keep the
/// precision) and shown in millions, the column "Input bytes/s (M)": that is MB/s, 1 MB = 10^6 bytes.
let inputThroughput = BenchmarkMetric.custom("Input bytes/s", polarity: .prefersLarger, useScalingFactor: false)

let benchmarks: @Sendable () -> Void = {
    configureFromEnvironment(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident, inputThroughput],
        units: [inputThroughput: .mega])

    analyzerBenchmark("Analyzer.fast") { analyzer, text, buffer in
        try analyzer.analyze(text, into: &buffer)
    }
    analyzerBenchmark("Analyzer.icuReference") { analyzer, text, buffer in
        try analyzer.analyzeWithICU(text, into: &buffer)
    }
}

/// The state a benchmark gets from its setup: the corpus, one analyzer and its token buffer.
final class AnalyzerState {
    let corpus: Corpus
    let analyzer: Analyzer
    var buffer = TokenBuffer()
    /// Input MB/s of each measured iteration, for the summary printed at teardown.
    var rates: [Double] = []

    init(corpus: Corpus) throws {
        self.corpus = corpus
        analyzer = try Analyzer()
    }
}

/// Registers a benchmark where one iteration runs `analyze` over every loaded text.
func analyzerBenchmark(
    _ name: String,
    _ analyze: @escaping (Analyzer, UnsafeBufferPointer<UInt8>, inout TokenBuffer) throws -> Void
) {
    // Hands the setup's state to the teardown (the closure gets it from the framework).
    let box = SuiteState()
    Benchmark(name) { (benchmark: Benchmark, state: AnalyzerState) throws in
        let texts = state.corpus.texts
        let analyzer = state.analyzer
        // Borrow the buffer (a swap, not a copy, so its storage is reused without copy-on-write).
        var buffer = TokenBuffer()
        swap(&buffer, &state.buffer)
        var tokens = 0
        let start = ContinuousClock.now
        for text in texts {
            buffer.removeAll()
            try text.withUnsafeBufferPointer { try analyze(analyzer, $0, &buffer) }
            tokens &+= buffer.spans.count
        }
        let elapsed = ContinuousClock.now - start
        blackHole(tokens)
        swap(&buffer, &state.buffer)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let rate = seconds > 0 ? Double(state.corpus.byteCount) / 1e6 / seconds : 0
        state.rates.append(rate)
        benchmark.measurement(inputThroughput, Int((rate * 1e6).rounded()))
    } setup: {
        let state = try AnalyzerState(corpus: try Corpus.shared())
        box.state = state
        return state
    } teardown: {
        guard let state = box.state, let values = MeasuredValues(state.rates) else { return }
        log(
            "\(name): median \(format(values.median)) MB/s of input (min \(format(values.minimum)), "
                + "max \(format(values.maximum)), \(values.count) iterations over "
                + "\(format(Double(state.corpus.byteCount) / 1e6)) MB)")
    }
}

typealias SuiteState = StateBox<AnalyzerState>

// MARK: - Corpus

/// The texts to analyze: the `title` and `body` of each JSONL document, as UTF-8.
final class Corpus: Sendable {
    /// A short name for the output: the file's name.
    let name: String
    /// The file as it was given or found.
    let path: String
    /// Each document's title and body, as separate texts, in file order.
    let texts: [[UInt8]]
    let documentCount: Int
    /// UTF-8 bytes in `texts`.
    let byteCount: Int

    init(name: String, path: String, texts: [[UInt8]], documentCount: Int) {
        self.name = name
        self.path = path
        self.texts = texts
        self.documentCount = documentCount
        byteCount = texts.reduce(0) { $0 + $1.count }
    }

    /// The corpus chosen by the environment, loaded on first use (once per process).
    static func shared() throws -> Corpus { try loaded.get() }

    private static let loaded: Result<Corpus, any Error> = Result {
        let environment = ProcessInfo.processInfo.environment
        let path = try BenchmarkCorpus.path(environment, preferShared: true)
        var limit: Int?
        if let text = environment["TRA_BENCH_LIMIT_MB"], !text.isEmpty {
            guard let mb = Double(text), mb > 0 else {
                throw BenchmarkSetupError("TRA_BENCH_LIMIT_MB must be a positive number, not \(text)")
            }
            limit = Int(mb * 1e6)
        }
        let corpus = try load(path: path, limitBytes: limit)
        log(
            "AnalyzerBenchmarks: corpus \(corpus.name) (\(path)): \(corpus.documentCount) documents, "
                + "\(corpus.texts.count) texts (title + body), \(format(Double(corpus.byteCount) / 1e6)) MB of UTF-8"
                + (limit.map { " (TRA_BENCH_LIMIT_MB caps it at \(format(Double($0) / 1e6)) MB)" } ?? "")
                // The blank line is for the progress bar, which starts by erasing the line above it.
                + "\n")
        return corpus
    }

    private struct Document: Decodable {
        var title: String?
        var body: String?
    }

    /// Reads the JSONL file at `path`: for each line, its `title` then its `body` (either may be absent).
    /// Stops before the first text that would take the total past `limitBytes` (but keeps at least one).
    static func load(path: String, limitBytes: Int?) throws -> Corpus {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        } catch {
            throw BenchmarkSetupError("cannot read the corpus \(path): \(error)")
        }
        let decoder = JSONDecoder()
        var texts: [[UInt8]] = []
        var documents = 0
        var total = 0
        var lineNumber = 0
        var full = false
        var lineStart = data.startIndex
        while lineStart < data.endIndex, !full {
            let lineEnd = data[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? data.endIndex
            let line = data[lineStart..<lineEnd]
            lineStart = lineEnd < data.endIndex ? data.index(after: lineEnd) : data.endIndex
            lineNumber += 1
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\t") }) {
                continue
            }
            let document: Document
            do {
                document = try decoder.decode(Document.self, from: line)
            } catch {
                throw BenchmarkSetupError("\(path):\(lineNumber): not a JSON object with string title/body: \(error)")
            }
            var added = false
            for text in [document.title, document.body].compactMap({ $0 }) where !text.isEmpty {
                let bytes = Array(text.utf8)
                if let limitBytes, total + bytes.count > limitBytes, !texts.isEmpty {
                    full = true
                    break
                }
                texts.append(bytes)
                total += bytes.count
                added = true
            }
            if added { documents += 1 }
        }
        guard !texts.isEmpty else {
            throw BenchmarkSetupError("the corpus \(path) has no document with a title or body")
        }
        let name = URL(fileURLWithPath: path).lastPathComponent
        return Corpus(name: name, path: path, texts: texts, documentCount: documents)
    }
}

// MARK: - Output
