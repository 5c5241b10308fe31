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

        // The word's own folded key first, then its neighbours, in term order: one forward walk
        // over each segment's dictionary finds them all.
        let keys = [syllable.folded] + neighbours(of: syllable.folded)
        let targets = keys.map { kind == .any ? prefix + $0 : prefix + $0 + [0] }
        let order = targets.indices.sorted { targets[$0].lexicographicallyPrecedes(targets[$1]) }
        for segment in snapshot.segments {
            var walk = try DictionaryWalk(segment.reader)
            for k in order {
                let target = targets[k]
                let sameLetters = k == 0
                if kind == .any {
                    guard let info = try walk.find(target) else { continue }
                    let cost = sameLetters ? 0 : baseEditCost
                    found[target, default: Candidate(term: target, cost: cost, documentFrequency: 0, isFolded: true)]
                        .documentFrequency += info.docFreq
                    continue
                }
                try walk.scan(prefix: target) { term, frequency in
                    let marks = distance.marks(term[target.count...])
                    var cost = sameLetters ? 0 : baseEditCost
                    if kind == .sameConsonants {
                        if MarkDistance.strokes(marks) != MarkDistance.strokes(query) { cost += MarkDistance.modifier }
                    } else {
                        cost += distance.cost(query, marks, sameLetters: sameLetters)
                    }
                    guard cost <= maximumCost else { return }
                    found[term, default: Candidate(term: term, cost: cost, documentFrequency: 0, isFolded: false)]
                        .documentFrequency += frequency
                }
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
                        of: Array(candidate.term), snapshot: snapshot, statistics: statistics, keep: { _ in true })
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

/// Looks up terms in increasing order in one segment's dictionary: the cursor moves forward a few
/// terms at a time while the next target is near, and seeks (a binary search over the blocks)
/// only when it is far. Neighbouring keys ("cha", "chb", ...) share blocks, so most lookups cost a
/// few term decodes instead of a seek each.
private struct DictionaryWalk {
    /// Terms stepped over before a seek is cheaper (a block holds 32).
    private static let maximumSteps = 24

    private let reader: SegmentReader
    private var cursor: TermDictionaryReader.TermCursor
    /// Whether ``cursor`` has been positioned by a seek yet.
    private var started = false
    /// The cursor's current term's info (its term is `cursor.term`); nil at the end.
    private var info: TermInfo? = nil

    init(_ reader: SegmentReader) throws(IndexError) {
        self.reader = reader
        cursor = try reader.seek([])
    }

    /// Moves to the first term `>= target`; targets must not decrease.
    private mutating func move(to target: [UInt8]) throws(IndexError) {
        if started {
            guard info != nil else { return }
            if !cursor.term.lexicographicallyPrecedes(target) { return }
            for _ in 0..<Self.maximumSteps {
                info = try cursor.next()
                if info == nil || !cursor.term.lexicographicallyPrecedes(target) { return }
            }
        }
        started = true
        cursor = try reader.seek(target)
        info = try cursor.next()
    }

    /// The info of `target`, when the segment has it.
    mutating func find(_ target: [UInt8]) throws(IndexError) -> TermInfo? {
        try move(to: target)
        guard let info, cursor.term == target else { return nil }
        return info
    }

    /// Calls `body` with every term that starts with `prefix` (and is longer) and its document
    /// frequency.
    mutating func scan(prefix: [UInt8], _ body: ([UInt8], Int) throws(IndexError) -> Void) throws(IndexError) {
        try move(to: prefix)
        while let info, cursor.term.count > prefix.count, cursor.term.starts(with: prefix) {
            try body(cursor.term, info.docFreq)
            self.info = try cursor.next()
        }
    }
}
