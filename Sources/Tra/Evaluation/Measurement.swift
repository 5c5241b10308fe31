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
    /// answers. `unknownIDs` are the relevant ids known not to be in the index. A failed search stops
    /// the run with its error, prefixed by `source:LINE` (the query's file and line) when `source` is
    /// given, else by the query's id.
    public static func run(
        _ queries: [EvaluationQuery], limit: Int = 100, stripDiacritics: Bool = false, unknownIDs: Set<String> = [],
        source: String? = nil, search: (String, Int) throws(TraError) -> [String]
    ) throws(TraError) -> Report {
        let stripper = stripDiacritics ? try DiacriticStripper() : nil
        var outcomes: [EvaluationOutcome] = []
        outcomes.reserveCapacity(queries.count)
        for query in queries {
            let searched = stripper?.strip(query.query) ?? query.query
            let hits: [String]
            do {
                hits = try search(searched, limit)
            } catch {
                throw TraError(
                    error.kind, "\(source.map { "\($0):\(query.line)" } ?? "query \(query.qid)"): \(error.message)")
            }
            outcomes.append(EvaluationOutcome(qid: query.qid, searched: searched, relevant: query.relevant, hits: hits))
        }
        let metrics = RetrievalMetrics(outcomes, isKnown: { !unknownIDs.contains($0) })
        return Report(outcomes: outcomes, metrics: metrics, unknownRelevantIDs: unknownIDs.sorted())
    }

    /// Evaluates `queries` on `searcher` with the top `limit` hits of each (no snippets; the stored
    /// ids are fetched), checking first which relevant ids the index at `searcher.directory` lacks.
    public static func run(
        _ queries: [EvaluationQuery], searcher: Searcher, limit: Int = 100, stripDiacritics: Bool = false,
        source: String? = nil, scoring: ScoringParameters = ScoringParameters(), fuzzy: Bool = false,
        decodeInputMethods: Bool = true, restoreDiacritics: Bool = true, keepQuestionWords: Bool = false
    ) throws(TraError) -> Report {
        let unknown = try DocumentIDs(directory: searcher.directory).missing(from: queries.flatMap(\.relevant))
        var options = SearchOptions()
        options.scoring = scoring
        options.fuzzy = fuzzy
        options.decodeInputMethods = decodeInputMethods
        options.restoreDiacritics = restoreDiacritics
        options.keepQuestionWords = keepQuestionWords
        options.snippets = false
        options.fetchDocuments = false
        return try run(queries, limit: limit, stripDiacritics: stripDiacritics, unknownIDs: unknown, source: source) {
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
        /// What each query matched in the last measured pass (documents, as `search` counts them).
        public var matches: [Int]
        /// Queries whose last measured search found no document.
        public var zeroHitQueries: Int { matches.count { $0 == 0 } }
        /// With phases timed, the mean microseconds of each phase (``SearchPhases/names``) over the
        /// measured calls.
        public var phases: SearchPhases? = nil
    }

    /// Runs the passes. `search` runs one query and returns how many documents matched; it is called
    /// `queries.count × (runs + 1)` times. A failed search stops the run with its error, prefixed by
    /// `label(index)` of the query (by default "query N", 1-based).
    public static func run(
        _ queries: [String], runs: Int, label: (Int) -> String = { "query \($0 + 1)" },
        search: (String) throws(TraError) -> Int
    ) throws(TraError) -> Report {
        let runs = max(runs, 1)
        let clock = ContinuousClock()
        var matches = [Int](repeating: 0, count: queries.count)
        for (index, query) in queries.enumerated() {
            do { _ = try search(query) } catch { throw TraError(error.kind, "\(label(index)): \(error.message)") }
        }
        var latencies: [[Double]] = []
        for _ in 0..<runs {
            var pass = [Double](repeating: 0, count: queries.count)
            for (index, query) in queries.enumerated() {
                let start = clock.now
                let found: Int
                do { found = try search(query) } catch {
                    throw TraError(error.kind, "\(label(index)): \(error.message)")
                }
                let elapsed = clock.now - start
                pass[index] = microseconds(elapsed)
                matches[index] = found
            }
            latencies.append(pass)
        }
        return Report(
            queries: queries.count, runs: runs, latencies: latencies,
            summary: LatencySummary(microseconds: latencies.flatMap { $0 }), matches: matches)
    }

    /// Benchmarks `queries` on `searcher`, top `limit` with the hits' ids (as the peers fetch
    /// theirs), with their stored fields when `fetchDocuments` (as a search for display does) and
    /// snippets when `snippets`. With `phases`, each search also times its phases
    /// (``SearchOptions/timePhases``, their clock readings in the latencies) and the report has
    /// their means over the measured calls.
    public static func run(
        _ queries: [String], searcher: Searcher, runs: Int, limit: Int = 10, snippets: Bool = false,
        fetchDocuments: Bool = false, scoring: ScoringParameters = ScoringParameters(),
        fuzzy: Bool = false, decodeInputMethods: Bool = true, restoreDiacritics: Bool = true,
        keepQuestionWords: Bool = false, phases: Bool = false, label: (Int) -> String = { "query \($0 + 1)" }
    ) throws(TraError) -> Report {
        var options = SearchOptions()
        options.scoring = scoring
        options.fuzzy = fuzzy
        options.decodeInputMethods = decodeInputMethods
        options.restoreDiacritics = restoreDiacritics
        options.keepQuestionWords = keepQuestionWords
        options.limit = limit
        options.snippets = snippets
        options.fetchDocuments = fetchDocuments || snippets
        options.timePhases = phases
        // The first queries.count calls are the warm-up pass (``run(_:runs:label:search:)``).
        var calls = 0
        var sums = [Double](repeating: 0, count: SearchPhases.names.count)
        var report = try run(queries, runs: runs, label: label) { (query) throws(TraError) in
            let result = try searcher.search(query, options: options)
            calls += 1
            if calls > queries.count, let times = result.phases {
                for i in sums.indices { sums[i] += times.microseconds[i] }
            }
            return result.total
        }
        let measured = calls - queries.count
        if phases && measured > 0 {
            report.phases = SearchPhases(microseconds: sums.map { $0 / Double(measured) })
        }
        return report
    }

    /// A duration in microseconds.
    public static func microseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1e6 + Double(attoseconds) * 1e-12
    }
}
