import TraIndex

/// The evaluation of a query plan over one segment: exact top-k by MaxScore (Turtle and Flood,
/// "Query evaluation: strategies and optimizations", 1995) over bounds read from the per-block
/// maxima of the postings, or exhaustive scoring of every matching document.
///
/// Both paths compute a document's score with the same function, ``score(_:explain:)``, which
/// adds its components in one fixed order, so they give bit-identical scores.
final class SegmentSearch {
    struct Context {
        let plan: QueryPlan
        let expansions: [[ExpandedField]]
        let excludedExpansions: [[ExpandedField]]
        let idfs: [Double]
        let statistics: any RankingStatistics
        let parameters: ScoringParameters
        /// The term lookups, shared by every segment (and kept from query to query).
        let lookups: TermLookups
        /// How a query of optional words alone is evaluated for its top-k (``run(into:exhaustive:)``).
        var disjunction: DisjunctionStrategy = .automatic

        /// Whether cursors go by the query's block tables (``TermLookups/skips(_:segment:)``): when
        /// more than one cursor reads a term's postings (the bounds' and the search's, or the first
        /// stage's and the rescoring's), not for a query of one syllable, whose one pass reads
        /// each header once anyway.
        var usesBlockTables: Bool { plan.syllables.count > 1 || !plan.pairs.isEmpty }
    }

    let context: Context
    let segmentIndex: Int
    let segment: IndexSnapshot.Segment
    /// The segment has deleted documents (``isLive(_:)`` asks the segment only then).
    private let hasDeletions: Bool
    /// Opens the segment's cursors (through the query's block tables).
    private let opener: PostingsOpener
    private let scorers: [SyllableScorer?]
    private let excludedScorers: [SyllableScorer?]
    /// The segment cannot match: a required syllable is absent from it.
    private var impossible = false
    /// A scoring clause is a phrase (``QueryPlan/hasPhrase``).
    private let hasPhrase: Bool
    /// Per scoring syllable, for the document being scored: BM25F pseudo-frequency, whether it
    /// occurs, whether it counts (its clause matched). Buffers rather than arrays: a write to an
    /// array held by the object checked its uniqueness for every syllable of every document scored.
    private let weighted: UnsafeMutableBufferPointer<Double>
    private let present: UnsafeMutableBufferPointer<Bool>
    private let counted: UnsafeMutableBufferPointer<Bool>
    /// ``scorers``' cores (``SyllableScorer/core``), for the loops that move them all.
    private let scorerCores: UnsafeMutableBufferPointer<UnsafeMutablePointer<SyllableCore>?>
    /// The plan's scoring clauses, flattened for ``score(_:threshold:explain:)``: each one's kind,
    /// whether it is required, and its syllables as a range of ``clauseSyllables`` (walking the
    /// plan's clauses retained each one's array of syllables for every document scored).
    private let clauseShapes: UnsafeMutableBufferPointer<ClauseShape>
    private let clauseSyllables: UnsafeMutableBufferPointer<Int>

    private struct ClauseShape {
        let kind: QueryPlan.ClauseKind
        let required: Bool
        let start: Int
        let end: Int
    }
    /// The proximity bounds of the document being scored, pairs then triples (scratch).
    private var pendingBounds: [Double] = []
    /// The bits the proximity counts go through.
    private let positionBits = PositionBits()

    /// With `start`, the search only goes to documents from `start` on (the rescoring of a window,
    /// whose first document that is): its cursors begin there. With `previous`, a search of the same
    /// segment and plan whose context differs from this one only in its proximity weight and in
    /// leaving some syllables out (the first stage's, done with), the syllables both have take its
    /// scorers, rewound, instead of new ones: the first stage's term lookups, objects and arrays
    /// serve the rescoring.
    init(
        context: Context, segmentIndex: Int, segment: IndexSnapshot.Segment, from start: UInt32 = 0,
        reusing previous: SegmentSearch? = nil
    ) throws(IndexError) {
        precondition(previous.map { $0.segmentIndex == segmentIndex } ?? true, "reusing another segment's search")
        self.context = context
        self.segmentIndex = segmentIndex
        self.segment = segment
        hasDeletions = segment.deleted != nil
        let opener = PostingsOpener(lookups: context.lookups, segment: segmentIndex, tables: context.usesBlockTables)
        self.opener = opener
        var scorers: [SyllableScorer?] = []
        var excludedScorers: [SyllableScorer?] = []
        for (s, expansion) in context.expansions.enumerated() {
            if let previous, !expansion.isEmpty, !previous.context.expansions[s].isEmpty {
                try previous.scorers[s]?.rewind(opener: opener, from: start)
                scorers.append(previous.scorers[s])
                continue
            }
            scorers.append(
                try Self.makeScorer(
                    s, expansion, idf: context.idfs[s], segment: segment, opener: opener, context: context,
                    from: start))
        }
        for (s, expansion) in context.excludedExpansions.enumerated() {
            if let previous, !expansion.isEmpty, !previous.context.excludedExpansions[s].isEmpty {
                try previous.excludedScorers[s]?.rewind(opener: opener, from: start)
                excludedScorers.append(previous.excludedScorers[s])
                continue
            }
            excludedScorers.append(
                try Self.makeScorer(
                    s, expansion, idf: 0, segment: segment, opener: opener, context: context, from: start))
        }
        self.scorers = scorers
        self.excludedScorers = excludedScorers
        hasPhrase = context.plan.hasPhrase
        // Allocated once nothing can throw: deinit, which frees them, runs only for an object
        // whose initializer finished.
        weighted = .allocate(capacity: context.expansions.count)
        weighted.initialize(repeating: 0)
        present = .allocate(capacity: context.expansions.count)
        present.initialize(repeating: false)
        counted = .allocate(capacity: context.expansions.count)
        counted.initialize(repeating: false)
        scorerCores = .allocate(capacity: scorers.count)
        _ = scorerCores.initialize(from: scorers.lazy.map { $0?.core })
        let clauses = context.plan.clauses
        clauseShapes = .allocate(capacity: clauses.count)
        clauseSyllables = .allocate(capacity: clauses.reduce(0) { $0 + $1.syllables.count })
        var next = 0
        for (c, clause) in clauses.enumerated() {
            let start = next
            for s in clause.syllables {
                clauseSyllables.initializeElement(at: next, to: s)
                next += 1
            }
            clauseShapes.initializeElement(
                at: c, to: ClauseShape(kind: clause.kind, required: clause.occur == .must, start: start, end: next))
        }
        for clause in context.plan.clauses where clause.occur == .must {
            if clause.syllables.contains(where: { scorers[$0] == nil }) { impossible = true }
        }
    }

    deinit {
        weighted.deallocate()
        present.deallocate()
        counted.deallocate()
        scorerCores.deallocate()
        clauseShapes.deallocate()
        clauseSyllables.deallocate()
    }

    private static func makeScorer(
        _ syllable: Int, _ expansion: [ExpandedField], idf: Double, segment: IndexSnapshot.Segment,
        opener: PostingsOpener, context: Context, from start: UInt32
    ) throws(IndexError) -> SyllableScorer? {
        let reader = segment.reader
        let segmentIndex = opener.segment
        var fields: [FieldScorer] = []
        for expanded in expansion {
            var cursors: [PostingsCursor] = []
            var infos: [TermInfo] = []
            var weights: [Double] = []
            var cost = 0
            var totalFrequency = 0
            for (t, term) in expanded.scoring.enumerated() {
                guard let info = try context.lookups.info(term, segment: segmentIndex) else { continue }
                infos.append(info)
                weights.append(expanded.weights?[t] ?? 1)
                cursors.append(try opener.open(info))
                cost += info.docFreq
                totalFrequency += info.totalFreq
            }
            guard !cursors.isEmpty else { continue }
            var exact: (PostingsCursor, TermInfo)? = nil
            var scoringIsExact = expanded.scoringIsExact
            var readingInfo: TermInfo? = nil
            if let term = expanded.exact, let info = try context.lookups.info(term, segment: segmentIndex) {
                if cursors.count == 1 && info.docFreq == cost && info.totalFreq == totalFrequency {
                    // The folded term has this one variant: every occurrence is exact.
                    scoringIsExact = true
                } else {
                    var cursor = try opener.open(info)
                    try cursor.begin(at: start)
                    exact = (cursor, info)
                    if expanded.restoredProbability != nil && !expanded.positions.isEmpty {
                        readingInfo = info
                    }
                }
            }
            var positionInfos: [TermInfo] = []
            for term in expanded.positions {
                if let info = try context.lookups.info(term, segment: segmentIndex) { positionInfos.append(info) }
            }
            var positions = PositionSource(opener: opener, infos: positionInfos)
            var readingPositions: PositionSource? = nil
            if let readingInfo {
                if positionInfos.count > 1, let k = positionInfos.firstIndex(of: readingInfo) {
                    // The reading's form is one of the variants read for positions: keep its
                    // positions apart as they are read, rather than read its postings twice.
                    positions = PositionSource(opener: opener, infos: positionInfos, marked: k)
                } else {
                    readingPositions = PositionSource(opener: opener, infos: [readingInfo])
                }
            }
            let parameters = context.parameters
            let isTitle = expanded.field == .title
            fields.append(
                FieldScorer(
                    field: expanded.field,
                    stream: try TermStream(
                        cursors, cost: cost, weights: expanded.weights == nil ? nil : weights, from: start),
                    terms: infos, exact: exact,
                    scoringIsExact: scoringIsExact,
                    otherWeight: 1 - parameters.readingWeight * (expanded.restoredProbability ?? 0),
                    positions: positions, readingPositions: readingPositions,
                    norms: reader.norms(expanded.field), weight: isTitle ? parameters.titleWeight : 1,
                    lengthNorm: LengthNormalization(
                        averageLength: context.statistics.averageLength(expanded.field),
                        b: isTitle ? parameters.titleB : parameters.bodyB)))
        }
        return fields.isEmpty ? nil : SyllableScorer(syllable: syllable, fields: fields, idf: idf)
    }

    // MARK: Evaluation

    /// Adds the segment's best documents to `top`; returns how many matching documents it scored
    /// and whether it skipped any document that might have matched.
    func run(into top: inout TopHits, exhaustive: Bool) throws(IndexError) -> (matched: Int, pruned: Bool) {
        guard !impossible else { return (0, false) }
        if let syllables = conjunctive(exhaustive: exhaustive) {
            // A syllable every match holds is absent from this segment: nothing matches here.
            guard syllables.allSatisfy({ scorers[$0] != nil }) else { return (0, false) }
            return try runConjunction(syllables, into: &top, exhaustive: exhaustive)
        }
        if !exhaustive, let window = termAtATimeWindow() { return try runTermAtATime(window: window, into: &top) }
        return try runMaxScore(into: &top, exhaustive: exhaustive)
    }

    /// The window of ``runTermAtATime(window:into:)`` when the query allows it: nil for
    /// ``runMaxScore(into:exhaustive:)``. It allows it when every clause is an optional word (of
    /// any number of syllables) or prefix (of one) and nothing is scored for proximity in this
    /// pass (the first stage of a proximity window); for two or more syllables, or for one that
    /// reads two or more terms in a field (a prefix, a syllable typed with some of its marks,
    /// fuzzy candidates). A weighted stream (fuzzy candidates) sums its terms' weighted parts term
    /// by term in the order ``TermStream/weightedFreq`` adds them
    /// (``TermStream/collectWeighted(before:base:sums:seen:)``), so its sums are the same bits.
    /// One syllable of one term a field has its own loop, ``runOneSyllable(_:into:)``, which skips
    /// blocks by their bounds; a stream of several terms has no block bounds and merges its
    /// cursors document by document, a pass over every cursor per document: term at a time, each
    /// term's postings are read once, a decoded block at a time. Measured on viwiki (`tra bench
    /// --runs 3`, 3 runs of each, the 300 prefix queries of `Benchmarks/queries`): p95 1,105-1,117
    /// µs document at a time, 290-297 µs term at a time; p99 1,626-1,645 µs and 389-410 µs.
    private func termAtATimeWindow() -> Int? {
        let window: Int
        switch context.disjunction {
        case .maxScore: return nil
        case .termAtATime(let size): window = size
        case .automatic: window = Self.window(documentCount: segment.reader.documentCount)
        }
        let plan = context.plan
        guard context.parameters.proximityWeight == 0 || plan.pairs.isEmpty else { return nil }
        for clause in plan.clauses {
            // An optional word of several syllables ("covid-19") counts each syllable it holds, as
            // words of one would: only a prefix needs all of its syllables.
            let oneSyllablePrefix = clause.kind == .prefix && clause.syllables.count == 1
            guard clause.occur == .should, clause.kind == .text || oneSyllablePrefix else { return nil }
        }
        var active = 0
        var mergesTerms = false
        for scorer in scorers {
            guard let scorer else { continue }
            active += 1
            if scorer.fields.contains(where: { !$0.stream.readsOneTerm }) { mergesTerms = true }
        }
        return active >= 2 || (active == 1 && mergesTerms) ? window : nil
    }

    /// The window of ``runTermAtATime(window:into:)`` in a segment of `documentCount` documents:
    /// short enough that the first window, scored without a threshold, is a small part of the
    /// segment; long enough that each syllable's pass over a window reads runs of postings.
    /// Measured (callgrind instructions, `tra bench`): on viwiki's 7,860 articles 512 beats 128,
    /// 256, 1,024 and 4,096; on its 209,817 paragraphs 2,048 beats 512.
    static func window(documentCount: Int) -> Int { documentCount <= 1 << 16 ? 512 : 2_048 }

    /// MaxScore a window of documents at a time, the essential syllables read term at a time (as
    /// Lucene's `MaxScoreBulkScorer`). Per window, the syllables whose bounds add up to no more
    /// than the k-th score so far are non-essential, as in ``runMaxScore(into:exhaustive:)``; each
    /// essential one's postings in the window are read a decoded block at a time into per-document
    /// frequencies, each document's field parts of the BM25F pseudo-frequency added
    /// (``SyllableCore/HotField/value(tf:exactTF:exactBoost:at:)``, fields in order) and its
    /// syllable score kept. A document an essential syllable holds is a candidate: while its best
    /// possible score (what it has, plus the bounds of the non-essential syllables not yet looked
    /// at) beats the k-th, the non-essential syllables are looked up at it one by one, largest
    /// bound first. Its score adds the syllable scores in the order ``score(_:threshold:explain:)``
    /// adds them (adding 0 for a syllable it lacks changes no bit): the same scores, bit for bit.
    /// In a window with one essential syllable, a document whose pseudo-frequency is at most
    /// ``rejectionFloor(threshold:others:idf:k1:)`` would fail the candidates' first test: it is
    /// dropped before its syllable score is computed. Measured on viwiki (`tra bench --runs 5`, side
    /// by side): such windows held 1,370 of a 2-3 syllable query's 2,000 candidates, of which 49 got
    /// past that test; p50 of the 2-3 syllable class 141-160 -> 128-138 µs, of the unaccented one
    /// 305-334 -> 278-295 µs (7 rounds of 8). In a window where every syllable is essential (the
    /// first ones, before the top holds k documents), a document's syllable scores are summed as
    /// each syllable is read, in the same order, and its candidate reads the one sum.
    private func runTermAtATime(window requested: Int, into top: inout TopHits) throws(IndexError) -> (
        matched: Int, pruned: Bool
    ) {
        let documentCount = segment.reader.documentCount
        // The syllables of the clauses, in order (as score counts them).
        var inClause = [Bool](repeating: false, count: scorers.count)
        for clause in context.plan.clauses { for s in clause.syllables { inClause[s] = true } }
        let syllables = scorers.indices.compactMap { inClause[$0] ? scorers[$0] : nil }
        guard documentCount > 0, !syllables.isEmpty else { return (0, false) }
        let parameters = context.parameters
        for scorer in syllables { try scorer.computeBound(opener: opener, parameters: parameters) }
        let count = syllables.count
        // Whole words of bits.
        let window = max(64, (requested + 63) / 64 * 64)
        let words = window / 64
        let cores = UnsafeMutableBufferPointer<UnsafeMutablePointer<SyllableCore>>.allocate(capacity: count)
        // Syllables (their indices in `cores`) by ascending bound: the first become non-essential
        // first; and the bounds' running sums in that order.
        let order = UnsafeMutableBufferPointer<Int>.allocate(capacity: count)
        let prefix = UnsafeMutableBufferPointer<Double>.allocate(capacity: count)
        let essential = UnsafeMutableBufferPointer<Bool>.allocate(capacity: count)
        let frequencies = UnsafeMutablePointer<UInt32>.allocate(capacity: window)
        let exactFrequencies = UnsafeMutablePointer<UInt32>.allocate(capacity: window)
        // A weighted stream's frequencies (``TermStream/weightedFreq``) per document of the window.
        let weightedFrequencies = UnsafeMutablePointer<Double>.allocate(capacity: window)
        let weighted = UnsafeMutablePointer<Double>.allocate(capacity: window)
        // Per document of the window, its score while every syllable is essential.
        let totals = UnsafeMutablePointer<Double>.allocate(capacity: window)
        // Per document of the window and syllable, its score (0 when it lacks the syllable): a
        // document's `count` values side by side.
        let values = UnsafeMutablePointer<Double>.allocate(capacity: count * window)
        // Per window: the documents a field holds, a syllable holds, an essential syllable holds.
        let fieldBits = UnsafeMutablePointer<UInt64>.allocate(capacity: words)
        let syllableBits = UnsafeMutablePointer<UInt64>.allocate(capacity: words)
        let candidateBits = UnsafeMutablePointer<UInt64>.allocate(capacity: words)
        defer {
            cores.deallocate()
            order.deallocate()
            prefix.deallocate()
            essential.deallocate()
            frequencies.deallocate()
            exactFrequencies.deallocate()
            weightedFrequencies.deallocate()
            weighted.deallocate()
            totals.deallocate()
            values.deallocate()
            fieldBits.deallocate()
            syllableBits.deallocate()
            candidateBits.deallocate()
        }
        _ = cores.initialize(from: syllables.lazy.map(\.core))
        _ = order.initialize(from: (0..<count).sorted { cores[$0].pointee.bound < cores[$1].pointee.bound })
        var running = 0.0
        for i in 0..<count {
            running += cores[order[i]].pointee.bound
            prefix.initializeElement(at: i, to: running)
        }
        essential.initialize(repeating: true)
        // Zero, and each entry back to zero once read.
        frequencies.initialize(repeating: 0, count: window)
        exactFrequencies.initialize(repeating: 0, count: window)
        weightedFrequencies.initialize(repeating: 0, count: window)
        weighted.initialize(repeating: 0, count: window)
        totals.initialize(repeating: 0, count: window)
        values.initialize(repeating: 0, count: count * window)
        fieldBits.initialize(repeating: 0, count: words)
        syllableBits.initialize(repeating: 0, count: words)
        candidateBits.initialize(repeating: 0, count: words)
        let k1 = parameters.k1
        let exactBoost = parameters.exactBoost
        let excludes = !context.plan.excluded.isEmpty
        var matched = 0
        var pruned = false
        var firstEssential = 0
        var base = 0
        while base < documentCount {
            let end = UInt32(min(base + window, documentCount))
            let start = UInt32(base)
            base += window
            // The threshold only rises: syllables leave the essential ones, never come back.
            while firstEssential < count && prefix[firstEssential] <= top.threshold {
                essential[order[firstEssential]] = false
                firstEssential += 1
                pruned = true
            }
            guard firstEssential < count else { break }
            for c in 0..<count where essential[c] {
                let core = cores[c]
                if core.pointee.doc < start { try core.pointee.advance(to: start) }
                var holds = false
                for field in core.pointee.hot where field.stream.pointee.doc < end {
                    holds = true
                    let isWeighted = field.stream.pointee.weights != nil
                    if field.stream.pointee.readsOneTerm && !isWeighted && (field.exact == nil || field.scoringIsExact)
                    {
                        // Each document once, its exact count known (all or none): its field part
                        // straight from the run.
                        let exactShare = field.scoringIsExact ? 1.0 : 0.0
                        try field.stream.pointee.forEachRun(before: end) { docs, freqs in
                            for k in docs.indices {
                                let offset = Int(docs[k] &- start)
                                let tf = Double(freqs[k])
                                weighted[offset] += field.value(
                                    tf: tf, exactTF: tf * exactShare, exactBoost: exactBoost, at: docs[k])
                                syllableBits[offset >> 6] |= 1 << UInt64(offset & 63)
                            }
                        }
                        continue
                    }
                    if isWeighted {
                        try field.stream.pointee.collectWeighted(
                            before: end, base: start, sums: weightedFrequencies, seen: fieldBits)
                    } else {
                        try field.stream.pointee.collect(
                            before: end, base: start, frequencies: frequencies, seen: fieldBits)
                    }
                    if !field.scoringIsExact, let exact = field.exact {
                        // Where the stream is only (as weightedFrequency reads it).
                        try exact.pointee.forEachRun(before: end) { docs, freqs in
                            for k in docs.indices {
                                let offset = Int(docs[k] &- start)
                                if fieldBits[offset >> 6] & (1 << UInt64(offset & 63)) != 0 {
                                    exactFrequencies[offset] = freqs[k]
                                }
                            }
                        }
                    }
                    Self.drainBits(fieldBits, words: words, into: syllableBits) { offset in
                        let tf = isWeighted ? weightedFrequencies[offset] : Double(frequencies[offset])
                        let exactTF = field.scoringIsExact ? tf : Double(exactFrequencies[offset])
                        frequencies[offset] = 0
                        weightedFrequencies[offset] = 0
                        exactFrequencies[offset] = 0
                        weighted[offset] += field.value(
                            tf: tf, exactTF: exactTF, exactBoost: exactBoost, at: start + UInt32(offset))
                    }
                }
                guard holds else { continue }
                core.pointee.settle()
                let idf = core.pointee.idf
                if firstEssential == 0 {
                    // Every syllable essential: a candidate's score is all that its loop needs,
                    // summed here in the order it adds the syllables (c ascending).
                    Self.drainBits(syllableBits, words: words, into: candidateBits) { offset in
                        totals[offset] += idf * BM25F.saturate(weighted[offset], k1: k1)
                        weighted[offset] = 0
                    }
                    continue
                }
                guard firstEssential == count - 1 else {
                    Self.drainBits(syllableBits, words: words, into: candidateBits) { offset in
                        values[offset * count + c] = idf * BM25F.saturate(weighted[offset], k1: k1)
                        weighted[offset] = 0
                    }
                    continue
                }
                // The one essential syllable: its documents are the candidates, and most fall short
                // by the first test below (with the bounds of all the others). Dropped here by their
                // pseudo-frequency alone, they cost neither the saturation's division nor a pass
                // of the candidates' loop.
                let floor = Self.rejectionFloor(
                    threshold: top.threshold, others: prefix[firstEssential - 1], idf: idf, k1: k1)
                var dropped = false
                Self.drainBits(syllableBits, words: words) { offset in
                    let w = weighted[offset]
                    weighted[offset] = 0
                    guard w > floor else {
                        dropped = true
                        return
                    }
                    values[offset * count + c] = idf * BM25F.saturate(w, k1: k1)
                    candidateBits[offset >> 6] |= 1 << UInt64(offset & 63)
                }
                if dropped { pruned = true }
            }
            /// Counts a live candidate that got through and keeps it when it makes the top.
            func keep(_ doc: UInt32, score: Double) throws(IndexError) {
                if excludes, try isExcluded(doc) { return }
                matched += 1
                if !top.isFull || score >= top.threshold {
                    top.insert(RankedDocument(segment: segmentIndex, doc: doc, score: score))
                }
            }
            if firstEssential == 0 {
                try Self.drainBits(candidateBits, words: words) { (offset) throws(IndexError) in
                    let doc = start + UInt32(offset)
                    let score = totals[offset]
                    totals[offset] = 0
                    if isLive(doc) { try keep(doc, score: score) }
                }
                continue
            }
            try Self.drainBits(candidateBits, words: words) { (offset) throws(IndexError) in
                let doc = start + UInt32(offset)
                let scores = values + offset * count
                defer { scores.update(repeating: 0, count: count) }
                guard isLive(doc) else { return }
                // The best it can still reach, refined one non-essential syllable at a time.
                let threshold = top.threshold
                var best = prefix[firstEssential - 1]
                for c in 0..<count where essential[c] { best += scores[c] }
                var i = firstEssential - 1
                // (With the margin of runMaxScore: `best` adds in another order.)
                while i >= 0 && best * (1 + 1e-9) + 1e-12 > threshold {
                    let c = order[i]
                    let core = cores[c]
                    try core.pointee.advance(to: doc)
                    best -= core.pointee.bound
                    if core.pointee.doc == doc {
                        let value = try contribution(core, at: doc)
                        scores[c] = value
                        best += value
                    }
                    i -= 1
                }
                guard best * (1 + 1e-9) + 1e-12 > threshold else {
                    pruned = true
                    return
                }
                var score = 0.0
                for c in 0..<count { score += scores[c] }
                try keep(doc, score: score)
            }
        }
        return (matched, pruned)
    }

    /// The largest BM25F pseudo-frequency `w` of a syllable (its idf `idf`) for which a document
    /// surely fails the first test of ``runTermAtATime(window:into:)``'s candidates,
    /// `(others + idf · saturate(w)) (1 + 1e-9) + 1e-12 <= threshold`, `others` the bounds of the
    /// other syllables: -1 when no `w` surely does (every candidate is tested), infinity when every
    /// `w` does. From `saturate(w) = w (k1 + 1) / (k1 + w) = y`, `w = y k1 / (k1 + 1 - y)`, with `y`
    /// lowered by a relative 1e-6 so that rounding cannot drop a document the test would keep.
    static func rejectionFloor(threshold: Double, others: Double, idf: Double, k1: Double) -> Double {
        guard threshold.isFinite, idf > 0, k1 > 0 else { return -1 }
        let target = (threshold - 1e-12) / (1 + 1e-9) - others
        // A target far below the threshold is within its rounding: test every candidate.
        guard target > threshold * 1e-6 else { return -1 }
        let y = target / idf * (1 - 1e-6)
        guard y < (k1 + 1) * (1 - 1e-6) else { return .infinity }
        return y * k1 / (k1 + 1 - y)
    }

    /// Calls `body` with the offset of each bit set in the first `words` words of `bits`, in
    /// ascending order, and clears them; ORs each word into `union` first when given.
    @inline(__always)
    private static func drainBits<E: Error>(
        _ bits: UnsafeMutablePointer<UInt64>, words: Int, into union: UnsafeMutablePointer<UInt64>? = nil,
        _ body: (Int) throws(E) -> Void
    ) throws(E) {
        for w in 0..<words {
            var word = bits[w]
            guard word != 0 else { continue }
            bits[w] = 0
            union?[w] |= word
            while word != 0 {
                let offset = w << 6 | word.trailingZeroBitCount
                word &= word &- 1
                try body(offset)
            }
        }
    }

    /// The syllables every matching document holds, when the query has such: those of its required
    /// clauses, or (not for exhaustive scoring, which tests check the shortcut against) those of its
    /// one clause when that is a phrase. Visiting only the documents that hold them all
    /// (``runConjunction(_:into:exhaustive:)``) scores the same documents as MaxScore over their
    /// union would.
    private func conjunctive(exhaustive: Bool) -> [Int]? {
        let plan = context.plan
        if plan.hasRequiredClauses { return plan.clauses.filter { $0.occur == .must }.flatMap(\.syllables) }
        if !exhaustive && plan.clauses.count == 1 && plan.clauses[0].kind == .phrase {
            return plan.clauses[0].syllables
        }
        return nil
    }

    /// Whether `doc` is not deleted: asked only of a segment that has deletions, since the call
    /// into the index module, made for every candidate, was about 1 % of a short query's
    /// instructions on an index without any.
    @inline(__always)
    private func isLive(_ doc: UInt32) -> Bool { !hasDeletions || segment.isLive(doc) }

    /// Documents holding every one of `syllables`, led by the cheapest.
    private func runConjunction(_ syllables: [Int], into top: inout TopHits, exhaustive: Bool) throws(IndexError) -> (
        matched: Int, pruned: Bool
    ) {
        let required = syllables.compactMap { scorers[$0] }
        guard let leader = required.min(by: { $0.cost < $1.cost }) else { return (0, false) }
        // By the scorers' cores, as in ``runMaxScore(into:exhaustive:)``: a call on a scorer read
        // from `required` retained it, for every syllable of every document.
        let lead = leader.core
        let others = UnsafeMutableBufferPointer<UnsafeMutablePointer<SyllableCore>>.allocate(
            capacity: required.count)
        defer { others.deallocate() }
        var otherCount = 0
        for scorer in required where scorer !== leader {
            others.initializeElement(at: otherCount, to: scorer.core)
            otherCount += 1
        }
        var matched = 0
        var pruned = false
        while lead.pointee.doc != PostingsCursor.end {
            let doc = lead.pointee.doc
            var all = true
            for i in 0..<otherCount {
                let other = others[i]
                try other.pointee.advance(to: doc)
                if other.pointee.doc != doc {
                    // No document before this one has every required syllable: leap there.
                    all = false
                    try lead.pointee.advance(to: other.pointee.doc)
                    break
                }
            }
            guard all else { continue }
            if isLive(doc) {
                switch try score(doc, threshold: exhaustive ? -.infinity : top.threshold, explain: nil) {
                case .noMatch: break
                case .belowThreshold:
                    pruned = true
                case .notCompetitive:
                    matched += 1
                case .score(let score):
                    matched += 1
                    top.insert(RankedDocument(segment: segmentIndex, doc: doc, score: score))
                }
            }
            try lead.pointee.next()
        }
        return (matched, pruned)
    }

    /// MaxScore: the syllables whose bounds add up to no more than the k-th best score so far
    /// cannot bring a document into the top-k on their own, so only the others ("essential")
    /// propose candidates, and a candidate is dropped as soon as its best possible score cannot
    /// beat the k-th.
    private func runMaxScore(into top: inout TopHits, exhaustive: Bool) throws(IndexError) -> (
        matched: Int, pruned: Bool
    ) {
        let active = scorers.compactMap { $0 }
        guard !active.isEmpty else { return (0, false) }
        let parameters = context.parameters
        let proximity = parameters.proximityWeight > 0 && !context.plan.pairs.isEmpty
        if !exhaustive && active.count == 1 && !proximity {
            // One syllable: its whole-list bound could only end the search once the k-th score
            // passes it, which the block bounds see as soon; reading every block header and the
            // tail for it is not worth it.
            active[0].assumeUnboundedList(parameters: parameters)
            return try runOneSyllable(active[0], into: &top)
        } else if !exhaustive {
            for scorer in active { try scorer.computeBound(opener: opener, parameters: parameters) }
        }
        if !exhaustive && proximity {
            // A pair (or triple) scores only where all its syllables occur, so its bound can be
            // carried by its rarest syllable alone: frequent syllables keep small bounds and
            // become non-essential sooner.
            for pair in context.plan.pairs {
                rarest([pair.first, pair.second])?.share += groupBound([pair.first, pair.second], pair: pair)
            }
            for triple in triples {
                let bound =
                    context.parameters.tripleWeight
                    * groupBound([triple.0, triple.1, triple.2], pair: (triple.0, triple.2))
                rarest([triple.0, triple.1, triple.2])?.share += bound + 1e-12
            }
        }
        // Ascending bounds: the first ones become non-essential first.
        let order = exhaustive ? active : active.sorted { $0.bound + $0.share < $1.bound + $1.share }
        // The loop goes by the scorers' cores: a call on a scorer read from `order` retained it.
        // Both in buffers, which the loop reads without a bounds check per access.
        let cores = UnsafeMutableBufferPointer<UnsafeMutablePointer<SyllableCore>>.allocate(capacity: order.count)
        defer { cores.deallocate() }
        _ = cores.initialize(from: order.lazy.map(\.core))
        let prefix = UnsafeMutableBufferPointer<Double>.allocate(capacity: order.count)
        defer { prefix.deallocate() }
        var running = 0.0
        for (i, scorer) in order.enumerated() {
            running += scorer.bound + scorer.share
            prefix.initializeElement(at: i, to: running)
        }
        var matched = 0
        var pruned = false
        var firstEssential = 0
        // The block-max bound of the essential syllables, valid for documents up to blockUpTo.
        var blockBest = 0.0
        var blockUpTo: UInt32 = 0
        var blockFirstEssential = -1
        while true {
            let threshold = exhaustive ? -Double.infinity : top.threshold
            while firstEssential < cores.count && prefix[firstEssential] <= threshold {
                firstEssential += 1
                pruned = true
            }
            guard firstEssential < cores.count else { break }
            var doc = PostingsCursor.end
            for i in firstEssential..<cores.count where cores[i].pointee.doc < doc { doc = cores[i].pointee.doc }
            guard doc != PostingsCursor.end else { break }
            if threshold > -Double.infinity {
                // Block-max: the blocks the essential cursors are in bound every document up to
                // the first block end; when that and the non-essential bounds cannot beat the
                // k-th score, skip to the end of that block.
                if doc > blockUpTo || firstEssential != blockFirstEssential {
                    blockBest = firstEssential > 0 ? prefix[firstEssential - 1] : 0
                    blockUpTo = PostingsCursor.end
                    blockFirstEssential = firstEssential
                    for i in firstEssential..<cores.count {
                        let block = cores[i].pointee.blockBound(from: doc)
                        blockBest += block.bound
                        blockUpTo = min(blockUpTo, block.upTo)
                    }
                }
                let upTo = blockUpTo
                if blockBest <= threshold && upTo != PostingsCursor.end {
                    pruned = true
                    for i in firstEssential..<cores.count where cores[i].pointee.doc <= upTo {
                        try cores[i].pointee.advance(to: upTo + 1)
                    }
                    continue
                }
            }
            if threshold > -Double.infinity {
                // A document that one essential syllable alone holds must get more than the threshold
                // less the non-essential bounds from it, and most fall short: found so without a
                // division, as in a query of one syllable (runs of its decoded block at a time, up
                // to the next document of another essential syllable). Only where that rest is a
                // fair share of the threshold: then the margin of `cannotExceed` covers the slack
                // of the check below, so no document it would keep is dropped.
                let rest = threshold - (firstEssential > 0 ? prefix[firstEssential - 1] : 0)
                if rest > threshold * 0.01 {
                    var atDoc = 0
                    var only = firstEssential
                    // The next document of the other essential syllables (all after `doc` when
                    // one syllable alone is there).
                    var others = PostingsCursor.end
                    for i in firstEssential..<cores.count {
                        let next = cores[i].pointee.doc
                        if next == doc {
                            atDoc += 1
                            only = i
                        } else if next < others {
                            others = next
                        }
                    }
                    if atDoc == 1 && cores[only].pointee.share == 0 {
                        let essential = cores[only]
                        if essential.pointee.cannotExceed(rest, at: doc) {
                            pruned = true
                            // And the documents after it that it alone holds, in a run over its
                            // decoded block, when it is there in one field.
                            if !essential.pointee.skipNotExceeding(rest, before: others) {
                                try essential.pointee.next()
                            }
                            continue
                        }
                    }
                }
            }
            if isLive(doc) {
                var competitive = true
                if threshold > -Double.infinity {
                    // The best the document can still reach: what the essential syllables give,
                    // plus every non-essential bound, refined one non-essential syllable at a time.
                    var best = firstEssential > 0 ? prefix[firstEssential - 1] : 0
                    for i in firstEssential..<cores.count where cores[i].pointee.doc == doc {
                        best += try contribution(cores[i], at: doc) + cores[i].pointee.share
                    }
                    var i = firstEssential - 1
                    while i >= 0 && best > threshold {
                        let scorer = cores[i]
                        try scorer.pointee.advance(to: doc)
                        best -= scorer.pointee.bound + scorer.pointee.share
                        if scorer.pointee.doc == doc {
                            best += try contribution(scorer, at: doc) + scorer.pointee.share
                        }
                        i -= 1
                    }
                    competitive = best * (1 + 1e-9) + 1e-12 > threshold
                }
                if competitive {
                    try scoreCandidate(doc, threshold: threshold, into: &top, matched: &matched, pruned: &pruned)
                } else {
                    pruned = true
                }
            }
            for i in firstEssential..<cores.count where cores[i].pointee.doc == doc { try cores[i].pointee.next() }
        }
        return (matched, pruned)
    }

    /// MaxScore reduced to one syllable without pairs (most short queries): the block bounds skip
    /// blocks, ``SyllableCore/skipNotExceeding(_:before:)`` (runs of a decoded block) and
    /// ``SyllableCore/cannotExceed(_:at:)`` (one document) drop most other documents, and the
    /// rest are scored by ``score(_:threshold:explain:)`` as in the general loop, so the scores are
    /// the same.
    private func runOneSyllable(_ scorer: SyllableScorer, into top: inout TopHits) throws(IndexError) -> (
        matched: Int, pruned: Bool
    ) {
        let deleted = segment.deleted
        // By the scorer's core, as in ``runMaxScore(into:exhaustive:)`` (`scoreCandidate` holds
        // the scorer, through ``scorers``).
        let core = scorer.core
        var matched = 0
        var pruned = false
        // The block bound of the documents from the one it was computed at to blockUpTo (none
        // yet: document 0 is not covered by the initial 0).
        var blockBest = 0.0
        var blockUpTo: UInt32 = 0
        var haveBlock = false
        while core.pointee.doc != PostingsCursor.end {
            let doc = core.pointee.doc
            let threshold = top.threshold
            if threshold > -Double.infinity {
                if !haveBlock || doc > blockUpTo {
                    (blockBest, blockUpTo) = core.pointee.blockBound(from: doc)
                    haveBlock = true
                }
                if blockBest <= threshold && blockUpTo != PostingsCursor.end {
                    pruned = true
                    try core.pointee.advance(to: blockUpTo + 1)
                    continue
                }
                if core.pointee.skipNotExceeding(threshold) {
                    // What it passed, the check below would have dropped one by one.
                    pruned = true
                    continue
                }
            }
            if !(deleted?.contains(doc) ?? false) {
                if threshold > -Double.infinity && core.pointee.cannotExceed(threshold, at: doc) {
                    pruned = true
                } else {
                    try scoreCandidate(doc, threshold: threshold, into: &top, matched: &matched, pruned: &pruned)
                }
            }
            try core.pointee.next()
        }
        return (matched, pruned)
    }

    /// Scores a candidate of MaxScore in full (giving up below `threshold`) and keeps it in `top`
    /// when it competes; counts it as matched when it does, notes the pruning when it does not.
    @inline(__always)
    private func scoreCandidate(
        _ doc: UInt32, threshold: Double, into top: inout TopHits, matched: inout Int, pruned: inout Bool
    ) throws(IndexError) {
        switch try score(doc, threshold: threshold, explain: nil) {
        case .noMatch: break
        case .notCompetitive, .belowThreshold: pruned = true
        case .score(let score):
            matched += 1
            top.insert(RankedDocument(segment: segmentIndex, doc: doc, score: score))
        }
    }

    /// A bound of the proximity component of syllables found in a row, in this segment: in each
    /// field they are in a row at most as often as the rarest of them occurs, so the field's
    /// smallest `freq / lengthNorm` maximum bounds it.
    private func groupBound(_ syllables: [Int], pair: (first: Int, second: Int)) -> Double {
        var weighted = 0.0
        for field in IndexedField.allCases {
            var smallest = Double.infinity
            var weight = 0.0
            for s in syllables {
                guard let maximum = scorers[s]?.maximum(in: field) else {
                    smallest = 0
                    break
                }
                smallest = min(smallest, maximum.value)
                weight = maximum.weight
            }
            if smallest.isFinite { weighted += weight * smallest }
        }
        return pairScore(pair, weighted: weighted) * (1 + 1e-9) + 1e-12
    }

    /// The syllable of `syllables` with the fewest postings in this segment (nil if one is absent:
    /// then the group never scores here).
    private func rarest(_ syllables: [Int]) -> SyllableScorer? {
        var best: SyllableScorer? = nil
        for s in syllables {
            guard let scorer = scorers[s] else { return nil }
            if best.map({ scorer.cost < $0.cost }) ?? true { best = scorer }
        }
        return best
    }

    @inline(__always)
    private func contribution(_ core: UnsafeMutablePointer<SyllableCore>, at doc: UInt32) throws(IndexError) -> Double {
        let weighted = try core.pointee.weightedFrequency(at: doc, exactBoost: context.parameters.exactBoost)
        return core.pointee.idf * BM25F.saturate(weighted, k1: context.parameters.k1)
    }

    // MARK: Scoring one document

    enum Outcome {
        /// The document does not match the query (a required clause missing, an excluded one
        /// present, or no clause matched).
        case noMatch
        /// It matches but cannot score above `threshold` (its exact score was not computed).
        case notCompetitive
        /// Whether it matches is not known (a phrase was not looked for in its positions), but
        /// it cannot score above `threshold` either way.
        case belowThreshold
        case score(Double)
    }

    /// The score of `doc`. Moves every cursor to `doc`. With a finite `threshold`, gives up as
    /// soon as the document provably cannot score above it.
    func score(
        _ doc: UInt32, threshold: Double = -.infinity, explain: UnsafeMutablePointer<[Explanation.Component]>?
    ) throws(IndexError) -> Outcome {
        let plan = context.plan
        let parameters = context.parameters
        // Scratch per syllable, reused from document to document.
        for s in weighted.indices {
            weighted[s] = 0
            present[s] = false
            counted[s] = false
        }
        for s in scorerCores.indices {
            guard let core = scorerCores[s] else { continue }
            try core.pointee.advance(to: doc)
            if core.pointee.doc == doc {
                present[s] = true
                weighted[s] = try core.pointee.weightedFrequency(at: doc, exactBoost: parameters.exactBoost)
            }
        }
        if threshold > -Double.infinity && hasPhrase
            && scoreBound(doc, parameters: parameters) * (1 + 1e-9) + 1e-12 <= threshold
        {
            // Even with every clause matched it cannot compete: its phrases' positions are not
            // worth reading (most of a phrase query's time).
            return .belowThreshold
        }
        var anyShould = false
        for c in clauseShapes.indices {
            let clause = clauseShapes[c]
            let syllables = UnsafeBufferPointer(rebasing: clauseSyllables[clause.start..<clause.end])
            let matched: Bool
            switch clause.kind {
            case .text:
                matched =
                    clause.required ? syllables.allSatisfy { present[$0] } : syllables.contains { present[$0] }
            case .prefix:
                matched = syllables.allSatisfy { present[$0] }
            case .phrase:
                if syllables.allSatisfy({ present[$0] }) {
                    matched = try phraseOccurs(syllables, of: scorers, at: doc)
                } else {
                    matched = false
                }
            }
            if clause.required && !matched { return .noMatch }
            if matched {
                if !clause.required { anyShould = true }
                for s in syllables where present[s] { counted[s] = true }
            } else if clause.kind == .text {
                for s in syllables where present[s] { counted[s] = true }
            }
        }
        guard anyShould || plan.hasRequiredClauses else { return .noMatch }
        if try isExcluded(doc) { return .noMatch }
        var total = 0.0
        for s in scorers.indices where counted[s] {
            guard let scorer = scorers[s] else { continue }
            let value = scorer.idf * BM25F.saturate(weighted[s], k1: parameters.k1)
            total += value
            explain?.pointee.append(termComponent(scorer, doc: doc, weighted: weighted[s], score: value))
        }
        if parameters.proximityWeight > 0 {
            let pairs = plan.pairs.lazy.filter { self.counted[$0.first] && self.counted[$0.second] }
            let countedTriples = triples.lazy.filter {
                self.counted[$0.0] && self.counted[$0.1] && self.counted[$0.2]
            }
            // A pair is found adjacent at most as often as its rarer syllable occurs: while even
            // that cannot lift the document above the k-th score, stop reading positions.
            let pruning = threshold > -Double.infinity
            var pending = 0.0
            if pruning {
                // Each bound once: kept in order for the loops below to take back.
                pendingBounds.removeAll(keepingCapacity: true)
                for pair in pairs {
                    let bound = pairBound(pair, at: doc)
                    pendingBounds.append(bound)
                    pending += bound
                }
                for triple in countedTriples {
                    let bound = tripleBound(triple, at: doc)
                    pendingBounds.append(bound)
                    pending += bound
                }
            }
            var nextBound = 0
            for pair in pairs {
                var details: [String] = []
                if pruning {
                    if (total + pending) * (1 + 1e-9) + 1e-12 <= threshold { return .notCompetitive }
                    pending -= pendingBounds[nextBound]
                    nextBound += 1
                }
                let value = try pairValue(pair, at: doc, explaining: explain != nil, details: &details)
                guard value > 0 else { continue }
                total += value
                explain?.pointee.append(
                    Explanation.Component(
                        name: "proximity \(plan.syllables[pair.first].text) \(plan.syllables[pair.second].text)",
                        score: value,
                        details: details.joined(separator: ", ") + ", weight=\(parameters.proximityWeight)"))
            }
            for triple in countedTriples where parameters.tripleWeight > 0 {
                if pruning {
                    if (total + pending) * (1 + 1e-9) + 1e-12 <= threshold { return .notCompetitive }
                    pending -= pendingBounds[nextBound]
                    nextBound += 1
                }
                guard let a = scorers[triple.0], let b = scorers[triple.1], let c = scorers[triple.2] else { continue }
                var tripleWeighted = 0.0
                for i in a.fields.indices where a.fields[i].stream.doc == doc {
                    let field = a.fields[i].field
                    let pa = try a.positions(field, at: doc)
                    let pb = try b.positions(field, at: doc)
                    let pc = try c.positions(field, at: doc)
                    guard !pb.isEmpty, !pc.isEmpty else { continue }
                    let n = positionBits.inARowCount(pa, pb, pc)
                    guard n > 0 else { continue }
                    let norm = a.fields[i].lengthNorm(a.fields[i].norms[doc])
                    tripleWeighted += a.fields[i].weight * Double(n) / norm
                }
                if tripleWeighted > 0 {
                    let value = parameters.tripleWeight * pairScore((triple.0, triple.2), weighted: tripleWeighted)
                    total += value
                    explain?.pointee.append(
                        Explanation.Component(
                            name: "proximity \(plan.syllables[triple.0].text) \(plan.syllables[triple.1].text) "
                                + "\(plan.syllables[triple.2].text)", score: value,
                            details: "in a row, weight=\(parameters.tripleWeight)"))
                }
            }
            if pruning && (total + pending) * (1 + 1e-9) + 1e-12 <= threshold { return .notCompetitive }
        }
        return .score(total)
    }

    /// An upper bound of the score of `doc`, every cursor at it and ``weighted`` and ``present``
    /// filled: what it would score with every syllable it holds counted and every pair of them
    /// found adjacent as often as the rarer occurs.
    private func scoreBound(_ doc: UInt32, parameters: ScoringParameters) -> Double {
        var bound = 0.0
        for s in scorers.indices where present[s] {
            guard let scorer = scorers[s] else { continue }
            bound += scorer.idf * BM25F.saturate(weighted[s], k1: parameters.k1)
        }
        guard parameters.proximityWeight > 0 else { return bound }
        for pair in context.plan.pairs where present[pair.first] && present[pair.second] {
            bound += pairBound(pair, at: doc)
        }
        for triple in triples where present[triple.0] && present[triple.1] && present[triple.2] {
            bound += tripleBound(triple, at: doc)
        }
        return bound
    }

    /// An upper bound of the proximity component of three syllables in a row at `doc`: they are
    /// in a row at most as often as the rarer of the first and the last occurs.
    private func tripleBound(_ triple: (Int, Int, Int), at doc: UInt32) -> Double {
        context.parameters.tripleWeight * pairBound((triple.0, triple.2), at: doc) * 1.000001
    }

    /// Three query syllables typed in a row: (first, middle, last), from consecutive pairs.
    private lazy var triples: [(Int, Int, Int)] = {
        let pairs = context.plan.pairs
        var result: [(Int, Int, Int)] = []
        for i in pairs.indices.dropLast() where pairs[i].second == pairs[i + 1].first {
            result.append((pairs[i].first, pairs[i].second, pairs[i + 1].second))
        }
        return result
    }()

    /// An upper bound of the proximity component of a pair at `doc` from the frequencies alone
    /// (no positions read): a pair is adjacent at most as often as its rarer syllable occurs.
    private func pairBound(_ pair: (first: Int, second: Int), at doc: UInt32) -> Double {
        guard let a = scorers[pair.first], let b = scorers[pair.second] else { return 0 }
        var weighted = 0.0
        for i in a.fields.indices where a.fields[i].stream.doc == doc {
            let field = a.fields[i].field
            guard let j = b.slot(of: field), b.fields[j].stream.doc == doc else {
                continue
            }
            let most = min(a.fields[i].stream.freq, b.fields[j].stream.freq)
            let norm = a.fields[i].lengthNorm(a.fields[i].norms[doc])
            weighted += a.fields[i].weight * Double(most) / norm
        }
        return pairScore(pair, weighted: weighted) * (1 + 1e-9)
    }

    /// The proximity component of a pair at `doc`, from the positions.
    private func pairValue(
        _ pair: (first: Int, second: Int), at doc: UInt32, explaining: Bool, details: inout [String]
    ) throws(IndexError) -> Double {
        guard let a = scorers[pair.first], let b = scorers[pair.second] else { return 0 }
        var weighted = 0.0
        for i in a.fields.indices where a.fields[i].stream.doc == doc {
            let field = a.fields[i].field
            guard b.slot(of: field) != nil else { continue }
            let adjacent = try readingAdjacency(a, b, field, at: doc)
            guard adjacent > 0 else { continue }
            let norm = a.fields[i].lengthNorm(a.fields[i].norms[doc])
            weighted += a.fields[i].weight * adjacent / norm
            if explaining { details.append("\(field.name) adjacent=\(Explanation.format(adjacent))") }
        }
        return weighted > 0 ? pairScore(pair, weighted: weighted) : 0
    }

    /// How often `a` is directly followed by `b` in `field` of `doc`, each occurrence of a form
    /// other than a syllable's restored reading weighing that syllable's ``FieldScorer/otherWeight``
    /// (so the pair of the reading counts 1, other pairs less; never more than the plain count,
    /// which the bounds assume).
    private func readingAdjacency(_ a: SyllableScorer, _ b: SyllableScorer, _ field: IndexedField, at doc: UInt32)
        throws(IndexError) -> Double
    {
        let pa = try a.positions(field, at: doc)
        let pb = try b.positions(field, at: doc)
        let all = positionBits.adjacentCount(pa, pb)
        let readA = try a.readingPositions(field, at: doc)
        let readB = try b.readingPositions(field, at: doc)
        guard all > 0, readA != nil || readB != nil else { return Double(all) }
        let wa = readA == nil ? 1 : a.otherWeight(field)
        let wb = readB == nil ? 1 : b.otherWeight(field)
        let ra = readA ?? pa
        let rb = readB ?? pb
        let both = Double(positionBits.adjacentCount(ra, rb))
        // With one reading, what the other two passes would count is known: the syllable without
        // one has all its positions read (ra = pa, or rb = pb), so one of the counts is `all` and
        // the other `both`.
        let onlyA: Double
        let onlyB: Double
        if readA == nil {
            (onlyA, onlyB) = (Double(all) - both, 0)
        } else if readB == nil {
            (onlyA, onlyB) = (0, Double(all) - both)
        } else {
            onlyA = Double(positionBits.adjacentCount(ra, pb)) - both
            onlyB = Double(positionBits.adjacentCount(pa, rb)) - both
        }
        let neither = Double(all) - both - onlyA - onlyB
        return min(both + wb * onlyA + wa * onlyB + wa * wb * neither, Double(all))
    }

    @inline(__always)
    private func pairScore(_ pair: (first: Int, second: Int), weighted: Double) -> Double {
        let parameters = context.parameters
        let idf = (context.idfs[pair.first] + context.idfs[pair.second]) / 2
        return parameters.proximityWeight * idf * BM25F.saturate(weighted, k1: parameters.k1)
    }

    /// Whether the syllables (indices into `scorers`) occur adjacent and in order in one field of
    /// `doc`.
    ///
    /// The syllables are taken from the one that occurs least in the field to the one that occurs
    /// most: the first one's positions give the places where the phrase could start
    /// (``appendStarts(_:of:at:)``), each next one's keep those where it is at its offset, and the
    /// search stops when none is left. A phrase that is not there is mostly found out by its rarer
    /// syllables, before the positions of a frequent word (có, của...), the longest lists, are
    /// decoded.
    private func phraseOccurs(_ syllables: UnsafeBufferPointer<Int>, of scorers: [SyllableScorer?], at doc: UInt32)
        throws(IndexError) -> Bool
    {
        guard let s0 = syllables.first, let first = scorers[s0] else { return false }
        if syllables.count == 1 { return first.doc == doc }
        let count = syllables.count
        return try withUnsafeTemporaryAllocation(of: (frequency: UInt32, offset: Int).self, capacity: count) {
            (order) throws(IndexError) -> Bool in
            for f in first.fields.indices {
                let field = first.fields[f].field
                // Every syllable in this field of the document, before any position is decoded.
                guard syllables.allSatisfy({ scorers[$0]?.isPresent(field, at: doc) ?? false }) else { continue }
                // The syllables' offsets in the phrase by ascending frequency (insertion: a few).
                for offset in 0..<count {
                    let frequency = scorers[syllables[offset]]?.frequency(field, at: doc) ?? 0
                    var i = offset
                    while i > 0 && order[i - 1].frequency > frequency {
                        order[i] = order[i - 1]
                        i -= 1
                    }
                    order[i] = (frequency, offset)
                }
                let rarest = order[0].offset
                let rarestPositions = try scorers[syllables[rarest]]?.positions(field, at: doc) ?? []
                // The starts in a buffer of their own (at most one per position of the rarest):
                // an array held by the object was checked for uniqueness at every change.
                let room = max(rarestPositions.count, 1)
                let found = try withUnsafeTemporaryAllocation(of: UInt32.self, capacity: room) {
                    (starts) throws(IndexError) -> Bool in
                    var kept = rarestPositions.withUnsafeBufferPointer { Self.appendStarts(starts, of: $0, at: rarest) }
                    var k = 1
                    while k < count && kept > 0 {
                        let offset = order[k].offset
                        let positions = try scorers[syllables[offset]]?.positions(field, at: doc) ?? []
                        kept = positions.withUnsafeBufferPointer {
                            Self.keepStarts(starts, count: kept, followedBy: $0, at: offset)
                        }
                        k += 1
                    }
                    return kept > 0
                }
                if found { return true }
            }
            return false
        }
    }

    /// Appends where a phrase may start given the positions (ascending) of its syllable at
    /// `offset`: each position less the offset (those before the offset cannot be).
    static func appendStarts(_ starts: inout [UInt32], of positions: [UInt32], at offset: Int) {
        let old = starts.count
        starts.append(contentsOf: repeatElement(0, count: positions.count))
        let written = starts.withUnsafeMutableBufferPointer { starts in
            positions.withUnsafeBufferPointer {
                appendStarts(UnsafeMutableBufferPointer(rebasing: starts[old...]), of: $0, at: offset)
            }
        }
        starts.removeLast(positions.count - written)
    }

    /// ``appendStarts(_:of:at:)`` into a buffer with room for one start per position: returns how
    /// many it wrote.
    @inline(__always)
    static func appendStarts(
        _ starts: UnsafeMutableBufferPointer<UInt32>, of positions: UnsafeBufferPointer<UInt32>, at offset: Int
    ) -> Int {
        var count = 0
        for p in positions where Int(p) >= offset {
            starts[count] = p - UInt32(offset)
            count += 1
        }
        return count
    }

    /// Keeps the starts `s` (ascending) that have `s + offset` in `positions` (ascending): one
    /// merge, the kept ones moved to the front in order.
    static func keepStarts(_ starts: inout [UInt32], followedBy positions: [UInt32], at offset: Int) {
        let kept = starts.withUnsafeMutableBufferPointer { starts in
            positions.withUnsafeBufferPointer {
                keepStarts(starts, count: starts.count, followedBy: $0, at: offset)
            }
        }
        starts.removeLast(starts.count - kept)
    }

    /// ``keepStarts(_:followedBy:at:)`` on the first `count` starts of a buffer: returns how many
    /// it kept.
    @inline(__always)
    static func keepStarts(
        _ starts: UnsafeMutableBufferPointer<UInt32>, count: Int, followedBy positions: UnsafeBufferPointer<UInt32>,
        at offset: Int
    ) -> Int {
        let offset = UInt64(offset)
        var kept = 0
        var j = 0
        for i in 0..<count {
            let target = UInt64(starts[i]) + offset
            while j < positions.count && UInt64(positions[j]) < target { j += 1 }
            guard j < positions.count else { break }
            if UInt64(positions[j]) == target {
                starts[kept] = starts[i]
                kept += 1
            }
        }
        return kept
    }

    private func isExcluded(_ doc: UInt32) throws(IndexError) -> Bool {
        for clause in context.plan.excluded {
            guard clause.syllables.allSatisfy({ excludedScorers[$0] != nil }) else { continue }
            var all = true
            for s in clause.syllables {
                guard let scorer = excludedScorers[s] else { continue }
                try scorer.advance(to: doc)
                if scorer.doc != doc { all = false }
            }
            guard all else { continue }
            let occurs = try clause.syllables.withUnsafeBufferPointer { (syllables) throws(IndexError) in
                try phraseOccurs(syllables, of: excludedScorers, at: doc)
            }
            if occurs { return true }
        }
        return false
    }

    /// How many positions p of `first` have p + 1 in `second` and p + 2 in `third` (all three
    /// ascending): one merge of the three lists.
    static func inARowCount(_ first: [UInt32], _ second: [UInt32], _ third: [UInt32]) -> Int {
        // Through buffers: the loops' own tests keep the indices in range.
        first.withUnsafeBufferPointer { first in
            second.withUnsafeBufferPointer { second in
                third.withUnsafeBufferPointer { third in
                    var count = 0
                    var j = 0
                    var k = 0
                    for p in first {
                        let next = UInt64(p) + 1
                        while j < second.count && UInt64(second[j]) < next { j += 1 }
                        guard j < second.count else { break }
                        guard UInt64(second[j]) == next else { continue }
                        while k < third.count && UInt64(third[k]) < next + 1 { k += 1 }
                        guard k < third.count else { break }
                        if UInt64(third[k]) == next + 1 { count += 1 }
                    }
                    return count
                }
            }
        }
    }

    /// How many positions p of `first` have p + 1 in `second` (both ascending). The merge takes no
    /// branch on the positions: each comparison's outcome moves the indices as a number (a branch
    /// mispredicted about half the time); on a match only `first` moves on, so that a position
    /// repeated in it counts again.
    static func adjacentCount(_ first: [UInt32], _ second: [UInt32]) -> Int {
        // Through buffers: the loop's own tests keep the indices in range.
        first.withUnsafeBufferPointer { first in
            second.withUnsafeBufferPointer { second in
                var count = 0
                var i = 0
                var j = 0
                while i < first.count && j < second.count {
                    // Positions are below 2^32: the difference's sign bit says which is smaller.
                    let difference = (UInt64(first[i]) &+ 1) &- UInt64(second[j])
                    let equal = Int(bit: difference == 0)
                    let notAbove = Int(truncatingIfNeeded: difference >> 63) | equal
                    count &+= equal
                    i &+= notAbove
                    j &+= 1 &- notAbove
                }
                return count
            }
        }
    }

    private func termComponent(_ scorer: SyllableScorer, doc: UInt32, weighted: Double, score: Double)
        -> Explanation.Component
    {
        var details: [String] = []
        let syllable = context.plan.syllables[scorer.syllable]
        for i in scorer.fields.indices where scorer.fields[i].stream.doc == doc {
            let field = scorer.fields[i]
            details.append("\(field.field.name) tf=\(field.stream.freq) length=\(field.norms[doc])")
        }
        details.append("idf=\(Explanation.format(scorer.idf))")
        if let reading = syllable.restored {
            details.append(
                "reading=\(String(decoding: reading, as: UTF8.self)) p=\(Explanation.format(syllable.restoredProbability))"
                    + " other forms weigh \(Explanation.format(1 - context.parameters.readingWeight * syllable.restoredProbability))"
            )
        }
        details.append("tf~=\(Explanation.format(weighted))")
        return Explanation.Component(
            name: "term \(syllable.text)\(syllable.isPrefix ? "*" : "")", score: score,
            details: details.joined(separator: ", "))
    }
}

extension Int {
    /// 1 for true, 0 for false, without a branch.
    @inline(__always)
    fileprivate init(bit: Bool) { self = Int(unsafeBitCast(bit, to: UInt8.self)) }
}

/// How a segment evaluates a query of optional words alone (a disjunction) for its top-k.
package enum DisjunctionStrategy: Sendable, Equatable {
    /// By windows wherever the query allows it, of the size the segment's gets
    /// (``SegmentSearch``); else document at a time.
    case automatic
    /// Document at a time with MaxScore pruning.
    case maxScore
    /// MaxScore by windows of `window` documents, the essential syllables read term at a time,
    /// wherever the query allows it.
    case termAtATime(window: Int)
}
