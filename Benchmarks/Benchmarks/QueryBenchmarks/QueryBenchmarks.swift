// Query latency by class, against an index built once, in the benchmark's setup.
//
// One benchmark per query class; one iteration runs every query of the class once, one after the
// other on one thread: `Searcher.search` for the top 10, the hits' ids only (no stored fields, no
// snippets: what `tra bench` measures). Phrase queries are the lines wrapped in double quotes. Besides time,
// CPU and malloc calls per iteration, each reports the custom metric "Mean ns per query" (the
// iteration's wall clock over its queries) and prints its median in µs at teardown.
//
// Classes and their files (`Benchmarks/queries/make_queries.py` writes them):
//   Query.single      viwiki-single.txt      one syllable
//   Query.multi       viwiki-multi.txt       2-3 syllables, any of them
//   Query.question    TRA_BENCH_QUESTIONS, else the questions of xquad-vi-queries.jsonl (XQuAD)
//   Query.phrase      viwiki-phrase.txt      2-4 syllables as a phrase
//   Query.prefix      viwiki-prefix.txt      "abc*"
//   Query.unaccented  viwiki-unaccented.txt  the multi set without diacritics
//
// Environment (see ../../README.md; the same conventions as AnalyzerBenchmarks):
//   TRA_BENCH_CORPUS         the .jsonl corpus to index (default: the repository's Corpus/viwiki-sample.jsonl)
//   TRA_BENCH_LIMIT_MB       index only the first lines of the corpus up to this many MB (default: all)
//   TRA_BENCH_INDEX          an existing index to query instead of building one (the corpus is then unused)
//   TRA_BENCH_QUERIES        the folder of the viwiki-*.txt query files (default: Benchmarks/queries)
//   TRA_BENCH_QUESTIONS      a file of questions, one a line (default: the XQuAD questions of the query folder)
//   TRA_BENCH_QUERY_LIMIT    use only the first N queries of each class (default: all)
//   TRA_BENCH_MAX_SECONDS    stop iterating a benchmark after this many seconds (default: 30)
//   TRA_BENCH_MAX_ITERATIONS stop iterating a benchmark after this many iterations (default: 20)
//   TRA_BENCH_WARMUP         warm-up iterations before measuring (default: 1)

import Benchmark
import BenchmarkSupport
import Foundation
import Tra

let meanLatency = BenchmarkMetric.custom("Mean ns per query", polarity: .prefersSmaller, useScalingFactor: false)

/// The query classes: benchmark name, query file (nil: the questions) and whether lines are phrases.
let queryClasses: [(name: String, file: String?, phrase: Bool)] = [
    ("Query.single", "viwiki-single.txt", false),
    ("Query.multi", "viwiki-multi.txt", false),
    ("Query.question", nil, false),
    ("Query.phrase", "viwiki-phrase.txt", true),
    ("Query.prefix", "viwiki-prefix.txt", false),
    ("Query.unaccented", "viwiki-unaccented.txt", false),
]

let benchmarks: @Sendable () -> Void = {
    configureFromEnvironment(metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident, meanLatency])

    for queryClass in queryClasses {
        queryBenchmark(queryClass.name, file: queryClass.file, phrase: queryClass.phrase)
    }
}

/// Registers the benchmark of one query class.
func queryBenchmark(_ name: String, file: String?, phrase: Bool) {
    let box = SuiteState()
    Benchmark(name) { (benchmark: Benchmark, state: QueryState) throws in
        var options = SearchOptions()
        options.limit = 10
        options.snippets = false
        options.fetchDocuments = false
        var found = 0
        let start = ContinuousClock.now
        for query in state.queries {
            found &+= try state.searcher.search(query, options: options).hits.count
        }
        let elapsed = ContinuousClock.now - start
        blackHole(found)
        let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) * 1e-9
        let mean = nanoseconds / Double(state.queries.count)
        state.means.append(mean)
        benchmark.measurement(meanLatency, Int(mean.rounded()))
    } setup: {
        let index = try SharedIndex.shared()
        let queries = try loadQueries(file: file, phrase: phrase)
        let state = QueryState(searcher: try Searcher(directory: index.directory), queries: queries)
        log("\(name): \(queries.count) queries")
        box.state = state
        return state
    } teardown: {
        guard let state = box.state, let values = MeasuredValues(state.means) else { return }
        log(
            "\(name): median \(format(values.median / 1000)) µs per query (min \(format(values.minimum / 1000)), "
                + "max \(format(values.maximum / 1000)), \(values.count) iterations of "
                + "\(state.queries.count) queries)")
    }
}

/// What a benchmark's iterations share: the open index and the queries.
final class QueryState {
    let searcher: Searcher
    let queries: [String]
    /// Mean nanoseconds per query of each iteration, warm-up included.
    var means: [Double] = []

    init(searcher: Searcher, queries: [String]) {
        self.searcher = searcher
        self.queries = queries
    }
}

typealias SuiteState = StateBox<QueryState>

// MARK: - Queries

/// The queries of a class: the lines of `file` in the query folder, or the questions.
func loadQueries(file: String?, phrase: Bool) throws -> [String] {
    let environment = ProcessInfo.processInfo.environment
    var queries: [String]
    if let file {
        let folder = try queryFolder(environment)
        queries = try QueryFiles.readQueryList(path: folder + "/" + file).map(\.text)
    } else if let path = environment["TRA_BENCH_QUESTIONS"], !path.isEmpty {
        queries = try QueryFiles.readQueryList(path: path).map(\.text)
    } else {
        let xquad = try queryFolder(environment) + "/xquad-vi-queries.jsonl"
        queries = try QueryFiles.readEvaluationSet(path: xquad).map(\.query)
    }
    if let text = environment["TRA_BENCH_QUERY_LIMIT"], !text.isEmpty {
        guard let limit = Int(text), limit > 0 else {
            throw BenchmarkSetupError("TRA_BENCH_QUERY_LIMIT must be a positive integer, not \(text)")
        }
        queries = Array(queries.prefix(limit))
    }
    if phrase { queries = queries.map { "\"" + $0.replacingOccurrences(of: "\"", with: " ") + "\"" } }
    return queries
}

func queryFolder(_ environment: [String: String]) throws -> String {
    if let folder = environment["TRA_BENCH_QUERIES"], !folder.isEmpty { return folder }
    guard let root = BenchmarkCorpus.repositoryRoot() else {
        throw BenchmarkSetupError("cannot find the repository root; set TRA_BENCH_QUERIES")
    }
    return root.appendingPathComponent("Benchmarks/queries").path
}

// MARK: - The index

/// The index the benchmarks query: `TRA_BENCH_INDEX`, or one built from the corpus once per process.
final class SharedIndex: Sendable {
    let directory: String
    /// Whether this process built it (and so removes it).
    let built: Bool

    init(directory: String, built: Bool) {
        self.directory = directory
        self.built = built
    }

    static func shared() throws -> SharedIndex { try loaded.get() }

    /// Removes the index this process built, if any.
    static func removeBuilt() {
        guard case .success(let index) = loaded, index.built else { return }
        try? FileManager.default.removeItem(
            atPath: URL(fileURLWithPath: index.directory).deletingLastPathComponent().path)
    }

    private static let loaded: Result<SharedIndex, any Error> = Result {
        let environment = ProcessInfo.processInfo.environment
        if let directory = environment["TRA_BENCH_INDEX"], !directory.isEmpty {
            return SharedIndex(directory: directory, built: false)
        }
        let corpus = try BenchmarkCorpus.path(environment)
        var limit: Int?
        if let text = environment["TRA_BENCH_LIMIT_MB"], !text.isEmpty {
            guard let mb = Double(text), mb > 0 else {
                throw BenchmarkSetupError("TRA_BENCH_LIMIT_MB must be a positive number, not \(text)")
            }
            limit = Int(mb * 1e6)
        }
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("tra-bench-query-\(ProcessInfo.processInfo.processIdentifier)-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var input = corpus
        if let limit {
            input = folder.appendingPathComponent("slice.jsonl").path
            try slice(corpus, limitBytes: limit).write(to: URL(fileURLWithPath: input))
        }
        let directory = folder.appendingPathComponent("index").path
        // Removed when the process exits (several benchmarks of one process may share it).
        atexit { SharedIndex.removeBuilt() }
        let summary = try SearchIndex.build(inputs: [input], directory: directory, mode: .create)
        log(
            "QueryBenchmarks: indexed \(summary.documents) documents of \(URL(fileURLWithPath: corpus).lastPathComponent) "
                + "(\(format(Double(summary.bytesRead) / 1e6)) MB) in \(format(summary.seconds)) s\n")
        return SharedIndex(directory: directory, built: true)
    }
}

/// Whole lines of `path` while their total stays within `limitBytes` (at least one line).
func slice(_ path: String, limitBytes: Int) throws -> Data {
    let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
    var end = data.startIndex
    while end < data.endIndex {
        let next = data[end...].firstIndex(of: UInt8(ascii: "\n")).map { data.index(after: $0) } ?? data.endIndex
        if next - data.startIndex > limitBytes, end > data.startIndex { break }
        end = next
    }
    return Data(data[data.startIndex..<end])
}
