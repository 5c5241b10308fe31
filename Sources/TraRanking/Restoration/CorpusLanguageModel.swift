import TraIndex

/// The language model of an indexed corpus, read from an index snapshot: how often each
/// accented form of a folded syllable occurs (the `totalFreq` of its variant terms in the bodies,
/// every segment) and how often two accented forms follow each other in a field (the PAIRS
/// sections, IndexFormat.md). Nothing is loaded up front: counts are read from the mapped
/// segments when asked for.
package struct CorpusLanguageModel {
    package let snapshot: IndexSnapshot
    /// Tokens in the bodies (every segment): the N of unigram probabilities.
    package let tokenCount: Double

    package init(snapshot: IndexSnapshot) {
        self.snapshot = snapshot
        var tokens = 0
        for segment in snapshot.segments { tokens += segment.reader.fieldStatistics[.body]?.tokens ?? 0 }
        tokenCount = Double(max(tokens, 1))
    }

    /// The accented forms of folded key `folded` that occur in the corpus bodies (in the titles
    /// when no body has it), with their counts, most frequent first (ties by key bytes).
    ///
    /// - Complexity: one dictionary seek per segment (two when the bodies lack the key), plus
    ///   the variants scanned.
    package func variants(of folded: [UInt8]) throws(IndexError) -> [(key: [UInt8], count: Double)] {
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
        return counts.map { (key: $0.key, count: Double($0.value)) }.sorted {
            $0.count != $1.count ? $0.count > $1.count : $0.key.lexicographicallyPrecedes($1.key)
        }
    }

    /// How often the accented form `key` of folded key `folded` occurs in the bodies (in the
    /// titles when no body has it), as ``variants(of:)`` counts.
    package func count(of key: [UInt8], folded: [UInt8]) throws(IndexError) -> Double {
        var total = 0
        for field in [IndexedField.body, .title] where total == 0 {
            let term = [field.rawValue] + folded + [0] + key
            for segment in snapshot.segments { total += try segment.reader.lookup(term)?.totalFreq ?? 0 }
        }
        return Double(total)
    }

    /// How often `left` is directly followed by `right` (two accented keys) in one field.
    package func pairCount(_ left: [UInt8], _ right: [UInt8]) throws(IndexError) -> Double {
        let key = PairKey.make(left, right)
        var total: UInt64 = 0
        for segment in snapshot.segments { total &+= try segment.reader.pairs.count(key) }
        return Double(total)
    }
}
