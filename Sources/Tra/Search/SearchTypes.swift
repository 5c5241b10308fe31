import TraRanking

/// How ``Searcher/search(_:options:)`` runs a query.
public struct SearchOptions: Sendable {
    /// Hits to return (top-k).
    public var limit = 10
    /// Every bare term is required (`--all`); by default documents matching more terms rank higher.
    public var requireAll = false
    /// Attach an explanation of each hit's score.
    public var explain = false
    /// Build a highlighted snippet of each hit's body.
    public var snippets = true
    /// Fetch the hits' stored fields (title, body and the rest); without it a hit has its id and
    /// score only (what evaluation and the peers' benchmarks need).
    public var fetchDocuments = true
    /// At most this many terms for each `prefix*` (the most frequent are kept, with a notice);
    /// values below 1 read as 1.
    public var prefixExpansionLimit = 64
    /// Scoring weights.
    public var scoring = ScoringParameters()
    /// Score every matching document instead of pruning with the per-block maxima (for tests: the
    /// results must be identical).
    public var exhaustive = false
    /// How a query of optional words alone is evaluated when not exhaustive (for tests, which
    /// compare each way with exhaustive evaluation; ``DisjunctionStrategy``).
    package var disjunction = DisjunctionStrategy.automatic
    /// Also search what a word typed in plain ASCII types in Telex or VNI ("vieejt" → việt,
    /// "vie65t" → việt) when that is a valid Vietnamese syllable; the word as typed is searched too.
    public var decodeInputMethods = true
    /// Typo tolerance for every word (`--fuzzy`), as a trailing `~` gives it to one word: words of
    /// the index a wrong tone, a wrong letter modifier or one letter edit away match too, weighted
    /// by how far they are.
    public var fuzzy = false
    /// At most this many index terms per fuzzy word and field (the closest, then the most
    /// frequent); values below 1 read as 1.
    public var fuzzyExpansionLimit = 64
    /// Restore the diacritics of words typed without (all) their marks with the language model of
    /// the indexed corpus, and rank documents with that reading higher; off, every accented form
    /// of an unaccented word weighs the same.
    public var restoreDiacritics = true
    /// Score the interrogative words of a question (a query ending with `?`: "gì", "nào", "bao
    /// nhiêu", ...) like any other word; by default they are left out of its bare words, since
    /// they say how the question asks, not what about (TraTokenizer's `QuestionWords`).
    public var keepQuestionWords = false
    /// Time each phase of the search (``SearchResult/phases``): for a benchmark that asks where
    /// the latency comes from; it costs a few clock readings (tens of nanoseconds each).
    public var timePhases = false

    public init() {}
}

/// How a word of the query that holds Telex or VNI keys was searched.
public struct QueryReading: Sendable, Equatable {
    /// The word as typed, in lower case ("vieejt").
    public var typed: String
    /// The syllable its keys type ("việt").
    public var reading: String
    /// "Telex" or "VNI".
    public var method: String
    /// Which readings the index has, so were searched: "typed", "reading", "both" or "none".
    public var searched: String

    /// Makes a reading.
    public init(typed: String, reading: String, method: String, searched: String) {
        self.typed = typed
        self.reading = reading
        self.method = method
        self.searched = searched
    }
}

/// One ranked document.
public struct SearchHit: Sendable {
    /// The document's external id.
    public var id: String
    public var score: Double
    /// The stored title ("" when the document has none).
    public var title: String
    /// Every stored field, in input order.
    public var fields: [(name: String, value: String)]
    /// The best window of the body with the matched syllables marked, when asked for.
    public var snippet: Snippet?
    /// The score's components, when asked for.
    public var explanation: Explanation?
}

/// The answer to a query.
public struct SearchResult: Sendable {
    /// The query as typed.
    public var query: String
    public var hits: [SearchHit]
    /// Documents that matched: exact when ``totalIsLowerBound`` is false, else at least this many
    /// (pruning skipped documents that could not enter the top-k).
    public var total: Int
    public var totalIsLowerBound: Bool
    /// What the query parser or the planner changed or dropped, one sentence each ("the quote
    /// opened at character 5 is not closed: read to the end").
    public var notices: [String]
    /// Microseconds spent in the search call.
    public var tookMicroseconds: Int
    /// The words read as Telex or VNI keys, in query order (also summed up in ``notices``).
    public var readings: [QueryReading] = []
    /// The query with the diacritics the corpus language model restored ("Việt Nam" for "Viet
    /// Nam"), when that reading differs from what was typed; nil otherwise or when restoration is
    /// off.
    public var restored: String? = nil
    /// The probability of ``restored``: the product of the posterior probabilities of its restored
    /// syllables that had more than one candidate.
    public var restoredProbability: Double? = nil
    /// Where the time went, when ``SearchOptions/timePhases``.
    public var phases: SearchPhases? = nil
}

/// Where one search's time went (``SearchOptions/timePhases``): microseconds per phase, in the
/// order they run. Together they make about ``SearchResult/tookMicroseconds``.
public struct SearchPhases: Sendable, Equatable {
    /// The phases, in order: parsing and planning the query (the analysis of its words, its
    /// question words, Telex and VNI readings); the accented reading of words typed without their
    /// marks; their index terms and idf; opening the first stage's cursors; the first stage (the
    /// top documents by BM25F, MaxScore); the proximity window scored in full; explanations; and
    /// naming the hits (their ids, stored fields and snippets as asked).
    public static let names = [
        "planning", "restoration", "expansion", "setup", "retrieval", "proximity", "explanation", "hits",
    ]

    /// Microseconds per phase, in the order of ``names``.
    public var microseconds: [Double]

    public init(microseconds: [Double]) {
        precondition(microseconds.count == Self.names.count, "one duration per phase")
        self.microseconds = microseconds
    }

    /// The microseconds of the phase named `name` (one of ``names``).
    public subscript(name: String) -> Double? {
        Self.names.firstIndex(of: name).map { microseconds[$0] }
    }
}
