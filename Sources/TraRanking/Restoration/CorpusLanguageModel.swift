import TraIndex

/// The language model of an indexed corpus, read from an index snapshot: how often each
/// accented form of a folded syllable occurs (the `totalFreq` of its variant terms in the bodies,
/// every segment) and how often two accented forms follow each other in a field (the PAIRS
/// sections, IndexFormat.md). Nothing is loaded up front: counts are read from the mapped
/// segments when asked for, and kept (copies of a model share what they keep) until
/// ``trimToBudget()`` finds more than ``budget`` answers kept: a search engine keeps one model
/// for its snapshot, and queries ask again for the same syllables and pairs.
package struct CorpusLanguageModel {
    package let snapshot: IndexSnapshot
    /// Tokens in the bodies (every segment): the N of unigram probabilities.
    package let tokenCount: Double
    /// The most answers (variant lists, counts and pair counts together) kept after a query.
    package let budget: Int
    private let kept = Kept()

    /// What the model read so far.
    private final class Kept {
        var variants: [[UInt8]: [(key: [UInt8], count: Double)]] = [:]
        /// By folded key, 0, accented key.
        var counts: [[UInt8]: Double] = [:]
        var pairs: [UInt64: Double] = [:]

        var count: Int { variants.count + counts.count + pairs.count }
    }

    package init(snapshot: IndexSnapshot, budget: Int = 20_000) {
        self.snapshot = snapshot
        self.budget = budget
        var tokens = 0
        for segment in snapshot.segments { tokens += segment.reader.fieldStatistics[.body]?.tokens ?? 0 }
        tokenCount = Double(max(tokens, 1))
    }

    /// The number of answers kept.
    package var keptCount: Int { kept.count }

    /// Forgets every answer kept once there are more than ``budget`` of them.
    package func trimToBudget() {
        guard kept.count > budget else { return }
        kept.variants = [:]
        kept.counts = [:]
        kept.pairs = [:]
    }

    /// The accented forms of folded key `folded` that occur in the corpus bodies (in the titles
    /// when no body has it), with their counts, most frequent first (ties by key bytes).
    ///
    /// - Complexity: one dictionary seek per segment (two when the bodies lack the key), plus
    ///   the variants scanned; none when the answer is kept.
    package func variants(of folded: [UInt8]) throws(IndexError) -> [(key: [UInt8], count: Double)] {
        if let known = kept.variants[folded] { return known }
        var counts: [[UInt8]: Int] = [:]
        for field in [IndexedField.body, .title] where counts.isEmpty {
            let start = [field.rawValue] + folded + [0]
            for segment in snapshot.segments {
                var cursor = try segment.reader.seek(start)
                while let info = try cursor.next() {
                    let term = cursor.term
                    guard term.count > start.count, term.starts(with: start) else { break }
                    counts[Array(term[start.count...]), default: 0] += info.totalFreq
                }
            }
        }
        let variants = counts.map { (key: $0.key, count: Double($0.value)) }.sorted {
            $0.count != $1.count ? $0.count > $1.count : $0.key.lexicographicallyPrecedes($1.key)
        }
        kept.variants[folded] = variants
        return variants
    }

    /// How often the accented form `key` of folded key `folded` occurs in the bodies (in the
    /// titles when no body has it), as ``variants(of:)`` counts.
    package func count(of key: [UInt8], folded: [UInt8]) throws(IndexError) -> Double {
        let id = folded + [0] + key
        if let known = kept.counts[id] { return known }
        var total = 0
        for field in [IndexedField.body, .title] where total == 0 {
            let term = [field.rawValue] + id
            for segment in snapshot.segments { total += try segment.reader.lookup(term)?.totalFreq ?? 0 }
        }
        kept.counts[id] = Double(total)
        return Double(total)
    }

    /// How often `left` is directly followed by `right` (two accented keys) in one field.
    package func pairCount(_ left: [UInt8], _ right: [UInt8]) throws(IndexError) -> Double {
        // Remembered under the keys of both sections (a segment may hold either, or both).
        let key = PairKey.tokenKey(left, right) << 32 | PairKey.make(left, right)
        if let known = kept.pairs[key] { return known }
        var total: UInt64 = 0
        for segment in snapshot.segments { total &+= try segment.reader.pairCount(left, right) }
        kept.pairs[key] = Double(total)
        return Double(total)
    }
}
