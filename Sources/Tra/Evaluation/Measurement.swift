import TraIndex

/// Runs an evaluation set against a search function and scores the answers (``RetrievalMetrics``).
public enum RetrievalEvaluation {
    /// Per-query outcomes, in the order of the queries, and their aggregate.
    public struct Report: Sendable {
        public var outcomes: [EvaluationOutcome]
        public var metrics: RetrievalMetrics
        /// The distinct relevant ids that are not in the index, sorted (empty when not checked).
        public var unknownRelevantIDs: [String]
    }

    /// Searches every query (with its diacritics removed when `stripDiacritics`) through `search`,
    /// which gets the query text and `limit` and returns the hit ids best first, and scores the
    /// answers. `unknownIDs` are the relevant ids known not to be in the index.
    public static func run(
        _ queries: [EvaluationQuery], limit: Int = 100, stripDiacritics: Bool = false, unknownIDs: Set<String> = [],
        search: (String, Int) throws(TraError) -> [String]
    ) throws(TraError) -> Report {
        let stripper = stripDiacritics ? try DiacriticStripper() : nil
        var outcomes: [EvaluationOutcome] = []
        outcomes.reserveCapacity(queries.count)
        for query in queries {
            let searched = stripper?.strip(query.query) ?? query.query
            let hits = try search(searched, limit)
            outcomes.append(EvaluationOutcome(qid: query.qid, searched: searched, relevant: query.relevant, hits: hits))
        }
        let metrics = RetrievalMetrics(outcomes, isKnown: { !unknownIDs.contains($0) })
        return Report(outcomes: outcomes, metrics: metrics, unknownRelevantIDs: unknownIDs.sorted())
    }

    /// Evaluates `queries` on `searcher` with the top `limit` hits of each (no snippets; the stored
    /// ids are fetched), checking first which relevant ids the index at `searcher.directory` lacks.
    public static func run(
        _ queries: [EvaluationQuery], searcher: Searcher, limit: Int = 100, stripDiacritics: Bool = false
    ) throws(TraError) -> Report {
        let unknown = try DocumentIDs(directory: searcher.directory).missing(from: queries.flatMap(\.relevant))
        var options = SearchOptions()
        options.snippets = false
        options.fetchDocuments = true
        return try run(queries, limit: limit, stripDiacritics: stripDiacritics, unknownIDs: unknown) {
            (text, limit) throws(TraError) in
            options.limit = limit
            return try searcher.search(text, options: options).hits.map(\.id)
        }
    }
}

/// Looks document ids up in the last commit of an index.
public struct DocumentIDs {
    private let snapshot: IndexSnapshot

    /// Opens the index in `directory` (a missing index is a user error, a damaged one an index error).
    public init(directory: String) throws(TraError) {
        do {
            snapshot = try IndexSnapshot(directory: directory, analyzer: nil)
        } catch {
            throw TraError(error)
        }
    }

    /// Whether a live document has this id.
    public func contains(_ id: String) throws(TraError) -> Bool {
        do {
            for segment in snapshot.segments {
                if let doc = try segment.reader.document(withID: id), segment.isLive(doc) { return true }
            }
            return false
        } catch {
            throw TraError(error)
        }
    }

    /// The distinct ids of `ids` that no live document has.
    public func missing(from ids: some Sequence<String>) throws(TraError) -> Set<String> {
        var missing = Set<String>()
        var seen = Set<String>()
        for id in ids where seen.insert(id).inserted {
            if try !contains(id) { missing.insert(id) }
        }
        return missing
    }
}

/// Measures query latency: one unmeasured warm-up pass over all queries, then `runs` measured passes,
/// on the calling thread. Each search call is timed alone with the monotonic `ContinuousClock`
/// (reading the clock costs tens of nanoseconds, included).
public enum QueryBenchmark {
    /// The latencies of every measured call, in microseconds, and what the searches found.
    public struct Report: Sendable {
        public var queries: Int
        public var runs: Int
        /// `latencies[run][query]`, microseconds.
        public var latencies: [[Double]]
        /// The summary over every measured call (queries × runs values).
        public var summary: LatencySummary
        /// Queries whose last measured search found no document.
        public var zeroHitQueries: Int
    }

    /// Runs the passes. `search` runs one query and returns how many documents matched; it is called
    /// `queries.count × (runs + 1)` times. Throws what `search` throws.
    public static func run(
        _ queries: [String], runs: Int, search: (String) throws(TraError) -> Int
    ) throws(TraError) -> Report {
        let runs = max(runs, 1)
        let clock = ContinuousClock()
        for query in queries { _ = try search(query) }
        var latencies: [[Double]] = []
        var zeroHits = 0
        for run in 0..<runs {
            var pass = [Double](repeating: 0, count: queries.count)
            for (index, query) in queries.enumerated() {
                let start = clock.now
                let found = try search(query)
                let elapsed = clock.now - start
                pass[index] = microseconds(elapsed)
                if run == runs - 1 && found == 0 { zeroHits += 1 }
            }
            latencies.append(pass)
        }
        return Report(
            queries: queries.count, runs: runs, latencies: latencies,
            summary: LatencySummary(microseconds: latencies.flatMap { $0 }), zeroHitQueries: zeroHits)
    }

    /// Benchmarks `queries` on `searcher`, top `limit` with the hits' stored fields fetched (as a
    /// search for display does) and, unless `snippets`, without snippets.
    public static func run(
        _ queries: [String], searcher: Searcher, runs: Int, limit: Int = 10, snippets: Bool = false
    ) throws(TraError) -> Report {
        var options = SearchOptions()
        options.limit = limit
        options.snippets = snippets
        options.fetchDocuments = true
        return try run(queries, runs: runs) { (query) throws(TraError) in
            try searcher.search(query, options: options).total
        }
    }

    /// A duration in microseconds.
    public static func microseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1e6 + Double(attoseconds) * 1e-12
    }
}
