import TraIndex
import TraTokenizer

/// Runs queries against one snapshot of an index: parse, plan, expand, evaluate each segment
/// into one top-k. Not thread-safe (it owns an analyzer): one engine per thread.
package final class RankingEngine {
    package struct Options: Sendable {
        package var limit = 10
        package var requireAll = false
        package var prefixLimit = 64
        package var parameters = ScoringParameters()
        package var exhaustive = false
        package var explain = false
        /// Also search what words typed in plain ASCII type in Telex or VNI, when that is a valid
        /// syllable (``InputMethodReader``).
        package var decodeInputMethods = true
        /// Typo tolerance for every word (`--fuzzy`), as `word~` gives it to one.
        package var fuzzy = false
        /// At most this many candidates per fuzzy syllable and field.
        package var fuzzyLimit = 64
        /// Restore the diacritics of syllables typed without (all) their marks with the corpus
        /// language model, and rank the restored reading higher (``DiacriticRestorer``).
        package var restore = true
        /// Score the interrogative words of questions too (``QuestionWords``), which the engine
        /// otherwise leaves out.
        package var keepQuestionWords = false
        /// How segments evaluate a query of optional words alone (for tests, which compare each
        /// way with exhaustive evaluation; ``DisjunctionStrategy``).
        package var disjunction = DisjunctionStrategy.automatic
        /// Time each phase of the search (``Result/phases``): a few clock readings more.
        package var timesPhases = false

        package init() {}
    }

    package struct Result {
        package var hits: [RankedDocument]
        /// Per hit, when asked for.
        package var explanations: [Explanation]
        package var total: Int
        package var totalIsLowerBound: Bool
        package var notices: [String]
        package var plan: QueryPlan
        /// Per scoring syllable with an input-method reading, which readings were found.
        package var readingUses: [ReadingUse?] = []
        /// The reading the language model restored (nil when restoration is off).
        package var reading: Reading?
        /// Where the search's time went, when ``Options/timesPhases``.
        package var phases: PhaseTimes? = nil
    }

    package let snapshot: IndexSnapshot
    private let statistics: SnapshotStatistics
    /// The term lookups and block tables kept from query to query.
    package var lookups: TermLookups { statistics.lookups }
    /// The corpus language model of restoration, whose answers are kept from query to query.
    package let model: CorpusLanguageModel
    let analyzer: Analyzer
    private let inputMethods: InputMethodReader
    private let markDistance: MarkDistance
    private let questionWords: QuestionWordFilter

    package init(snapshot: IndexSnapshot) throws(RankingError) {
        self.snapshot = snapshot
        statistics = SnapshotStatistics(snapshot: snapshot)
        model = CorpusLanguageModel(snapshot: snapshot)
        do {
            analyzer = try Analyzer()
            inputMethods = try InputMethodReader()
            markDistance = try MarkDistance()
            questionWords = try QuestionWordFilter(analyzer: analyzer)
        } catch { throw .analyzer(error) }
    }

    /// Parses and runs `text`.
    package func search(_ text: String, options: Options) throws(RankingError) -> Result {
        // Parsing counts in the planning phase.
        let start: ContinuousClock.Instant? = options.timesPhases ? .now : nil
        let query: Query
        do { query = try QueryParser.parse(text, requireAll: options.requireAll) } catch {
            throw .query(error.description)
        }
        return try search(query, options: options, from: start)
    }

    package func search(_ query: Query, options: Options) throws(RankingError) -> Result {
        try search(query, options: options, from: nil)
    }

    /// The search of `query`, its phases timed from `start` (from the call when nil) when
    /// `options.timesPhases`.
    private func search(_ query: Query, options: Options, from start: ContinuousClock.Instant?) throws(RankingError)
        -> Result
    {
        var timer = PhaseTimer(enabled: options.timesPhases, from: start)
        if let problem = options.parameters.validated() { throw .query(problem) }
        defer {
            statistics.trimLookups()
            model.trimToBudget()
        }
        var options = options
        options.prefixLimit = max(options.prefixLimit, 1)
        // A limit of 0 asks how many documents match: top-k pruning, which skips the documents
        // that cannot enter the top, would leave that count at "at least 0".
        if options.limit == 0 { options.exhaustive = true }
        var plan = try QueryPlan(
            query, analyzer: analyzer, questionWords: options.keepQuestionWords ? nil : questionWords)
        if options.fuzzy { plan.makeWordsFuzzy() }
        if options.decodeInputMethods { plan.addInputMethodReadings(inputMethods, analyzer: analyzer) }
        var readingUses = [ReadingUse?](repeating: nil, count: plan.syllables.count)
        timer.lap(.planning)
        do {
            var reading: Reading? = nil
            // Only syllables typed without (all) their marks get a reading: with none, skip the model.
            if options.restore && plan.syllables.contains(where: { !$0.isPrefix && $0.constraint?.kind != .exact }) {
                // A word typed with Telex or VNI keys that the index lacks as typed is its decoded
                // syllable for its neighbours' readings ("vieejt nam" reads nam as "việt nam" does).
                var context = plan
                for s in context.syllables.indices {
                    guard let decoded = context.syllables[s].reading,
                        try model.variants(of: context.syllables[s].folded).isEmpty,
                        let constraint = try? MarkConstraint(key: decoded.key, folded: decoded.folded)
                    else { continue }
                    context.syllables[s].key = decoded.key
                    context.syllables[s].folded = decoded.folded
                    context.syllables[s].constraint = constraint
                }
                let restored = try DiacriticRestorer.restore(context, model: model)
                for (s, syllable) in restored.syllables.enumerated() {
                    guard let syllable, syllable.candidates > 1, plan.syllables[s].constraint?.kind != .exact,
                        !plan.syllables[s].isFuzzy
                    else { continue }
                    plan.syllables[s].restored = syllable.key
                    plan.syllables[s].restoredProbability = syllable.probability
                }
                reading = restored
            }
            timer.lap(.restoration)
            var expansions: [[ExpandedField]] = []
            var idfs: [Double] = []
            var frequencies: [Int] = []
            var needsPositions = [Bool](repeating: false, count: plan.syllables.count)
            for pair in plan.pairs {
                needsPositions[pair.first] = true
                needsPositions[pair.second] = true
            }
            for clause in plan.clauses where clause.kind == .phrase {
                for s in clause.syllables { needsPositions[s] = true }
            }
            for (s, syllable) in plan.syllables.enumerated() {
                let (fields, cut) = try TermExpansion.expand(
                    syllable, snapshot: snapshot, statistics: statistics, prefixLimit: options.prefixLimit,
                    needsPositions: needsPositions[s], fuzzyLimit: options.fuzzyLimit, distance: markDistance)
                if syllable.reading != nil { readingUses[s] = ReadingUse(combining: fields.compactMap(\.readingUse)) }
                if syllable.isFuzzy, let body = fields.first(where: { $0.field == .body }) {
                    // The closest candidates (weight 1) only: near-misses are not highlighted.
                    plan.syllables[s].fuzzyTerms = Set(
                        body.scoring.indices.filter { (body.weights?[$0] ?? 1) == 1 }.map {
                            Array(body.scoring[$0].dropFirst())
                        })
                }
                if let cut {
                    plan.notices.append(
                        "\(syllable.text)* matches \(cut) terms: searched the \(options.prefixLimit) most frequent")
                }
                expansions.append(fields)
                let frequency = fields.map(\.documentFrequency).max() ?? 0
                frequencies.append(frequency)
                var idf = BM25F.idf(documentFrequency: frequency, documentCount: statistics.documentCount)
                if let read = syllable.restored, !fields.isEmpty {
                    // Towards the idf of the form read, as far as the reading is probable.
                    var readFrequency = 0
                    for field in fields {
                        let term = [field.field.rawValue] + syllable.folded + [0] + read
                        readFrequency = max(readFrequency, try statistics.documentFrequency(term))
                    }
                    let readIDF = BM25F.idf(documentFrequency: readFrequency, documentCount: statistics.documentCount)
                    let weight = options.parameters.readingIDFWeight * syllable.restoredProbability
                    idf = (1 - weight) * idf + weight * readIDF
                }
                idfs.append(idf)
            }
            if let notice = QueryPlan.readingNotice(plan, uses: readingUses) { plan.notices.append(notice) }
            var excludedExpansions: [[ExpandedField]] = []
            for syllable in plan.excludedSyllables {
                excludedExpansions.append(
                    try TermExpansion.expand(
                        syllable, snapshot: snapshot, statistics: statistics, prefixLimit: options.prefixLimit
                    ).fields)
            }
            let context = SegmentSearch.Context(
                plan: plan, expansions: expansions, excludedExpansions: excludedExpansions, idfs: idfs,
                statistics: statistics, parameters: options.parameters, lookups: statistics.lookups,
                disjunction: options.disjunction)
            // With a proximity window, the documents are found and ranked by BM25F alone, and the
            // window's best are scored again with proximity (``rescore(_:context:snapshot:limit:)``).
            let window = options.parameters.proximityWindow
            // (Not for a limit of 0, which only counts.)
            let rescoring =
                options.limit > 0 && window > 0 && options.parameters.proximityWeight > 0 && !plan.pairs.isEmpty
            var firstParameters = options.parameters
            if rescoring { firstParameters.proximityWeight = 0 }
            // The common syllables of a long query leave the first stage to the others.
            let common =
                rescoring
                ? Self.commonSyllables(
                    plan, frequencies: frequencies, documentCount: statistics.documentCount,
                    parameters: options.parameters) : []
            var firstExpansions = expansions
            for s in common { firstExpansions[s] = [] }
            let firstContext = SegmentSearch.Context(
                plan: plan, expansions: firstExpansions, excludedExpansions: excludedExpansions, idfs: idfs,
                statistics: statistics, parameters: firstParameters, lookups: statistics.lookups,
                disjunction: options.disjunction)
            timer.lap(.expansion)
            var top = TopHits(k: rescoring ? max(options.limit, window) : options.limit)
            var total = 0
            // Documents that hold only common syllables are not counted: the total is a lower bound.
            var pruned = !common.isEmpty
            // Kept for the rescoring, which reuses their scorers.
            var firstSearches: [SegmentSearch] = []
            for (index, segment) in snapshot.segments.enumerated() {
                let search = try SegmentSearch(context: firstContext, segmentIndex: index, segment: segment)
                timer.lap(.setup)
                let (matched, skipped) = try search.run(into: &top, exhaustive: options.exhaustive)
                timer.lap(.retrieval)
                total += matched
                pruned = pruned || skipped
                if rescoring { firstSearches.append(search) }
            }
            if options.exhaustive && !common.isEmpty {
                // Exhaustive evaluation counts every matching document, those that hold only common
                // syllables too: a count over all the syllables (a top of 0 keeps no hit).
                let counting = SegmentSearch.Context(
                    plan: plan, expansions: expansions, excludedExpansions: excludedExpansions, idfs: idfs,
                    statistics: statistics, parameters: firstParameters, lookups: statistics.lookups,
                    disjunction: options.disjunction)
                var none = TopHits(k: 0)
                total = 0
                for (index, segment) in snapshot.segments.enumerated() {
                    let search = try SegmentSearch(context: counting, segmentIndex: index, segment: segment)
                    total += try search.run(into: &none, exhaustive: true).matched
                }
                pruned = false
            }
            var hits = top.sorted()
            timer.lap(.retrieval)
            var rescored = 0
            if rescoring {
                let best = try Self.rescore(
                    hits.prefix(window), context: context, snapshot: snapshot, limit: options.limit,
                    reusing: firstSearches)
                firstSearches = []
                rescored = best.count
                hits = Array((best + hits.dropFirst(window)).prefix(options.limit))
            }
            timer.lap(.proximity)
            var explanations: [Explanation] = []
            if options.explain {
                for (h, hit) in hits.enumerated() {
                    // A hit past the window was scored without proximity: explain that score.
                    let search = try SegmentSearch(
                        context: h < rescored || !rescoring ? context : firstContext, segmentIndex: hit.segment,
                        segment: snapshot.segments[hit.segment])
                    var components: [Explanation.Component] = []
                    let outcome = try withUnsafeMutablePointer(to: &components) { (pointer) throws(IndexError) in
                        try search.score(hit.doc, explain: pointer)
                    }
                    var total = 0.0
                    if case .score(let score) = outcome { total = score }
                    if rescoring && h >= rescored {
                        components.append(
                            Explanation.Component(
                                name: "proximity", score: 0,
                                details: "not scored: past the proximity window (the \(window) best by BM25F)"))
                        if !common.isEmpty {
                            let words = common.map { plan.syllables[$0].text }.joined(separator: " ")
                            components.append(
                                Explanation.Component(
                                    name: "common", score: 0,
                                    details: "not scored: past the proximity window (\(words): in more than "
                                        + "\(Int((options.parameters.commonCutoff * 100).rounded())) % of the documents)"
                                ))
                        }
                    }
                    explanations.append(Explanation(components: components, total: total))
                }
            }
            timer.lap(.explanation)
            return Result(
                hits: hits, explanations: explanations, total: total, totalIsLowerBound: pruned, notices: plan.notices,
                plan: plan, readingUses: readingUses, reading: reading, phases: timer.times)
        } catch {
            throw .index(error)
        }
    }

    /// The syllables of `plan` that the first stage leaves out (``ScoringParameters/commonCutoff``):
    /// typed with their marks, in more than the cutoff's fraction of the documents, and only in
    /// clauses any one word of which may match. None when the query has fewer syllables than
    /// ``ScoringParameters/commonMinimumSyllables`` or when no other syllable is in the index.
    static func commonSyllables(
        _ plan: QueryPlan, frequencies: [Int], documentCount: Int, parameters: ScoringParameters
    ) -> [Int] {
        let cutoff = parameters.commonCutoff
        guard cutoff > 0, cutoff < 1, plan.syllables.count >= parameters.commonMinimumSyllables else { return [] }
        let common = plan.syllables.indices.filter { s in
            let syllable = plan.syllables[s]
            return syllable.constraint?.kind == .exact && !syllable.isFuzzy && !syllable.isPrefix
                && Double(frequencies[s]) > cutoff * Double(documentCount)
                && plan.clauses.allSatisfy { !$0.syllables.contains(s) || ($0.occur == .should && $0.kind == .text) }
        }
        let selects = plan.syllables.indices.contains { !common.contains($0) && frequencies[$0] > 0 }
        return selects ? common : []
    }

    /// The documents of a proximity window (the best by BM25F alone) scored in full, proximity
    /// included: the best `limit` of them, best first. Each one's full score is at least its BM25F
    /// score, which is at least that of every document past the window, so the window's documents
    /// followed by the others in BM25F order are still in descending score order, and the
    /// ranking's head does not depend on `limit`.
    ///
    /// `window` comes best first. Its `limit`-th document's BM25F score is a floor: `limit`
    /// documents score at least that in full, so a document that provably cannot score above it
    /// is not among the best `limit` either, and is dropped before its positions are read, from
    /// the first document on (the top's own threshold starts only once it holds `limit`).
    private static func rescore(
        _ window: ArraySlice<RankedDocument>, context: SegmentSearch.Context, snapshot: IndexSnapshot, limit: Int,
        reusing firstSearches: [SegmentSearch]
    ) throws(IndexError) -> [RankedDocument] {
        // In index order, so that each segment's cursors only move forward.
        let documents = window.sorted { ($0.segment, $0.doc) < ($1.segment, $1.doc) }
        var top = TopHits(k: min(limit, documents.count))
        // Below the BM25F score by a margin: the full score adds its terms in another order, and
        // can round an ulp under it.
        let floor =
            limit > 0 && window.count >= limit
            ? window[window.startIndex + limit - 1].score * (1 - 1e-9) - 1e-12 : -Double.infinity
        var current: SegmentSearch? = nil
        for document in documents {
            let search: SegmentSearch
            if let current, current.segmentIndex == document.segment {
                search = current
            } else {
                // The segment's first document of the window: its cursors begin there.
                search = try SegmentSearch(
                    context: context, segmentIndex: document.segment, segment: snapshot.segments[document.segment],
                    from: document.doc, reusing: firstSearches[document.segment])
                current = search
            }
            // The threshold lets a document that cannot enter stop before all its positions are read.
            if case .score(let score) = try search.score(
                document.doc, threshold: max(top.threshold, floor), explain: nil)
            {
                top.insert(RankedDocument(segment: document.segment, doc: document.doc, score: score))
            }
        }
        return top.sorted()
    }

    /// For each token of an analyzed body, the query syllable it matches (-1 for none): what
    /// snippets highlight. Syllables restricted to the title (`title:x`) highlight nothing. The
    /// syllables of a phrase of two or more highlight only where the whole phrase occurs, adjacent
    /// and in order (as its matching requires), not wherever one of them stands alone.
    package static func matchGroups(_ buffer: TokenBuffer, plan: QueryPlan) -> [Int32] {
        let phrases = plan.clauses.filter { $0.kind == .phrase && $0.syllables.count > 1 }.map(\.syllables)
        // Per syllable, whether it belongs to such a phrase (see markPhrase).
        var inPhrase = [Bool](repeating: false, count: plan.syllables.count)
        for s in phrases.joined() { inPhrase[s] = true }
        var groups = wordGroups(buffer, plan: plan, skipping: inPhrase)
        for phrase in phrases { markPhrase(phrase, of: plan, in: buffer, groups: &groups) }
        return groups
    }

    /// ``matchGroups(_:plan:)`` for the syllables outside phrases (those `skipping` leaves).
    private static func wordGroups(_ buffer: TokenBuffer, plan: QueryPlan, skipping: [Bool]) -> [Int32] {
        // What each token is checked against, taken out of the plan once: a syllable is a large
        // value, and copying it per token cost most of a snippet's time. A query has few distinct
        // folded keys: comparing a token's bytes with each is cheaper than hashing them. The keys
        // of the words are laid end to end and the tokens' keys read through one pointer: a slice
        // per token retained the buffer, which cost as much as the comparisons.
        var wordFolded: [[UInt8]] = []
        var wordCandidates: [[(syllable: Int32, constraint: MarkConstraint?)]] = []
        var prefixes: [(syllable: Int32, folded: [UInt8], key: [UInt8])] = []
        var forgiving = false
        for s in plan.syllables.indices where plan.syllables[s].fields.contains(.body) && !skipping[s] {
            let syllable = plan.syllables[s]
            if syllable.isPrefix {
                prefixes.append((Int32(s), syllable.folded, syllable.key))
            } else if let w = wordFolded.firstIndex(of: syllable.folded) {
                wordCandidates[w].append((Int32(s), syllable.constraint))
            } else {
                wordFolded.append(syllable.folded)
                wordCandidates.append([(Int32(s), syllable.constraint)])
            }
            if syllable.reading != nil || !syllable.fuzzyTerms.isEmpty { forgiving = true }
        }
        // Word w's folded key is foldedBytes[wordEnds[w - 1] ..< wordEnds[w]] (from 0 for w = 0).
        let foldedBytes = wordFolded.flatMap { $0 }
        var wordEnds: [Int] = []
        for folded in wordFolded { wordEnds.append((wordEnds.last ?? 0) + folded.count) }
        let anyPrefix = !prefixes.isEmpty
        var groups = [Int32](repeating: -1, count: buffer.spans.count)
        buffer.keyBytes.withUnsafeBufferPointer { keyBytes in
            foldedBytes.withUnsafeBufferPointer { foldedBytes in
                for (t, span) in buffer.spans.enumerated() {
                    let folded = UnsafeBufferPointer(rebasing: keyBytes[span.keyEnd..<span.foldedEnd])
                    let key = UnsafeBufferPointer(rebasing: keyBytes[span.keyStart..<span.keyEnd])
                    search: for w in wordEnds.indices {
                        let wordStart = w == 0 ? 0 : wordEnds[w - 1]
                        guard wordEnds[w] - wordStart == folded.count,
                            UnsafeBufferPointer(rebasing: foldedBytes[wordStart..<wordEnds[w]]).elementsEqual(folded)
                        else { continue }
                        // A match: the candidates' arrays are read only here.
                        for candidate in wordCandidates[w] where candidate.constraint?.admits(key) ?? true {
                            groups[t] = candidate.syllable
                            break search
                        }
                    }
                    if groups[t] >= 0 { continue }
                    if forgiving, let s = plan.forgivingMatch(folded: Array(folded), key: key, skipping: skipping) {
                        groups[t] = Int32(s)
                        continue
                    }
                    guard anyPrefix else { continue }
                    for prefix in prefixes where folded.starts(with: prefix.folded) {
                        if prefix.key == prefix.folded || key.starts(with: prefix.key) {
                            groups[t] = prefix.syllable
                            break
                        }
                    }
                }
            }
        }
        return groups
    }

    /// Gives the tokens of each occurrence of the phrase `syllables` (body syllables, adjacent and
    /// in order, each matched by its folded key within its marks, or by its input-method reading)
    /// their syllables in `groups`.
    private static func markPhrase(
        _ syllables: [Int], of plan: QueryPlan, in buffer: TokenBuffer, groups: inout [Int32]
    ) {
        guard syllables.allSatisfy({ plan.syllables[$0].fields.contains(.body) }) else { return }
        let spans = buffer.spans
        let count = syllables.count
        guard spans.count >= count else { return }
        // The keys each token is compared with, laid end to end and read through pointers (as in
        // wordGroups: copying a syllable, or an array of its keys, per token cost more than the
        // comparisons): each syllable's folded key, then its reading's folded key and key (or none).
        var keyBytes: [UInt8] = []
        var ends: [(folded: Int, readingFolded: Int, readingKey: Int)] = []
        for s in syllables {
            let syllable = plan.syllables[s]
            keyBytes += syllable.folded
            let folded = keyBytes.count
            keyBytes += syllable.reading?.folded ?? []
            let readingFolded = keyBytes.count
            keyBytes += syllable.reading?.key ?? []
            ends.append((folded, readingFolded, keyBytes.count))
        }
        // (A phrase has no prefix: a star in quotes is not one.)
        let constraints = syllables.map { plan.syllables[$0].constraint }
        buffer.keyBytes.withUnsafeBufferPointer { tokenBytes in
            keyBytes.withUnsafeBufferPointer { keyBytes in
                func matches(_ t: Int, _ j: Int) -> Bool {
                    let span = spans[t]
                    let folded = UnsafeBufferPointer(rebasing: tokenBytes[span.keyEnd..<span.foldedEnd])
                    let key = UnsafeBufferPointer(rebasing: tokenBytes[span.keyStart..<span.keyEnd])
                    let start = j == 0 ? 0 : ends[j - 1].readingKey
                    let (foldedEnd, readingFoldedEnd, readingKeyEnd) = ends[j]
                    let wantedFolded = UnsafeBufferPointer(rebasing: keyBytes[start..<foldedEnd])
                    if folded.count == wantedFolded.count && folded.elementsEqual(wantedFolded)
                        && (constraints[j]?.admits(key) ?? true)
                    {
                        return true
                    }
                    let readingFolded = UnsafeBufferPointer(rebasing: keyBytes[foldedEnd..<readingFoldedEnd])
                    return !readingFolded.isEmpty && folded.count == readingFolded.count
                        && folded.elementsEqual(readingFolded)
                        && key.elementsEqual(UnsafeBufferPointer(rebasing: keyBytes[readingFoldedEnd..<readingKeyEnd]))
                }
                var t = 0
                while t + count <= spans.count {
                    var length = 0
                    while length < count && spans[t + length].position == spans[t].position + length
                        && matches(t + length, length)
                    {
                        length += 1
                    }
                    // (Occurrences may overlap: the next one may start at the next token.)
                    if length == count {
                        for j in 0..<count { groups[t + j] = Int32(syllables[j]) }
                    }
                    t += 1
                }
            }
        }
    }
}
