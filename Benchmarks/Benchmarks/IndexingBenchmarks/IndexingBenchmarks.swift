// Indexing throughput: a slice of a JSONL corpus indexed into a fresh folder per iteration.
//
// Two benchmarks:
//   Indexing.pipeline  `SearchIndex.build` on the slice written to a temporary .jsonl file: what
//                      `tra index` does (streaming JSONL parse, analysis on 2 threads, segment
//                      writing, commit). Throughput is over the bytes of that JSONL file.
//   Indexing.add       `SearchIndex.add(id:fields:)` for every document of the slice, already parsed
//                      in memory, on one thread, then `commit()`. Throughput is over the UTF-8 bytes
//                      of the documents' field values.
// Each iteration removes the previous iteration's folder before its measurement starts; the
// measurement covers opening the writer through the commit. Besides time, CPU, malloc calls and
// peak memory, each reports the custom metric "Input bytes/s" (shown in millions: MB/s) and prints
// its median MB/s with two decimals to stderr at teardown.
//
// Environment (see ../../README.md; the same conventions as AnalyzerBenchmarks):
//   TRA_BENCH_CORPUS         the .jsonl corpus (default: the repository's Corpus/viwiki-sample.jsonl)
//   TRA_BENCH_LIMIT_MB       index only the first lines of the corpus up to this many MB (default: all)
//   TRA_BENCH_MAX_SECONDS    stop iterating a benchmark after this many seconds (default: 30)
//   TRA_BENCH_MAX_ITERATIONS stop iterating a benchmark after this many iterations (default: 20)
//   TRA_BENCH_WARMUP         warm-up iterations before measuring (default: 1)

import Benchmark
import BenchmarkSupport
import Foundation
import Tra

let inputThroughput = BenchmarkMetric.custom("Input bytes/s", polarity: .prefersLarger, useScalingFactor: false)

let benchmarks: @Sendable () -> Void = {
    configureFromEnvironment(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident, inputThroughput],
        units: [inputThroughput: .mega])

    indexingBenchmark("Indexing.pipeline", bytes: { $0.jsonl.count }) { state, directory in
        _ = try SearchIndex.build(inputs: [state.slicePath], directory: directory, mode: .create, threads: 2)
    }
    indexingBenchmark("Indexing.add", bytes: { $0.fieldBytes }) { state, directory in
        let index = try SearchIndex(directory: directory, mode: .create)
        for document in state.slice.documents {
            try index.add(id: document.id, fields: document.fields)
        }
        try index.commit()
    }
}

/// Registers a benchmark where one iteration runs `index` into a fresh folder.
func indexingBenchmark(
    _ name: String, bytes: @escaping @Sendable (CorpusSlice) -> Int,
    _ index: @escaping (IndexingState, String) throws -> Void
) {
    let box = SuiteState()
    Benchmark(name) { (benchmark: Benchmark, state: IndexingState) throws in
        if let previous = state.lastDirectory { try? FileManager.default.removeItem(atPath: previous) }
        state.iteration += 1
        let directory = state.workFolder + "/index-\(state.iteration)"
        state.lastDirectory = directory
        benchmark.startMeasurement()
        let start = ContinuousClock.now
        try index(state, directory)
        let elapsed = ContinuousClock.now - start
        benchmark.stopMeasurement()
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let rate = seconds > 0 ? Double(bytes(state.slice)) / 1e6 / seconds : 0
        state.rates.append(rate)
        benchmark.measurement(inputThroughput, Int((rate * 1e6).rounded()))
    } setup: {
        let state = try IndexingState(slice: try CorpusSlice.shared())
        box.state = state
        return state
    } teardown: {
        guard let state = box.state else { return }
        try? FileManager.default.removeItem(atPath: state.workFolder)
        guard let values = MeasuredValues(state.rates) else { return }
        log(
            "\(name): median \(format(values.median)) MB/s of input (min \(format(values.minimum)), "
                + "max \(format(values.maximum)), \(values.count) iterations over "
                + "\(format(Double(bytes(state.slice)) / 1e6)) MB, \(state.slice.documents.count) documents)")
    }
}

/// The state of one benchmark: its corpus slice, its work folder and its measured rates.
final class IndexingState {
    let slice: CorpusSlice
    /// This benchmark's temporary folder: the slice as a .jsonl file and the iterations' indexes.
    let workFolder: String
    let slicePath: String
    var iteration = 0
    var lastDirectory: String?
    var rates: [Double] = []

    init(slice: CorpusSlice) throws {
        self.slice = slice
        workFolder =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("tra-bench-indexing-\(ProcessInfo.processInfo.processIdentifier)-\(UUID())").path
        try FileManager.default.createDirectory(atPath: workFolder, withIntermediateDirectories: true)
        slicePath = workFolder + "/slice.jsonl"
        try slice.jsonl.write(to: URL(fileURLWithPath: slicePath))
    }
}

typealias SuiteState = StateBox<IndexingState>

// MARK: - Corpus

/// The first lines of the corpus: their bytes (for the pipeline) and the documents parsed (for `add`).
final class CorpusSlice: Sendable {
    struct Document: Sendable {
        var id: String
        var fields: [(name: String, value: String)]
    }

    let jsonl: Data
    let documents: [Document]
    /// UTF-8 bytes of all field values.
    let fieldBytes: Int

    init(jsonl: Data, documents: [Document]) {
        self.jsonl = jsonl
        self.documents = documents
        fieldBytes = documents.reduce(0) { $0 + $1.fields.reduce(0) { $0 + $1.value.utf8.count } }
    }

    static func shared() throws -> CorpusSlice { try loaded.get() }

    private static let loaded: Result<CorpusSlice, any Error> = Result {
        let environment = ProcessInfo.processInfo.environment
        let path = try BenchmarkCorpus.path(environment)
        var limit: Int?
        if let text = environment["TRA_BENCH_LIMIT_MB"], !text.isEmpty {
            guard let mb = Double(text), mb > 0 else {
                throw BenchmarkSetupError("TRA_BENCH_LIMIT_MB must be a positive number, not \(text)")
            }
            limit = Int(mb * 1e6)
        }
        let slice = try load(path: path, limitBytes: limit)
        let name = URL(fileURLWithPath: path).lastPathComponent
        let jsonlMB = format(Double(slice.jsonl.count) / 1e6)
        let textMB = format(Double(slice.fieldBytes) / 1e6)
        var line = "IndexingBenchmarks: corpus \(name) (\(path)): \(slice.documents.count) documents, "
        line += "\(jsonlMB) MB of JSONL, \(textMB) MB of field text"
        if let limit { line += " (TRA_BENCH_LIMIT_MB caps it at \(format(Double(limit) / 1e6)) MB)" }
        // The blank line is for the progress bar, which starts by erasing the line above it.
        log(line + "\n")
        return slice
    }

    /// Whole lines of `path` while their total stays within `limitBytes` (at least one line), and their
    /// documents. Every member of a line must be a string; `id` is required.
    static func load(path: String, limitBytes: Int?) throws -> CorpusSlice {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        } catch {
            throw BenchmarkSetupError("cannot read the corpus \(path): \(error)")
        }
        var documents: [Document] = []
        var lineStart = data.startIndex
        var end = data.startIndex
        var lineNumber = 0
        while lineStart < data.endIndex {
            let newline = data[lineStart...].firstIndex(of: UInt8(ascii: "\n"))
            let lineEnd = newline ?? data.endIndex
            let next = newline.map { data.index(after: $0) } ?? data.endIndex
            if let limitBytes, next - data.startIndex > limitBytes, !documents.isEmpty { break }
            lineNumber += 1
            let line = data[lineStart..<lineEnd]
            lineStart = next
            end = next
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
            let object: [String: String]
            do {
                object = try JSONDecoder().decode([String: String].self, from: line)
            } catch {
                throw BenchmarkSetupError("\(path):\(lineNumber): not a JSON object of strings: \(error)")
            }
            guard let id = object["id"] else { throw BenchmarkSetupError("\(path):\(lineNumber): no \"id\"") }
            // Title first, then body, then the rest by name: the order does not change what is indexed.
            let order = ["title": 0, "body": 1]
            let fields = object.filter { $0.key != "id" }
                .sorted { (order[$0.key] ?? 2, $0.key) < (order[$1.key] ?? 2, $1.key) }
                .map { (name: $0.key, value: $0.value) }
            documents.append(Document(id: id, fields: fields))
        }
        guard !documents.isEmpty else { throw BenchmarkSetupError("the corpus \(path) has no document") }
        return CorpusSlice(jsonl: Data(data[data.startIndex..<end]), documents: documents)
    }
}
