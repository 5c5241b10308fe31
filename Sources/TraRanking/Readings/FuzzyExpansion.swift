import TraIndex
import TraTokenizer

/// Typo tolerance for one query syllable (`word~`, `--fuzzy`): the index terms within a small,
/// Vietnamese-aware edit cost of it, each weighted by its cost.
///
/// The cost of a candidate is its ``MarkDistance`` from the query (a wrong tone 0.25, a missing or
/// extra tone 0.5, a wrong letter modifier 0.5), plus ``baseEditCost`` when its letters are one edit
/// away (a letter inserted, deleted, replaced, or two letters swapped: Damerau-Levenshtein distance 1
/// on the folded key). Marks the query leaves out stay wildcards, as without `~`: "cho~" reads the
/// folded term cho (every variant) at cost 0. Candidates cost at most ``maximumCost``, so a
/// letter edit keeps the marks ("chó~" reaches khó, not khò), and letters are edited only in
/// folded keys of at least ``minimumEditedLength`` ASCII letters.
///
/// The candidates come from the index's own term dictionaries without scanning them: the folded
/// keys one edit away (at most 54 n + 25 for n letters) are looked up exactly, and the variant
/// range of each (`folded 0x00 ...`) is read only when the query has marks. Each candidate's
/// postings count with the weight 1 / (1 + 3 cost) of their cost above the cheapest candidate's
/// (the word itself when the index has it): 1 exact, 0.57 a wrong tone, 0.4 a missing tone, 0.25 a
/// letter edit, times their idf relative to the word's when they are more frequent than it (see
/// ``weigh(_:documentCount:)``). A candidate weighted below 1 counts once per document, however
/// often it occurs (``TermStream/weightedFreq``). So "chó~" ranks chó, then chò/chọ/chỏ, then cho
/// and khó.
package enum FuzzyExpansion {
    package static let baseEditCost = 1.0
    package static let maximumCost = 1.0
    package static let minimumEditedLength = 3
    private static let maximumEditedLength = 12

    /// The weight of a candidate's occurrences.
    package static func weight(_ cost: Double) -> Double { 1 / (1 + 3 * cost) }

    struct Candidate {
        var term: [UInt8]
        var cost: Double
        var documentFrequency: Int
        /// A folded term (every variant), rather than one variant.
        var isFolded: Bool
    }

    /// The expansion of a fuzzy `syllable` in `field`: the `limit` cheapest candidates (the most
    /// frequent first among equal costs), weighted, with their variant terms for positions when
    /// `needsPositions`.
    static func expand(
        _ syllable: QueryPlan.Syllable, field: IndexedField, snapshot: IndexSnapshot,
        statistics: some RankingStatistics, distance: MarkDistance, limit: Int, needsPositions: Bool
    ) throws(IndexError) -> ExpandedField {
        let prefix = [field.rawValue]
        let kind = syllable.constraint?.kind ?? .exact
        let query = distance.marks(syllable.key)
        var found: [[UInt8]: Candidate] = [:]

        func addVariants(of folded: [UInt8], sameLetters: Bool) throws(IndexError) {
            try scanVariants(prefix + folded, snapshot: snapshot) { term, key, frequency in
                let marks = distance.marks(key)
                var cost = sameLetters ? 0 : baseEditCost
                switch kind {
                case .any: break
                case .sameConsonants:
                    if MarkDistance.strokes(marks) != MarkDistance.strokes(query) { cost += MarkDistance.modifier }
                case .exact: cost += distance.cost(query, marks, sameLetters: sameLetters)
                }
                guard cost <= maximumCost else { return }
                found[term, default: Candidate(term: term, cost: cost, documentFrequency: 0, isFolded: false)]
                    .documentFrequency += frequency
            }
        }
        func addFolded(_ folded: [UInt8], cost: Double) throws(IndexError) {
            let term = prefix + folded
            var frequency = 0
            for segment in snapshot.segments { frequency += try segment.reader.lookup(term)?.docFreq ?? 0 }
            if frequency > 0 {
                found[term] = Candidate(term: term, cost: cost, documentFrequency: frequency, isFolded: true)
            }
        }

        if kind == .any {
            try addFolded(syllable.folded, cost: 0)
        } else {
            try addVariants(of: syllable.folded, sameLetters: true)
        }
        for neighbour in neighbours(of: syllable.folded) {
            if kind == .any {
                try addFolded(neighbour, cost: baseEditCost)
            } else {
                try addVariants(of: neighbour, sameLetters: false)
            }
        }

        let kept = found.values.sorted {
            if $0.cost != $1.cost { return $0.cost < $1.cost }
            if $0.documentFrequency != $1.documentFrequency { return $0.documentFrequency > $1.documentFrequency }
            return $0.term.lexicographicallyPrecedes($1.term)
        }.prefix(max(limit, 1))
        // Positions (for the proximity component) come from the cheapest candidates only: a
        // near-miss next to another query word is no evidence of the phrase.
        var positions: [[UInt8]] = []
        if needsPositions, let cheapest = kept.first?.cost {
            for candidate in kept where candidate.cost == cheapest {
                if candidate.isFolded {
                    positions += try TermExpansion.variantTerms(
                        of: Array(candidate.term), snapshot: snapshot, keep: { _ in true })
                } else {
                    positions.append(candidate.term)
                }
            }
        }
        let (frequency, weights) = weigh(Array(kept), documentCount: statistics.documentCount)
        return ExpandedField(
            field: field, scoring: kept.map(\.term), exact: prefix + syllable.folded + [0] + syllable.key,
            scoringIsExact: false, positions: positions, documentFrequency: frequency, weights: weights)
    }

    /// The document frequency and the weights of candidates sorted by cost. The cheapest ones (the
    /// word itself when the index has it, else its best corrections) read as the syllable: they
    /// give its document frequency and weigh 1. Every other candidate weighs ``weight(_:)`` of its
    /// extra cost, times the ratio of its idf to the syllable's when that is below 1, so that a
    /// frequent neighbour ("có" for "chó~") cannot outweigh a rare word through its frequency.
    static func weigh(_ candidates: [Candidate], documentCount: Int) -> (documentFrequency: Int, weights: [Double]) {
        guard let cheapest = candidates.first?.cost else { return (0, []) }
        let best = candidates.prefix { $0.cost == cheapest }.reduce(0) { $0 + $1.documentFrequency }
        let frequency = min(best, documentCount)
        let idf = BM25F.idf(documentFrequency: frequency, documentCount: documentCount)
        let weights = candidates.map { candidate -> Double in
            guard candidate.cost > cheapest else { return 1 }
            let own = BM25F.idf(documentFrequency: candidate.documentFrequency, documentCount: documentCount)
            return weight(candidate.cost - cheapest) * min(1, own / idf)
        }
        return (frequency, weights)
    }

    /// The variant terms starting with `start` + 0x00 in any segment: each with its accented key and
    /// document frequency in that segment.
    private static func scanVariants(
        _ start: [UInt8], snapshot: IndexSnapshot, _ body: ([UInt8], ArraySlice<UInt8>, Int) throws(IndexError) -> Void
    ) throws(IndexError) {
        let range = start + [0]
        for segment in snapshot.segments {
            var cursor = try segment.reader.seek(range)
            while let info = try cursor.next() {
                let term = cursor.term
                guard term.count > range.count, term.starts(with: range) else { break }
                try body(term, term[range.count...], info.docFreq)
            }
        }
    }

    /// The folded keys one letter edit away from `folded` (deletion, substitution, insertion of an
    /// ASCII letter, transposition of two neighbours), without `folded` itself; none when it is
    /// shorter than ``minimumEditedLength`` or not only ASCII lower-case letters.
    static func neighbours(of folded: [UInt8]) -> [[UInt8]] {
        let letters = UInt8(ascii: "a")...UInt8(ascii: "z")
        guard folded.count >= minimumEditedLength, folded.count <= maximumEditedLength,
            folded.allSatisfy({ letters.contains($0) })
        else { return [] }
        var result = Set<[UInt8]>()
        for i in folded.indices {
            var deleted = folded
            deleted.remove(at: i)
            result.insert(deleted)
            for letter in letters where letter != folded[i] {
                var replaced = folded
                replaced[i] = letter
                result.insert(replaced)
            }
            if i + 1 < folded.count && folded[i] != folded[i + 1] {
                var swapped = folded
                swapped.swapAt(i, i + 1)
                result.insert(swapped)
            }
        }
        for i in 0...folded.count {
            for letter in letters {
                var inserted = folded
                inserted.insert(letter, at: i)
                result.insert(inserted)
            }
        }
        result.remove(folded)
        return result.sorted { $0.lexicographicallyPrecedes($1) }
    }
}
