import TraIndex
import TraTokenizer

/// The statistics ranking needs, whatever holds the documents: the engine reads them from an
/// index snapshot, tests from a fake.
package protocol RankingStatistics {
    /// Documents in the collection (the N of the idf).
    var documentCount: Int { get }
    /// The average length in tokens of `field` over the documents that have it.
    func averageLength(_ field: IndexedField) -> Double
    /// Documents holding `term` (an index term: field byte, keys).
    func documentFrequency(_ term: [UInt8]) throws(IndexError) -> Int
    /// Takes note of `term`'s information in each segment (nil where a segment lacks it), found
    /// by a range scan, so that it is not looked up again.
    func remember(_ term: [UInt8], infos: [TermInfo?])
}

extension RankingStatistics {
    package func remember(_ term: [UInt8], infos: [TermInfo?]) {}
}

/// ``RankingStatistics`` of an index snapshot: sums over its segments (deleted documents
/// included, as the segments' own statistics are).
package final class SnapshotStatistics: RankingStatistics {
    private let snapshot: IndexSnapshot
    package let documentCount: Int
    private let averages: [IndexedField: Double]

    package init(snapshot: IndexSnapshot) {
        self.snapshot = snapshot
        documentCount = snapshot.segments.reduce(0) { $0 + $1.reader.documentCount }
        var averages: [IndexedField: Double] = [:]
        for field in IndexedField.allCases {
            var documents = 0
            var tokens = 0
            for segment in snapshot.segments {
                if let statistics = segment.reader.fieldStatistics[field] {
                    documents += statistics.documents
                    tokens += statistics.tokens
                }
            }
            averages[field] = documents > 0 ? Double(tokens) / Double(documents) : 0
        }
        self.averages = averages
        lookups = TermLookups(snapshot: snapshot)
    }

    package func averageLength(_ field: IndexedField) -> Double { averages[field] ?? 0 }

    package func documentFrequency(_ term: [UInt8]) throws(IndexError) -> Int {
        var total = 0
        for info in try lookups.infos(term) { total += info?.docFreq ?? 0 }
        return total
    }

    /// The term lookups of the queries run on the snapshot, kept from query to query within a
    /// budget (``TermLookups/trimToBudget()``, which the engine calls after each query).
    package let lookups: TermLookups

    /// Forgets the terms looked up so far once they take more than their budget.
    package func trimLookups() { lookups.trimToBudget() }

    package func remember(_ term: [UInt8], infos: [TermInfo?]) { lookups.remember(term, infos: infos) }
}

/// Term lookups, per segment, and the block tables of their postings, remembered for the rest of
/// the query and for the queries after it: the expansion, the idf and every segment's scorers ask
/// for the same terms (an accented syllable's variant term is its scoring, exact and position term
/// alike), a dictionary lookup costs a block scan, and a block table reads every block header of
/// the term. Queries share many syllables (của, là, người, năm...), whose lists are the longest.
/// The snapshot's segments never change, so what was read stays true; what is kept is bounded by
/// ``termBudget`` and ``headerBudget`` (under 10 MB and about 7 MB), past which
/// ``trimToBudget()`` forgets it all.
package final class TermLookups {
    private let snapshot: IndexSnapshot
    private var found: [TermKey: [TermInfo?]] = [:]
    /// The block tables read so far, by segment and where the term's postings start.
    private var skipTables: [SkipKey: BlockSkips] = [:]
    /// The block headers in ``skipTables``.
    private var headers = 0
    /// Each term's largest `freq / lengthNorm(length)` in a segment, by normalization
    /// (``maximum(_:segment:normalization:compute:)``).
    private var maxima: [MaximumKey: Double] = [:]

    private struct MaximumKey: Hashable {
        let segment: Int
        let postings: Int
        /// The normalization's `base` and `slope`, as bits.
        let base: UInt64
        let slope: UInt64
    }

    /// The most terms kept after a query (a lookup takes 100 to 200 bytes).
    package let termBudget: Int
    /// The most block headers kept after a query, in all tables (a header takes 72 bytes).
    package let headerBudget: Int

    private struct SkipKey: Hashable {
        let segment: Int
        let postings: Int
    }

    /// The fewest full blocks a term needs for ``skips(_:segment:)`` to read its table: a shorter
    /// list's few headers cost less to read on the way than a table.
    package static let skipTableBlocks = 4

    package init(snapshot: IndexSnapshot, termBudget: Int = 50_000, headerBudget: Int = 100_000) {
        self.snapshot = snapshot
        self.termBudget = termBudget
        self.headerBudget = headerBudget
    }

    /// `term` in every segment of the snapshot, in segment order (nil where a segment lacks it).
    package func infos(_ term: [UInt8]) throws(IndexError) -> [TermInfo?] {
        let key = TermKey(term)
        if let infos = found[key] { return infos }
        var infos: [TermInfo?] = []
        infos.reserveCapacity(snapshot.segments.count)
        for segment in snapshot.segments { infos.append(try segment.reader.lookup(term)) }
        found[key] = infos
        return infos
    }

    /// `term` in segment number `segment` of the snapshot.
    package func info(_ term: [UInt8], segment: Int) throws(IndexError) -> TermInfo? {
        try infos(term)[segment]
    }

    /// Takes `infos` (one per segment, in segment order) as the lookups of `term`.
    package func remember(_ term: [UInt8], infos: [TermInfo?]) {
        let key = TermKey(term)
        guard infos.count == snapshot.segments.count, found[key] == nil else { return }
        found[key] = infos
    }

    /// The block table of the term `info` describes in segment number `segment`, read the first
    /// time it is asked for and kept (every cursor over the term goes by it: the first stage's,
    /// the bounds', the rescoring's, and the next queries'); nil for a list of fewer than
    /// ``skipTableBlocks`` full blocks.
    package func skips(_ info: TermInfo, segment: Int) throws(IndexError) -> BlockSkips? {
        guard info.docFreq >= Self.skipTableBlocks * PostingsSerializer.blockSize else { return nil }
        let key = SkipKey(segment: segment, postings: info.postingsOffset)
        if let table = skipTables[key] { return table }
        let table = try snapshot.segments[segment].reader.searchPostings(info).readSkips()
        skipTables[key] = table
        headers += table.blockCount
        return table
    }

    /// A cursor over the postings of `info` in segment number `segment`, going by the term's block
    /// table (``skips(_:segment:)``) when `tables` is true and the list is long enough.
    package func postings(_ info: TermInfo, segment: Int, tables: Bool) throws(IndexError) -> PostingsCursor {
        var cursor = try snapshot.segments[segment].reader.searchPostings(info)
        if tables, let table = try skips(info, segment: segment) { cursor.useSkips(table) }
        return cursor
    }

    /// The largest `freq / normalization(length)` of the term `info` describes in segment number
    /// `segment`, from `compute` the first time it is asked for with this normalization, then kept
    /// (counted with the terms in ``termBudget``): the score bounds of MaxScore.
    package func maximum(
        _ info: TermInfo, segment: Int, normalization: LengthNormalization,
        compute: () throws(IndexError) -> Double
    ) throws(IndexError) -> Double {
        let key = MaximumKey(
            segment: segment, postings: info.postingsOffset, base: normalization.base.bitPattern,
            slope: normalization.slope.bitPattern)
        if let known = maxima[key] { return known }
        let maximum = try compute()
        maxima[key] = maximum
        return maximum
    }

    /// The number of terms (lookups and maxima) and of block headers kept.
    package var held: (terms: Int, headers: Int) { (found.count + maxima.count, headers) }

    /// Forgets everything once more than ``termBudget`` terms (lookups and maxima) or
    /// ``headerBudget`` block headers are kept (one query's lookups, however many, are kept until
    /// it ends).
    package func trimToBudget() {
        guard found.count + maxima.count > termBudget || headers > headerBudget else { return }
        removeAll()
    }

    package func removeAll() {
        found.removeAll()
        skipTables.removeAll()
        maxima.removeAll()
        headers = 0
    }
}

/// An index term as a dictionary key, hashed as one run of bytes (an array of bytes hashes each
/// byte on its own).
struct TermKey: Hashable {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}

/// What one query syllable reads in one field: the index terms of its matches, of its exact
/// form and of its positions. The same for every segment (each segment looks the terms up).
package struct ExpandedField: Sendable {
    package var field: IndexedField
    /// Terms whose postings, summed, give the syllable's frequency.
    package var scoring: [[UInt8]]
    /// The variant written exactly as typed, when ``scoring`` is wider than it.
    package var exact: [UInt8]?
    /// Every occurrence in ``scoring`` is written exactly as typed.
    package var scoringIsExact: Bool
    /// Variant terms to read positions from (empty: no positions, as for prefixes).
    package var positions: [[UInt8]]
    package var documentFrequency: Int
    /// Per scoring term, the weight of its occurrences (fuzzy candidates); nil: all 1.
    package var weights: [Double]? = nil
    /// For a syllable with an input-method reading: which of its readings this field found.
    package var readingUse: ReadingUse? = nil
    /// The probability of the reading ``exact`` stands for, when ``exact`` is the accented form
    /// the language model read rather than the form typed.
    package var restoredProbability: Double? = nil
}

/// Turns query syllables into index terms, per field (IndexFormat.md, "Terms").
package enum TermExpansion {
    /// The expansion of `syllable` over the segments of `snapshot`.
    ///
    /// - Parameter prefixLimit: at most this many terms for a prefix (the most frequent).
    /// - Parameter needsPositions: whether the syllable is in a phrase or a proximity pair (else
    ///   the variants of an unaccented syllable are not looked up).
    /// - Returns: the fields that have at least one term, and for a prefix cut short the number of
    ///   terms it matched.
    package static func expand(
        _ syllable: QueryPlan.Syllable, snapshot: IndexSnapshot, statistics: some RankingStatistics,
        prefixLimit: Int, needsPositions: Bool = true, fuzzyLimit: Int = 64, distance: MarkDistance? = nil
    ) throws(IndexError) -> (fields: [ExpandedField], prefixMatches: Int?) {
        var result: [ExpandedField] = []
        var cutFrom: Int? = nil
        for field in syllable.fields {
            let folded = [field.rawValue] + syllable.folded
            var expanded: ExpandedField
            if syllable.isPrefix {
                let (terms, matched) = try prefixTerms(
                    field: field, syllable: syllable, snapshot: snapshot, statistics: statistics, limit: prefixLimit)
                if matched > terms.count { cutFrom = max(cutFrom ?? 0, matched) }
                expanded = ExpandedField(
                    field: field, scoring: terms, exact: nil, scoringIsExact: false, positions: [],
                    documentFrequency: 0)
            } else if syllable.isFuzzy, let distance {
                expanded = try FuzzyExpansion.expand(
                    syllable, field: field, snapshot: snapshot, statistics: statistics, distance: distance,
                    limit: fuzzyLimit, needsPositions: needsPositions)
            } else {
                let exactTerm = folded + [0] + (syllable.restored ?? syllable.key)
                switch syllable.constraint?.kind ?? .exact {
                case .any:
                    let variants =
                        needsPositions
                        ? try variantTerms(of: folded, snapshot: snapshot, statistics: statistics) { _ in true } : []
                    expanded = ExpandedField(
                        field: field, scoring: [folded], exact: exactTerm, scoringIsExact: false, positions: variants,
                        documentFrequency: 0)
                case .exact:
                    expanded = ExpandedField(
                        field: field, scoring: [exactTerm], exact: nil, scoringIsExact: true, positions: [exactTerm],
                        documentFrequency: 0)
                case .sameConsonants:
                    let constraint = syllable.constraint
                    let variants = try variantTerms(of: folded, snapshot: snapshot, statistics: statistics) {
                        constraint?.admits($0) ?? false
                    }
                    expanded = ExpandedField(
                        field: field, scoring: variants, exact: exactTerm, scoringIsExact: false, positions: variants,
                        documentFrequency: 0)
                }
            }
            if syllable.restored != nil && expanded.exact != nil {
                expanded.restoredProbability = syllable.restoredProbability
            }
            if let reading = syllable.reading, !syllable.isPrefix {
                let (withReading, use) = try addingReading(
                    reading, to: expanded, statistics: statistics, needsPositions: needsPositions)
                expanded = withReading
                expanded.readingUse = use
            }
            guard expanded.weights == nil else {
                // Fuzzy candidates: their expansion gave the frequency.
                if !expanded.scoring.isEmpty { result.append(expanded) }
                continue
            }
            var frequency = 0
            for term in expanded.scoring { frequency += try statistics.documentFrequency(term) }
            expanded.documentFrequency = min(frequency, statistics.documentCount)
            if frequency > 0 { result.append(expanded) }
        }
        return (result, cutFrom)
    }

    /// The variant terms of folded term `folded` in any segment whose accented key passes `keep`,
    /// sorted and distinct. What the scan finds of each in each segment is handed to
    /// `statistics` (``RankingStatistics/remember(_:infos:)``): the scorers read those terms next.
    static func variantTerms(
        of folded: [UInt8], snapshot: IndexSnapshot, statistics: some RankingStatistics,
        keep: (ArraySlice<UInt8>) -> Bool
    ) throws(IndexError) -> [[UInt8]] {
        let start = folded + [0]
        let segments = snapshot.segments.count
        // One segment's cursor gives the variants in order, each once: they are the answer as
        // found. Several segments' scans are merged by term, then sorted.
        var inOrder: [[UInt8]] = []
        var found: [[UInt8]: [TermInfo?]] = [:]
        for (s, segment) in snapshot.segments.enumerated() {
            var cursor = try segment.reader.seek(start)
            while let info = try cursor.next() {
                let term = cursor.term
                guard term.count > start.count, term.starts(with: start) else { break }
                guard keep(term[start.count...]) else { continue }
                if segments == 1 {
                    statistics.remember(term, infos: [info])
                    inOrder.append(term)
                } else {
                    found[term, default: Array(repeating: nil, count: segments)][s] = info
                }
            }
        }
        if segments == 1 { return inOrder }
        for (term, infos) in found { statistics.remember(term, infos: infos) }
        return found.keys.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// Terms of `field` starting with the syllable's prefix: folded terms for an unaccented
    /// prefix, variant terms whose accented key starts with the typed one otherwise. The `limit`
    /// most frequent are kept; `matched` counts them all.
    static func prefixTerms(
        field: IndexedField, syllable: QueryPlan.Syllable, snapshot: IndexSnapshot,
        statistics: some RankingStatistics, limit: Int
    ) throws(IndexError) -> (terms: [[UInt8]], matched: Int) {
        let start = [field.rawValue] + syllable.folded
        let accented = syllable.key != syllable.folded
        var frequencies: [[UInt8]: Int] = [:]
        for segment in snapshot.segments {
            var cursor = try segment.reader.seek(start)
            while let info = try cursor.next() {
                let term = cursor.term
                guard term.starts(with: start) else { break }
                if let separator = term.dropFirst().firstIndex(of: 0) {
                    guard accented, term[(separator + 1)...].starts(with: syllable.key) else { continue }
                } else if accented {
                    continue
                }
                frequencies[term, default: 0] += info.docFreq
            }
        }
        let ranked = frequencies.sorted {
            $0.value != $1.value ? $0.value > $1.value : $0.key.lexicographicallyPrecedes($1.key)
        }
        return (ranked.prefix(limit).map(\.key), ranked.count)
    }
}
