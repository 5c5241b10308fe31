#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The weights of tra's ranking function: BM25F over the title and the body, plus a proximity
/// component for query syllables found adjacent and in order.
///
/// BM25 and its multi-field form BM25F follow Robertson and Zaragoza, "The Probabilistic Relevance
/// Framework: BM25 and Beyond" (Foundations and Trends in Information Retrieval 3(4), 2009),
/// sections 3.4 and 3.5: the term frequencies of the fields are first normalized by each field's
/// length and weighted, then summed, and the sum is saturated once:
///
///     tf~(t, d) = Σ_f  w_f · tf_f(t, d) / (1 − b_f + b_f · len_f(d) / avglen_f)
///     score(t, d) = idf(t) · tf~ · (k1 + 1) / (k1 + tf~)
///     idf(t) = ln(1 + (N − df + 0.5) / (df + 0.5))
///
/// The idf is the non-negative variant Lucene uses. The defaults were tuned on the ViQuAD train
/// questions (see docs/BENCHMARKS.md); nothing else was used to choose them.
public struct ScoringParameters: Sendable, Equatable {
    /// Term-frequency saturation.
    public var k1: Double = 0.9
    /// Length normalization of the title.
    public var titleB: Double = 0.5
    /// Length normalization of the body.
    public var bodyB: Double = 0.75
    /// Weight of a title occurrence relative to a body occurrence.
    public var titleWeight: Double = 2.0
    /// Weight of the proximity component (adjacent query syllables found adjacent, in order),
    /// relative to one query term. Chosen with ``proximityWindow`` on the ViQuAD train questions
    /// (MRR@10 accented / stripped, `tra eval --limit 100`): with a window of 20, weights 1.0 and
    /// 0.8 give 0.8100 / 0.7943 and 0.8110 / 0.7941; with a window of 15, 0.6 to 1.5 give 0.8095 /
    /// 0.7914 (0.6), 0.8099 / 0.7921 (0.7), 0.8099 / 0.7924 (0.8), 0.8090 / 0.7926 (1.0), 0.8074 /
    /// 0.7919 (1.2) and 0.8047 / 0.7892 (1.5).
    public var proximityWeight: Double = 0.8
    /// Weight of three query syllables typed in a row found in a row (relative to the proximity
    /// component of a pair, which it multiplies).
    public var tripleWeight: Double = 0.5
    /// How many of the best documents by BM25F alone the proximity component reorders (a rescoring
    /// window, as Lucene's `QueryRescorer` has): they come first, ordered by their full score, the
    /// others follow in BM25F order with their BM25F score. Reading positions for a few dozen
    /// documents instead of every candidate is what keeps long queries fast; 0 scores proximity
    /// for every matching document (slower, the ranking the window approximates). At proximity
    /// weight 1.0, windows of 10, 20, 30, 50 and 0 give MRR@10 0.7811 / 0.7648 / 0.9571, 0.7805 /
    /// 0.7701 / 0.9567, 0.7810 / 0.7709 / 0.9568, 0.7808 / 0.7720 / 0.9569 and 0.7810 / 0.7731 /
    /// 0.9569 on the ViQuAD dev questions (accented / stripped) and XQuAD, and on the train
    /// questions windows of 10, 12, 15, 20 and 30 give 0.8073 / 0.7892, 0.8082 / 0.7908, 0.8090 /
    /// 0.7926, 0.8100 / 0.7943 and 0.8107 / 0.7956. A window of 20 with weight 0.8 (train 0.8110
    /// / 0.7941; at 30, 0.8116 / 0.7952) reads positions for a third fewer documents, and the
    /// first stage keeps 20 documents instead of 30: questions about 13 % faster (`tra bench`).
    public var proximityWindow: Int = 20
    /// In a query of at least ``commonMinimumSyllables`` scoring syllables (a question, a sentence),
    /// the syllables typed with their marks that occur in more than this fraction of the documents
    /// ("common" words: của, là, có, được...) do not take part in choosing the proximity window:
    /// the first stage ranks by the other syllables alone, and the common ones score only in the
    /// window, with the rest of the full score. Lucene's `CommonTermsQuery` and Elasticsearch's
    /// `cutoff_frequency` treat frequent terms so. Their postings are the longest and their
    /// weight the smallest, so the first stage skips much of its work. Not for syllables typed
    /// without marks (their forms together are common, the form meant may not be), nor when every
    /// syllable is common; 0 (or 1) turns it off. On the ViQuAD train questions (MRR@10 accented /
    /// stripped, `tra eval --limit 100`): off 0.8110 / 0.7941; 0.5, 0.4, 0.3 and 0.25 give
    /// 0.8108 / 0.7941, 0.8103 / 0.7941, 0.8100 / 0.7941 and 0.8080 / 0.7941; dev and XQuAD: off
    /// 0.7844 / 0.7713 and 0.9580 / 0.9541, 0.5 0.7848 / 0.7713 and 0.9580 / 0.9541, 0.3 0.7850 /
    /// 0.7713 and 0.9580 / 0.9541. ViQuAD's documents are paragraphs, where few syllables pass the
    /// cutoff; in whole articles many do. On the viwiki index, 150 questions: the top hit is the
    /// one without the cutoff for 96.7 % of them at 0.5 (top-10 overlap 95 %), 91.3 % at 0.4
    /// (87.5 %), 88 % at 0.3 (75 %), and questions take 15 %, 22 % and 32 % less time
    /// (`tra bench`): 0.5 keeps the ranking where the evaluation cannot vouch for it.
    public var commonCutoff: Double = 0.5
    /// The fewest scoring syllables a query needs for ``commonCutoff`` to apply: a short query's
    /// frequent syllable is often half of a name ("Quảng Nam"), which the window must not lose.
    public var commonMinimumSyllables: Int = 5
    /// Extra frequency credited to an occurrence written exactly as the query syllable (with the
    /// same marks or, for an unaccented query syllable, with none), so exact-accent matches rank
    /// above folded-only ones.
    public var exactBoost: Double = 0.2
    /// For a query syllable typed without (all) its marks, the accented form the corpus language
    /// model reads takes the place of the form typed (it gets ``exactBoost``), and occurrences of
    /// its other forms weigh `1 − readingWeight × p`, p the reading's probability: 1 makes a sure
    /// reading as selective as typing its marks, 0 weighs every form alike (0...1). Proximity
    /// weighs adjacent occurrences of other forms the same way. This and ``readingIDFWeight``
    /// were chosen on every 8th ViQuAD train question (2,322), diacritics stripped.
    public var readingWeight: Double = 0.9
    /// How far the idf of a syllable with a reading moves from the idf of all its forms towards
    /// the idf of the form read, times the reading's probability (0: not at all, 1: fully).
    public var readingIDFWeight: Double = 0.5

    public init() {}

    /// Checks the ranges: everything finite, k1 and the weights >= 0, b in 0...1.
    public func validated() -> String? {
        let values = [
            k1, titleB, bodyB, titleWeight, proximityWeight, tripleWeight, exactBoost, readingWeight, readingIDFWeight,
        ]
        if values.contains(where: { !$0.isFinite || $0 < 0 }) { return "scoring weights must be finite and >= 0" }
        if titleB > 1 || bodyB > 1 { return "b must be between 0 and 1" }
        if readingIDFWeight > 1 || readingWeight > 1 { return "the reading weights must be between 0 and 1" }
        if proximityWindow < 0 { return "the proximity window must be >= 0 (0: every document)" }
        if !commonCutoff.isFinite || commonCutoff < 0 || commonCutoff > 1 {
            return "the common-syllable cutoff must be between 0 and 1 (0: off)"
        }
        if commonMinimumSyllables < 1 { return "the common-syllable minimum must be >= 1" }
        return nil
    }
}

/// The arithmetic of BM25F, shared by the exhaustive and the pruned evaluation so that both give
/// bit-identical scores.
public enum BM25F {
    /// The inverse document frequency of a term found in `documentFrequency` of `documentCount`
    /// documents.
    @inline(__always)
    public static func idf(documentFrequency: Int, documentCount: Int) -> Double {
        let df = Double(min(max(documentFrequency, 0), documentCount))
        return log(1 + (Double(documentCount) - df + 0.5) / (df + 0.5))
    }

    /// The length-normalization divisor of a field of `length` tokens.
    @inline(__always)
    public static func lengthNorm(length: UInt32, averageLength: Double, b: Double) -> Double {
        LengthNormalization(averageLength: averageLength, b: b)(length)
    }

    /// The saturated score of a combined pseudo-frequency.
    @inline(__always)
    public static func saturate(_ tf: Double, k1: Double) -> Double {
        tf > 0 ? tf * (k1 + 1) / (k1 + tf) : 0
    }
}

/// The length normalization of one field, `1 − b + b · length / averageLength`, as
/// `(1 − b) + (b / averageLength) · length` with both constants computed once: one multiply and
/// one add per document instead of a division (every score and every bound uses this form, so
/// they stay consistent to the bit).
public struct LengthNormalization: Sendable, Equatable {
    /// `1 − b` (1 for a field without tokens).
    public let base: Double
    /// `b / averageLength` (0 for a field without tokens).
    public let slope: Double

    public init(averageLength: Double, b: Double) {
        if averageLength > 0 {
            base = 1 - b
            slope = b / averageLength
        } else {
            base = 1
            slope = 0
        }
    }

    /// The divisor of a field of `length` tokens.
    @inline(__always)
    public func callAsFunction(_ length: UInt32) -> Double { base + slope * Double(length) }
}
