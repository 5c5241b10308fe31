import TraIndex

/// One query syllable's postings in one field of one segment. A class, so that the cursors it
/// holds are never copied (a copy would make the next block decode copy their buffers).
final class FieldScorer {
    let field: IndexedField
    /// Where ``stream`` lives: outside the object, so that ``SyllableScorer`` moves it through a
    /// pointer rather than through the object, which retained it (and the array of fields)
    /// around every move. Allocated and freed with the object.
    let streamStorage: UnsafeMutablePointer<TermStream>
    var stream: TermStream {
        unsafeAddress { UnsafePointer(streamStorage) }
        unsafeMutableAddress { streamStorage }
    }
    /// The terms whose postings ``stream`` reads (for their skip data).
    let terms: [TermInfo]
    /// The cursor of the exactly-written variant (for the exact-accent boost), when the stream is
    /// wider: outside the object, as ``streamStorage``, so that the per-document code moves it
    /// through the pointer (``SyllableCore/HotField/exact``), where a call through the object
    /// retained it and checked exclusive access on every document. Allocated and freed with the
    /// object.
    let exactStorage: UnsafeMutablePointer<PostingsCursor>?
    /// The term the exact cursor reads.
    private let exactInfo: TermInfo?
    let scoringIsExact: Bool
    /// Occurrences can be exact (``scoringIsExact``, or there is an exact cursor): the bounds take
    /// the boost.
    let mayBeExact: Bool
    /// The weight of an occurrence of another form than ``exact`` (1, or for a syllable whose
    /// ``exact`` is the form a reading restored, `1 - readingWeight × probability`), at most 1:
    /// the bounds, which assume every occurrence exact, stay valid.
    let otherWeight: Double
    var positions: PositionSource
    /// The positions are those of ``stream``'s one term: read from its cursor, which is at the
    /// document already, instead of moving a second cursor over the same postings.
    let positionsFromStream: Bool
    /// ``positions``' terms hold exactly the occurrences ``stream`` counts (as many in all, and
    /// they are among them: the folded term and its variants, or the same terms), so a
    /// document's frequency in the stream is how many positions it has there, and ``positions``
    /// can stop reading variants once it has them all (``PositionSource/positions(in:total:)``).
    let positionsCountedByStream: Bool
    private var streamPositionsDoc = PostingsCursor.end
    private var streamPositions: [UInt32] = []
    /// The positions of the form a reading restored alone (nil when every occurrence is that
    /// form, there is no reading, or ``positions`` keeps them apart as its ``PositionSource/marked``
    /// term): proximity weighs pairs of other forms less.
    var readingPositions: PositionSource?
    let norms: Norms
    /// Title or body weight.
    let weight: Double
    /// The field's length normalization (its average length and b).
    let lengthNorm: LengthNormalization

    init(
        field: IndexedField, stream: TermStream, terms: [TermInfo], exact: (PostingsCursor, TermInfo)?,
        scoringIsExact: Bool, otherWeight: Double, positions: PositionSource, readingPositions: PositionSource?,
        norms: Norms, weight: Double, lengthNorm: LengthNormalization
    ) {
        self.otherWeight = min(max(otherWeight, 0), 1)
        self.field = field
        streamStorage = UnsafeMutablePointer<TermStream>.allocate(capacity: 1)
        streamStorage.initialize(to: stream)
        self.terms = terms
        if let exact {
            exactStorage = .allocate(capacity: 1)
            exactStorage?.initialize(to: exact.0)
        } else {
            exactStorage = nil
        }
        exactInfo = exact?.1
        self.scoringIsExact = scoringIsExact
        mayBeExact = scoringIsExact || exact != nil
        self.positions = positions
        positionsFromStream =
            positions.infos.count == 1 && terms == positions.infos && stream.weights == nil
            && terms[0].positionsOffset != nil
        positionsCountedByStream =
            !positionsFromStream && positions.infos.count > 1 && stream.weights == nil
            && positions.infos.reduce(0) { $0 + $1.totalFreq } == terms.reduce(0) { $0 + $1.totalFreq }
        self.readingPositions = readingPositions
        self.norms = norms
        self.weight = weight
        self.lengthNorm = lengthNorm
    }

    deinit {
        streamStorage.deinitialize(count: 1)
        streamStorage.deallocate()
        exactStorage?.deinitialize(count: 1)
        exactStorage?.deallocate()
    }

    /// Opens the field's cursors again, at the segment's start or at `start`, as a scorer made
    /// anew would be: for the rescoring, which reuses the first stage's scorers.
    func rewind(opener: PostingsOpener, from start: UInt32) throws(IndexError) {
        var cursors: [PostingsCursor] = []
        cursors.reserveCapacity(terms.count)
        for info in terms { cursors.append(try opener.open(info)) }
        streamStorage.pointee = try TermStream(cursors, cost: stream.cost, weights: stream.weights, from: start)
        if let exactInfo, let exactStorage {
            var cursor = try opener.open(exactInfo)
            try cursor.begin(at: start)
            exactStorage.pointee = cursor
        }
        positions = PositionSource(opener: opener, infos: positions.infos, marked: positions.marked)
        readingPositions = readingPositions.map { PositionSource(opener: opener, infos: $0.infos, marked: $0.marked) }
        streamPositionsDoc = PostingsCursor.end
    }

    /// The positions in `doc`, where ``stream`` is, ascending.
    @inline(__always)
    func positions(at doc: UInt32) throws(IndexError) -> [UInt32] {
        guard positionsFromStream else { return try positions.positions(in: doc, total: positionCount(at: doc)) }
        if streamPositionsDoc != doc {
            // Into the same storage document after document, once the previous one's
            // positions are no longer held.
            streamPositionsDoc = PostingsCursor.end
            try stream.positions(into: &streamPositions)
            streamPositionsDoc = doc
        }
        return streamPositions
    }

    /// The positions in `doc` of ``positions``' marked term (see ``PositionSource/marked``).
    func markedPositions(at doc: UInt32) throws(IndexError) -> [UInt32] {
        try positions.markedPositions(in: doc, total: positionCount(at: doc))
    }

    /// How many positions ``positions`` holds in `doc`, when ``stream`` tells (it is at `doc`).
    @inline(__always)
    private func positionCount(at doc: UInt32) -> Int? {
        positionsCountedByStream && stream.doc == doc ? Int(stream.freq) : nil
    }
}

/// One query syllable in one segment: its fields' postings, idf and score bound. What the
/// per-document code reads and moves lives in a ``SyllableCore`` outside the object (``core``):
/// MaxScore's loops reach it through that pointer, where a call on the object, read from an
/// array, retained it around the call.
final class SyllableScorer {
    let syllable: Int
    let fields: [FieldScorer]
    /// Allocated and freed with the object; ``fields`` keeps alive what it points to.
    let core: UnsafeMutablePointer<SyllableCore>

    /// Where each indexed field is in ``fields`` (-1: absent), for ``slot(of:)``.
    private let titleSlot: Int
    private let bodySlot: Int

    init(syllable: Int, fields: [FieldScorer], idf: Double) {
        self.syllable = syllable
        self.fields = fields
        let hot = UnsafeMutableBufferPointer<SyllableCore.HotField>.allocate(capacity: fields.count)
        _ = hot.initialize(
            from: fields.lazy.map {
                SyllableCore.HotField(
                    stream: $0.streamStorage, norms: $0.norms, lengthNorm: $0.lengthNorm, weight: $0.weight,
                    mayBeExact: $0.mayBeExact, scoringIsExact: $0.scoringIsExact,
                    otherWeight: $0.otherWeight, exact: $0.exactStorage)
            })
        core = .allocate(capacity: 1)
        core.initialize(to: SyllableCore(hot: hot, idf: idf))
        var titleSlot = -1
        var bodySlot = -1
        for (i, field) in fields.enumerated() {
            switch field.field {
            case .title: titleSlot = i
            case .body: bodySlot = i
            }
        }
        self.titleSlot = titleSlot
        self.bodySlot = bodySlot
        core.pointee.settle()
    }

    /// Back to the state of a scorer made anew, its cursors at the segment's start or at `start`
    /// (``FieldScorer/rewind(opener:from:)``), no bound computed.
    func rewind(opener: PostingsOpener, from start: UInt32) throws(IndexError) {
        for field in fields { try field.rewind(opener: opener, from: start) }
        core.pointee = SyllableCore(hot: core.pointee.hot, idf: core.pointee.idf)
        core.pointee.settle()
    }

    deinit {
        core.pointee.hot.deallocate()
        core.deinitialize(count: 1)
        core.deallocate()
    }

    /// The index in ``fields`` of `field`, nil when the syllable has no postings there. A switch,
    /// not a search with `==`: the enum's equality is a call through its conformance from outside
    /// its module, and the proximity code asks for every pair of every document scored.
    @inline(__always)
    func slot(of field: IndexedField) -> Int? {
        let slot: Int
        switch field {
        case .title: slot = titleSlot
        case .body: slot = bodySlot
        }
        return slot < 0 ? nil : slot
    }

    var idf: Double { core.pointee.idf }
    /// No document of the segment gets more than this from the syllable's BM25F part.
    var bound: Double {
        get { core.pointee.bound }
        set { core.pointee.bound = newValue }
    }
    /// The proximity bounds of the pairs the syllable is part of.
    var share: Double {
        get { core.pointee.share }
        set { core.pointee.share = newValue }
    }
    var doc: UInt32 { core.pointee.doc }

    /// Documents it may visit (for choosing the cheapest list to lead a conjunction).
    var cost: Int { fields.reduce(0) { $0 + $1.stream.cost } }

    @inline(__always)
    func next() throws(IndexError) { try core.pointee.next() }

    @inline(__always)
    func advance(to target: UInt32) throws(IndexError) { try core.pointee.advance(to: target) }

    /// Bounds the syllable's BM25F score in this segment: from each term's own frontier (format 6, a
    /// term with a full block), else from its block headers' frontiers and its tail.
    func computeBound(opener: PostingsOpener, parameters: ScoringParameters) throws(IndexError) {
        var weighted = 0.0
        var fieldMaxima: [Double] = []
        var weightedMaxima: [Double] = []
        for field in fields {
            var fieldMaximum = 0.0
            var weightedMaximum = 0.0
            for (t, info) in field.terms.enumerated() {
                // Kept from query to query by the lookups (the same for every query with this
                // normalization).
                let termMaximum = try opener.lookups.maximum(
                    info, segment: opener.segment, normalization: field.lengthNorm
                ) { () throws(IndexError) in
                    var cursor = try opener.open(info)
                    let norms = field.norms
                    // A term with a full block has a frontier of its own (format 6): its bound
                    // without reading every block header and the tail.
                    if let maximum = try cursor.termMaximum({ length, freq in
                        Double(freq) / field.lengthNorm(length)
                    }) {
                        return maximum
                    }
                    var termMaximum = 0.0
                    try cursor.scanBounds(
                        block: { length, freq in
                            Double(freq) / field.lengthNorm(length)
                        },
                        blockMaximum: { termMaximum = max(termMaximum, $0) },
                        tail: { doc, freq in
                            let norm = field.lengthNorm(norms[doc])
                            termMaximum = max(termMaximum, Double(freq) / norm)
                        })
                    return termMaximum
                }
                fieldMaximum += termMaximum
                weightedMaximum += (field.stream.weights?[t] ?? 1) * termMaximum
            }
            fieldMaxima.append(fieldMaximum)
            weightedMaxima.append(weightedMaximum)
            let boost = field.mayBeExact ? 1 + parameters.exactBoost : 1
            weighted += field.weight * weightedMaximum * boost
        }
        core.pointee.k1 = parameters.k1
        core.pointee.exactBoost = parameters.exactBoost
        core.pointee.fieldMaxima = fieldMaxima
        core.pointee.weightedMaxima = weightedMaxima
        // A hair of slack so that rounding never makes the bound smaller than a real score.
        core.pointee.bound = idf * BM25F.saturate(weighted, k1: parameters.k1) * (1 + 1e-9) + 1e-12
    }

    /// Takes an infinite bound for the whole lists instead of reading their skip data (the block
    /// bounds still prune): for a query of one syllable, where only the block bounds matter.
    func assumeUnboundedList(parameters: ScoringParameters) {
        core.pointee.k1 = parameters.k1
        core.pointee.exactBoost = parameters.exactBoost
        core.pointee.fieldMaxima = fields.map { _ in .infinity }
        core.pointee.weightedMaxima = core.pointee.fieldMaxima
        core.pointee.bound = .infinity
    }

    /// The largest `freq / lengthNorm` of any document in `field` (0 when the syllable is not in
    /// that field here); known once the bound is computed.
    func maximum(in field: IndexedField) -> (weight: Double, value: Double)? {
        guard let i = slot(of: field), i < core.pointee.fieldMaxima.count else { return nil }
        return (fields[i].weight, core.pointee.fieldMaxima[i])
    }

    /// Whether the syllable occurs in `field` of `doc`, where its cursors are.
    @inline(__always)
    func isPresent(_ field: IndexedField, at doc: UInt32) -> Bool {
        guard let i = slot(of: field) else { return false }
        return fields[i].stream.doc == doc
    }

    /// How often the syllable occurs in `field` of `doc`, where its cursors are (0 when absent).
    @inline(__always)
    func frequency(_ field: IndexedField, at doc: UInt32) -> UInt32 {
        guard let i = slot(of: field), fields[i].stream.doc == doc else { return 0 }
        return fields[i].stream.freq
    }

    /// The positions of the syllable in `field` at `doc` (empty when absent there).
    func positions(_ field: IndexedField, at doc: UInt32) throws(IndexError) -> [UInt32] {
        guard let i = slot(of: field), fields[i].stream.doc == doc else { return [] }
        return try fields[i].positions(at: doc)
    }

    /// The positions of the restored reading's form in `field` at `doc` (nil when the syllable has
    /// no reading there, or every occurrence is of that form).
    func readingPositions(_ field: IndexedField, at doc: UInt32) throws(IndexError) -> [UInt32]? {
        guard let i = slot(of: field), fields[i].stream.doc == doc,
            fields[i].readingPositions != nil || fields[i].positions.marked != nil
        else { return nil }
        if fields[i].positions.marked != nil { return try fields[i].markedPositions(at: doc) }
        return try fields[i].readingPositions?.positions(in: doc)
    }

    /// The weight of an occurrence of another form than the reading in `field` (1 without reading).
    func otherWeight(_ field: IndexedField) -> Double {
        slot(of: field).map { fields[$0].otherWeight } ?? 1
    }
}

/// The moving part of a ``SyllableScorer``: its current document, its bounds, and what the
/// per-document code reads of each field (``hot``, plain values and pointers), so that a loop
/// holding pointers to cores moves and scores them without reference counting. Its scoring
/// (``weightedFrequency(at:exactBoost:)``, ``cannotExceed(_:at:)``, ``skipNotExceeding(_:before:)``,
/// ``blockBound(from:)``) is called on the core alone.
struct SyllableCore {
    /// Per field, in the order of ``SyllableScorer/fields``: plain values and a pointer to the
    /// field's stream (``FieldScorer/streamStorage``). Freed by the scorer.
    let hot: UnsafeMutableBufferPointer<HotField>

    struct HotField {
        let stream: UnsafeMutablePointer<TermStream>
        let norms: Norms
        let lengthNorm: LengthNormalization
        let weight: Double
        let mayBeExact: Bool
        let scoringIsExact: Bool
        let otherWeight: Double
        /// The field's exact-variant cursor (``FieldScorer/exactStorage``), if any.
        let exact: UnsafeMutablePointer<PostingsCursor>?

        /// The field's part of the BM25F pseudo-frequency at `doc`, for `tf` occurrences of which
        /// `exactTF` are written exactly as typed: `weight (tf + boost · exact − (1 − w)(tf − exact)) /
        /// lengthNorm`, occurrences of other forms weighing w (``otherWeight``). The one expression
        /// of both evaluations (``SyllableCore/weightedFrequency(at:exactBoost:)`` and the term-at-a-
        /// time ``SegmentSearch``), so that their scores are bit-identical.
        @inline(__always)
        func value(tf: Double, exactTF: Double, exactBoost: Double, at doc: UInt32) -> Double {
            let norm = lengthNorm(norms[doc])
            let discount = (1 - otherWeight) * (tf - exactTF)
            return weight * (tf + exactBoost * exactTF - discount) / norm
        }
    }

    let idf: Double
    /// No document of the segment gets more than this from the syllable's BM25F part.
    var bound: Double = .infinity
    /// The proximity bounds of the pairs the syllable is part of.
    var share: Double = 0
    /// Per field: the largest `freq / lengthNorm` of any document (from
    /// ``SyllableScorer/computeBound(opener:parameters:)``).
    var fieldMaxima: [Double] = []
    /// Per field: the same with each term's occurrences weighted (fuzzy candidates), the BM25F bound.
    var weightedMaxima: [Double] = []
    var k1 = 0.0
    var exactBoost = 0.0
    private(set) var doc: UInt32 = PostingsCursor.end
    /// The last document ``weightedFrequency(at:exactBoost:)`` computed, and its value.
    private var weightedDoc = PostingsCursor.end
    private var cachedWeighted = 0.0

    init(hot: UnsafeMutableBufferPointer<HotField>, idf: Double) {
        self.hot = hot
        self.idf = idf
    }

    @inline(__always)
    mutating func settle() {
        var minimum = PostingsCursor.end
        for field in hot where field.stream.pointee.doc < minimum { minimum = field.stream.pointee.doc }
        doc = minimum
    }

    @inline(__always)
    mutating func next() throws(IndexError) {
        let current = doc
        for field in hot where field.stream.pointee.doc == current { try field.stream.pointee.next() }
        settle()
    }

    @inline(__always)
    mutating func advance(to target: UInt32) throws(IndexError) {
        guard doc < target else { return }
        for field in hot where field.stream.pointee.doc < target { try field.stream.pointee.advance(to: target) }
        settle()
    }

    /// The pseudo-frequency of BM25F at `doc` (0 when absent); the scorer must be at `doc`.
    @inline(__always)
    mutating func weightedFrequency(at doc: UInt32, exactBoost: Double) throws(IndexError) -> Double {
        guard self.doc == doc else { return 0 }
        // MaxScore asks for a candidate's value before scoring it in full: compute it once.
        if doc == weightedDoc { return cachedWeighted }
        var total = 0.0
        for field in hot where field.stream.pointee.doc == doc {
            let tf = field.stream.pointee.weightedFreq
            var exactTF = 0.0
            if field.scoringIsExact {
                exactTF = tf
            } else if let exact = field.exact {
                exactTF = Double(try exact.pointee.frequency(at: doc))
            }
            total += field.value(tf: tf, exactTF: exactTF, exactBoost: exactBoost, at: doc)
        }
        weightedDoc = doc
        cachedWeighted = total
        return total
    }

    /// Whether the syllable's BM25F score at `doc` (where it is) stays at most `threshold`, decided
    /// without a division: every occurrence counted exact bounds each field's weighted frequency
    /// `a / n` from above, and `idf · w (k1 + 1) / (k1 + w) <= t` is `idf (k1 + 1) S <= t (k1 P + S)`
    /// for `w = S / P`. A margin keeps the answer on the safe side of rounding: true only where the
    /// exact computation would also drop the document (false near the threshold, and for a
    /// threshold near 0). The bound parameters must be set
    /// (``SyllableScorer/computeBound(opener:parameters:)`` or
    /// ``SyllableScorer/assumeUnboundedList(parameters:)``).
    /// Mutating, as ``blockBound(from:)``, only so that a call through a pointer works in place: a
    /// non-mutating one copied the core, arrays retained.
    @inline(__always)
    mutating func cannotExceed(_ threshold: Double, at doc: UInt32) -> Bool {
        guard threshold > 1e-3 else { return false }
        var s = 0.0
        var p = 1.0
        for field in hot where field.stream.pointee.doc == doc {
            let boost = field.mayBeExact ? 1 + exactBoost : 1
            let a = field.weight * field.stream.pointee.weightedFreq * boost
            let n = field.lengthNorm(field.norms[doc])
            s = s * n + a * p
            p *= n
        }
        return Self.staysAtMost(threshold, weighted: s, over: p, idf: idf, k1: k1)
    }

    /// The last step of ``cannotExceed(_:at:)``, shared with ``skipNotExceeding(_:before:)``: whether
    /// `idf · w (k1 + 1) / (k1 + w)` for `w = s / p` stays at most `threshold`, with the margin,
    /// without a division (false when `s` or `p` is not a finite positive value's worth).
    @inline(__always)
    fileprivate static func staysAtMost(
        _ threshold: Double, weighted s: Double, over p: Double, idf: Double, k1: Double
    ) -> Bool {
        guard p > 0, p.isFinite, s.isFinite else { return false }
        return idf * (k1 + 1) * s <= threshold * (1 - 1e-6) * (k1 * p + s)
    }

    /// Moves past documents from ``doc`` on that hold the syllable in one field only and that
    /// ``cannotExceed(_:at:)`` would reject, by the same arithmetic, reading that field's decoded
    /// block in a loop (a query of one syllable spends most of its time rejecting documents).
    /// Stops within the block, before another field's next document and before `limit` (the next
    /// document of another syllable that may hold candidates), at the first document it does not
    /// reject. Returns whether it moved.
    @inline(__always)
    mutating func skipNotExceeding(_ threshold: Double, before limit: UInt32 = PostingsCursor.end) -> Bool {
        guard threshold > 1e-3 else { return false }
        var only = -1
        var stop = limit
        for i in hot.indices {
            let next = hot[i].stream.pointee.doc
            if next == doc {
                guard only < 0 else { return false }
                only = i
            } else if next < stop {
                stop = next
            }
        }
        guard only >= 0 else { return false }
        let field = hot[only]
        let test = OneFieldRejection(
            threshold: threshold, weight: field.weight, boost: field.mayBeExact ? 1 + exactBoost : 1,
            norms: field.norms, lengthNorm: field.lengthNorm, idf: idf, k1: k1)
        let moved = field.stream.pointee.skipInBlock(before: stop, rejecting: test)
        if moved { settle() }
        return moved
    }

    /// A bound of the syllable's score (proximity share included) for every document from `doc`
    /// to `upTo`, from the blocks its cursors are in: block-max pruning skips the range when even
    /// that cannot reach the k-th score. A field whose next document comes after `doc` and that has
    /// no block bound (a short list: its tail) contributes nothing before that next document.
    mutating func blockBound(from doc: UInt32) -> (bound: Double, upTo: UInt32) {
        var weighted = 0.0
        var upTo = PostingsCursor.end
        for i in hot.indices {
            let field = hot[i]
            let boost = field.mayBeExact ? 1 + exactBoost : 1
            let next = field.stream.pointee.doc
            if next == PostingsCursor.end { continue }
            let lengthNorm = field.lengthNorm
            if let block = field.stream.pointee.blockBound({ lengthNorm($0) }) {
                weighted += field.weight * block.maximum * boost
                upTo = min(upTo, block.lastDoc)
            } else if next > doc {
                upTo = min(upTo, next - 1)
            } else {
                weighted += field.weight * weightedMaxima[i] * boost
            }
        }
        return (idf * BM25F.saturate(weighted, k1: k1) * (1 + 1e-9) + 1e-12 + (weighted > 0 ? share : 0), upTo)
    }
}

/// ``SyllableCore/cannotExceed(_:at:)`` for a document that holds the syllable in one field
/// only, as a value rather than a closure, so that the loop over a decoded block
/// (``TermStream/skipInBlock(before:rejecting:)``) calls it directly.
struct OneFieldRejection {
    let threshold: Double
    let weight: Double
    /// The exact-match boost (1 + exactBoost when the field's terms may be exact, else 1).
    let boost: Double
    let norms: Norms
    let lengthNorm: LengthNormalization
    let idf: Double
    let k1: Double

    /// Whether the document cannot score above the threshold (with one field: s = a, p = n).
    @inline(__always)
    func rejects(_ doc: UInt32, freq: UInt32) -> Bool {
        SyllableCore.staysAtMost(
            threshold, weighted: weight * Double(freq) * boost, over: lengthNorm(norms[doc]), idf: idf, k1: k1)
    }
}
