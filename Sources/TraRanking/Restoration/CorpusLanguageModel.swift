import TraIndex

/// The language model of an indexed corpus, read from an index snapshot: how often each
/// accented form of a folded syllable occurs (the `totalFreq` of its variant terms, title and
/// body, every segment) and how often two accented forms follow each other (the PAIRS sections,
/// IndexFormat.md). Nothing is loaded up front: counts are read from the mapped segments when
/// asked for.
package struct CorpusLanguageModel {
    package let snapshot: IndexSnapshot
    /// Tokens in the corpus (both fields, every segment): the N of unigram probabilities.
    package let tokenCount: Double

    package init(snapshot: IndexSnapshot) {
        self.snapshot = snapshot
        var tokens = 0
        for segment in snapshot.segments {
            for statistics in segment.reader.fieldStatistics.values { tokens += statistics.tokens }
        }
        tokenCount = Double(max(tokens, 1))
    }

    /// The accented forms of folded key `folded` that occur in the corpus, with their counts, most
    /// frequent first (ties by key bytes).
    ///
    /// - Complexity: one dictionary seek per field and segment, plus the variants scanned.
    package func variants(of folded: [UInt8]) throws(IndexError) -> [(key: [UInt8], count: Double)] {
        var counts: [[UInt8]: Int] = [:]
        for field in IndexedField.allCases {
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
        return counts.map { (key: $0.key, count: Double($0.value)) }.sorted {
            $0.count != $1.count ? $0.count > $1.count : $0.key.lexicographicallyPrecedes($1.key)
        }
    }

    /// How often the accented form `key` of folded key `folded` occurs.
    package func count(of key: [UInt8], folded: [UInt8]) throws(IndexError) -> Double {
        var total = 0
        for field in IndexedField.allCases {
            let term = [field.rawValue] + folded + [0] + key
            for segment in snapshot.segments { total += try segment.reader.lookup(term)?.totalFreq ?? 0 }
        }
        return Double(total)
    }

    /// How often `left` is directly followed by `right` (two accented keys) in one field.
    package func pairCount(_ left: [UInt8], _ right: [UInt8]) -> Double {
        let key = PairKey.make(left, right)
        var total: UInt64 = 0
        for segment in snapshot.segments { total &+= segment.reader.pairs.count(key) }
        return Double(total)
    }
}
