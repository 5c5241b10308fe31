/// What one evaluation query gave.
public struct EvaluationOutcome: Sendable, Equatable {
    public var qid: String
    /// The query as it was searched (after stripping diacritics, when asked).
    public var searched: String
    /// The ids of the relevant documents, as in the evaluation set.
    public var relevant: [String]
    /// The ids of the hits, best first.
    public var hits: [String]
    /// The 1-based rank of the first relevant hit; nil when no relevant document is among the hits.
    public var rank: Int?

    public init(qid: String, searched: String, relevant: [String], hits: [String]) {
        self.qid = qid
        self.searched = searched
        self.relevant = relevant
        self.hits = hits
        rank = RetrievalMetrics.firstRelevantRank(hits: hits, relevant: relevant)
    }
}

/// Retrieval quality over a set of queries: MRR@10, Recall@10 and Recall@100, averaged over queries.
///
/// - The reciprocal rank of a query is 1/r for the rank r (1-based) of its first relevant hit when
///   r ≤ 10, else 0. MRR@10 is its mean.
/// - The recall at k of a query is the fraction of its relevant ids (duplicates counted once) found
///   among its first k hits. Recall@k is its mean. With one relevant document per query, as in
///   ViQuAD and XQuAD, it is the share of queries answered within the first k hits.
///
/// Relevant ids that are not in the index still count in the denominators (such a document can
/// never be found); ``unknownRelevant`` says how many there were, so a wrong index shows.
public struct RetrievalMetrics: Sendable, Equatable {
    public var queries: Int
    public var mrrAt10: Double
    public var recallAt10: Double
    public var recallAt100: Double
    /// Queries with no relevant document among their hits.
    public var unanswered: Int
    /// Relevant ids (over all queries, each distinct id of a query once) that are not in the index.
    public var unknownRelevant: Int
    /// Queries with at least one relevant id that is not in the index.
    public var queriesWithUnknownRelevant: Int

    /// Aggregates `outcomes`. `isKnown` says whether an id is in the index; nil skips that check
    /// (both unknown counts are then 0).
    public init(_ outcomes: [EvaluationOutcome], isKnown: ((String) -> Bool)? = nil) {
        queries = outcomes.count
        var reciprocal = 0.0
        var recall10 = 0.0
        var recall100 = 0.0
        var unanswered = 0
        var unknown = 0
        var queriesWithUnknown = 0
        for outcome in outcomes {
            reciprocal += Self.reciprocalRank(outcome.rank, cutoff: 10)
            recall10 += Self.recall(hits: outcome.hits, relevant: outcome.relevant, k: 10)
            recall100 += Self.recall(hits: outcome.hits, relevant: outcome.relevant, k: 100)
            if outcome.rank == nil { unanswered += 1 }
            if let isKnown {
                let missing = Set(outcome.relevant).filter { !isKnown($0) }.count
                unknown += missing
                if missing > 0 { queriesWithUnknown += 1 }
            }
        }
        let count = Double(max(outcomes.count, 1))
        mrrAt10 = reciprocal / count
        recallAt10 = recall10 / count
        recallAt100 = recall100 / count
        self.unanswered = unanswered
        unknownRelevant = unknown
        queriesWithUnknownRelevant = queriesWithUnknown
    }

    /// The 1-based rank of the first hit that is relevant, or nil.
    public static func firstRelevantRank(hits: [String], relevant: [String]) -> Int? {
        let relevant = Set(relevant)
        return hits.firstIndex { relevant.contains($0) }.map { $0 + 1 }
    }

    /// 1/rank when `rank` is at most `cutoff`, else 0.
    public static func reciprocalRank(_ rank: Int?, cutoff: Int) -> Double {
        guard let rank, rank >= 1, rank <= cutoff else { return 0 }
        return 1 / Double(rank)
    }

    /// The fraction of the distinct `relevant` ids among the first `k` hits (0 when there are none).
    public static func recall(hits: [String], relevant: [String], k: Int) -> Double {
        let wanted = Set(relevant)
        guard !wanted.isEmpty else { return 0 }
        let found = Set(hits.prefix(max(k, 0))).intersection(wanted).count
        return Double(found) / Double(wanted.count)
    }
}
