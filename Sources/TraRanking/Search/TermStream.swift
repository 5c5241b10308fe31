import TraIndex

/// The postings of one or more terms read as one list: documents in order, frequencies summed
/// (a partly accented syllable or a prefix reads several terms).
struct TermStream {
    /// The first term's cursor, held apart from the others: most streams read one term, and a
    /// cursor in an array is reached through a uniqueness check (and retains) on every move.
    private var head: PostingsCursor
    /// The other terms' cursors (empty for a stream of one term).
    private var rest: [PostingsCursor]
    /// The current document, ``PostingsCursor/end`` when exhausted.
    private(set) var doc: UInt32 = PostingsCursor.end
    /// Its frequency (summed over the terms at ``doc``).
    private(set) var freq: UInt32 = 0
    /// Documents in the stream, at most (the sum of the terms' frequencies).
    let cost: Int
    /// Per cursor, the weight of its occurrences in ``weightedFreq`` (fuzzy candidates); nil: all 1.
    let weights: [Double]?

    /// A stream positioned on its first document, or with `start` on its first document from
    /// `start` on (the blocks before it are passed by their skip data, not decoded); `cursors`
    /// holds at least one, none of them moved yet.
    init(_ cursors: [PostingsCursor], cost: Int, weights: [Double]? = nil, from start: UInt32 = 0) throws(IndexError) {
        precondition(!cursors.isEmpty, "a term stream without terms")
        head = cursors[0]
        rest = Array(cursors.dropFirst())
        self.cost = cost
        self.weights = weights
        try head.begin(at: start)
        for i in rest.indices { try rest[i].begin(at: start) }
        settle()
    }

    @inline(__always)
    private mutating func settle() {
        if rest.isEmpty {
            doc = head.doc
            freq = head.freq
            return
        }
        var minimum = head.doc
        var total = head.freq
        for cursor in rest {
            if cursor.doc < minimum {
                minimum = cursor.doc
                total = cursor.freq
            } else if cursor.doc == minimum {
                total &+= cursor.freq
            }
        }
        doc = minimum
        freq = minimum == PostingsCursor.end ? 0 : total
    }

    /// When the stream reads one term and sits in a full block: the block's last document and the
    /// largest `freq / lengthNorm(length)` in it, which bounds every document from ``doc`` to
    /// that last one. nil otherwise.
    @inline(__always)
    mutating func blockBound(_ lengthNorm: (UInt32) -> Double) -> (lastDoc: UInt32, maximum: Double)? {
        guard rest.isEmpty, let block = head.blockBound({ Double($1) / lengthNorm($0) }) else {
            return nil
        }
        return (block.lastDoc, weights.map { $0[0] * block.maximum } ?? block.maximum)
    }

    /// The frequency at ``doc`` with each term weighted (``freq`` when unweighted). A term weighted
    /// below 1 (a fuzzy candidate farther than the query's best) counts once per document however
    /// often it occurs: its presence is the evidence, so a frequent near-miss cannot outrank the
    /// word itself by repetition.
    ///
    /// A mutating getter only so that a read through a pointer to the stream works in place: with
    /// a plain one, the scoring of a candidate (``SegmentSearch/score(_:threshold:explain:)``)
    /// copied the whole stream, 480 bytes and its arrays retained, for each of its syllables.
    @inline(__always)
    var weightedFreq: Double {
        mutating get { weights == nil || doc == PostingsCursor.end ? Double(freq) : weightedSum() }
    }

    /// ``weightedFreq`` for a stream with weights.
    private func weightedSum() -> Double {
        guard let weights else { return Double(freq) }
        var total = 0.0
        if head.doc == doc { total += weights[0] < 1 ? weights[0] : Double(head.freq) }
        for i in rest.indices where rest[i].doc == doc {
            total += weights[i + 1] < 1 ? weights[i + 1] : Double(rest[i].freq)
        }
        return total
    }

    /// The positions at ``doc`` of a stream of one term into `result` (read once per document:
    /// see ``PostingsCursor/positions(into:)``).
    @inline(__always)
    mutating func positions(into result: inout [UInt32]) throws(IndexError) {
        try head.positions(into: &result)
    }

    /// For a stream of one unweighted term in a full block: moves past the documents from ``doc``
    /// on, before `stop`, that `test` rejects (``OneFieldRejection``), within the block. Stops on
    /// the first one it does not reject, the first at or after `stop`, or the block's last
    /// document. Returns whether it moved.
    @inline(__always)
    mutating func skipInBlock(before stop: UInt32, rejecting test: OneFieldRejection) -> Bool {
        guard rest.isEmpty, weights == nil else { return false }
        let steps = head.scanBlock { docs, freqs in
            var i = 0
            // The last document stays: the cursor cannot leave its block here.
            while i + 1 < docs.count && docs[i] < stop && test.rejects(docs[i], freq: freqs[i]) { i += 1 }
            return i
        }
        guard steps > 0 else { return false }
        head.moveInBlock(by: steps)
        settle()
        return true
    }

    /// Term at a time, for the documents from ``doc`` up to `end` (excluded): adds each one's
    /// frequency into `frequencies[doc - base]` and sets bit `doc - base` of `seen`, then moves
    /// past them, each term's cursor a decoded block at a time. The sums are of integers, with
    /// the same wrapping as ``freq``'s, so they equal it whatever the order of the terms. Only for
    /// an unweighted stream (``weights`` nil), whose ``weightedFreq`` is that frequency.
    mutating func collect(
        before end: UInt32, base: UInt32, frequencies: UnsafeMutablePointer<UInt32>, seen: UnsafeMutablePointer<UInt64>
    ) throws(IndexError) {
        precondition(weights == nil, "a weighted stream collected term at a time")
        let add = { (docs: UnsafeBufferPointer<UInt32>, freqs: UnsafeBufferPointer<UInt32>) in
            for k in docs.indices {
                let offset = Int(docs[k] &- base)
                frequencies[offset] &+= freqs[k]
                seen[offset >> 6] |= 1 << UInt64(offset & 63)
            }
        }
        try head.forEachRun(before: end, add)
        for i in rest.indices { try rest[i].forEachRun(before: end, add) }
        settle()
    }

    /// ``collect(before:base:frequencies:seen:)`` for a weighted stream: adds each document's
    /// ``weightedFreq`` into `sums[doc - base]`. Each term's part is added term by term, in the
    /// order ``weightedFreq`` adds them (the head, then the others in order), onto a sum that
    /// starts at 0 for each window: the same additions in the same order, so the same bits.
    mutating func collectWeighted(
        before end: UInt32, base: UInt32, sums: UnsafeMutablePointer<Double>, seen: UnsafeMutablePointer<UInt64>
    ) throws(IndexError) {
        guard let weights else {
            preconditionFailure("an unweighted stream collected with weights")
        }
        func add(_ weight: Double) -> (UnsafeBufferPointer<UInt32>, UnsafeBufferPointer<UInt32>) -> Void {
            { docs, freqs in
                for k in docs.indices {
                    let offset = Int(docs[k] &- base)
                    sums[offset] += weight < 1 ? weight : Double(freqs[k])
                    seen[offset >> 6] |= 1 << UInt64(offset & 63)
                }
            }
        }
        try head.forEachRun(before: end, add(weights[0]))
        for i in rest.indices { try rest[i].forEachRun(before: end, add(weights[i + 1])) }
        settle()
    }

    /// Whether the stream reads one term (documents then come once each from one cursor).
    var readsOneTerm: Bool { rest.isEmpty }

    /// For a stream of one term (``readsOneTerm``): hands `body` its documents from ``doc`` up to
    /// `end` (excluded) with their frequencies, a decoded block's run at a time, and moves past
    /// them (``PostingsCursor/forEachRun(before:_:)``).
    @inline(__always)
    mutating func forEachRun(
        before end: UInt32,
        _ body: (_ docs: UnsafeBufferPointer<UInt32>, _ freqs: UnsafeBufferPointer<UInt32>) -> Void
    ) throws(IndexError) {
        precondition(rest.isEmpty, "a stream of several terms read by runs")
        try head.forEachRun(before: end, body)
        settle()
    }

    /// Moves past the current document.
    @inline(__always)
    mutating func next() throws(IndexError) {
        let current = doc
        guard current != PostingsCursor.end else { return }
        if head.doc == current { _ = try head.next() }
        if !rest.isEmpty {
            for i in rest.indices where rest[i].doc == current { _ = try rest[i].next() }
        }
        settle()
    }

    /// Moves to the first document `>= target`.
    @inline(__always)
    mutating func advance(to target: UInt32) throws(IndexError) {
        guard doc < target else { return }
        if head.doc < target { _ = try head.advance(to: target) }
        if !rest.isEmpty {
            for i in rest.indices where rest[i].doc < target { _ = try rest[i].advance(to: target) }
        }
        settle()
    }
}

/// Opens the cursors of one segment for a query: through the query's block tables
/// (``TermLookups/skips(_:segment:)``) when ``tables`` is true.
struct PostingsOpener {
    let lookups: TermLookups
    let segment: Int
    let tables: Bool

    func open(_ info: TermInfo) throws(IndexError) -> PostingsCursor {
        try lookups.postings(info, segment: segment, tables: tables)
    }
}

extension PostingsCursor {
    /// Moves a cursor that has not moved yet to its first document, or with `start` to its first
    /// document from `start` on (the blocks before it passed by their skip data, not decoded).
    @inline(__always)
    mutating func begin(at start: UInt32) throws(IndexError) {
        _ = try start == 0 ? next() : advance(to: start)
    }
}

/// Positions of a syllable in one field, read from its variant terms' cursors on demand.
///
/// The terms are read most frequent first, and each cursor is opened when a document first needs
/// it. Given the number of positions the document holds (``positions(in:total:)``), the reading
/// stops once that many are gathered: the other variants are not in the document, and their
/// cursors are neither opened nor moved there (an unaccented syllable has many variants, most of
/// them absent from a given document).
struct PositionSource {
    private let opener: PostingsOpener
    /// The terms it reads positions from.
    let infos: [TermInfo]
    /// The index in ``infos`` of a term whose positions are also kept apart.
    let marked: Int?
    /// Indices into ``infos`` by descending document frequency (made by the first read: most
    /// sources are never read), and the cursors of the first terms in that order: those a read
    /// has reached so far.
    private var order: [Int]? = nil
    private var cursors: [PostingsCursor] = []
    private var cachedDoc = PostingsCursor.end
    private var cached: [UInt32] = []
    private var cachedMarked: [UInt32] = []
    /// Scratch for ``mergeLastRun(_:from:scratch:)``, kept from read to read.
    private var scratch: [UInt32] = []

    init(opener: PostingsOpener, infos: [TermInfo], marked: Int? = nil) {
        self.opener = opener
        self.infos = infos
        self.marked = marked
    }

    /// The positions in `doc` of the ``marked`` term alone, ascending (empty without one).
    /// `total` as for ``positions(in:total:)``.
    mutating func markedPositions(in doc: UInt32, total: Int? = nil) throws(IndexError) -> [UInt32] {
        _ = try positions(in: doc, total: total)
        return cachedMarked
    }

    var isEmpty: Bool { infos.isEmpty }

    /// The positions in `doc`, ascending. Calls must come with non-decreasing documents.
    ///
    /// - Parameter total: when known, the number of positions the terms hold in `doc` (the
    ///   frequency of postings whose occurrences are exactly these terms'): the reading stops
    ///   when it has them all.
    mutating func positions(in doc: UInt32, total: Int? = nil) throws(IndexError) -> [UInt32] {
        if doc == cachedDoc { return cached }
        // Into the previous document's storage (copied on write only if a caller still holds it).
        var result = cached
        var marked = cachedMarked
        cachedDoc = PostingsCursor.end
        cached = []
        cachedMarked = []
        result.removeAll(keepingCapacity: true)
        marked.removeAll(keepingCapacity: true)
        // Equal frequencies keep their order (a stable sort), as a source made again orders them.
        let order = self.order ?? infos.indices.sorted { (infos[$0].docFreq, $1) > (infos[$1].docFreq, $0) }
        self.order = order
        // Taken out while they move, so that the cursors' buffers are not shared (nor copied).
        var open = cursors
        cursors = []
        var scratch = self.scratch
        self.scratch = []
        let wanted = total ?? Int.max
        var j = 0
        while j < order.count && result.count < wanted {
            let i = order[j]
            if j == open.count {
                var cursor = try opener.open(infos[i])
                try cursor.begin(at: doc)
                open.append(cursor)
            } else if open[j].doc < doc {
                _ = try open[j].advance(to: doc)
            }
            if open[j].doc == doc {
                let start = result.count
                try open[j].appendPositions(to: &result)
                if i == self.marked { marked.append(contentsOf: result[start...]) }
                if start > 0 && start < result.count && result[start - 1] > result[start] {
                    Self.mergeLastRun(&result, from: start, scratch: &scratch)
                }
            }
            j += 1
        }
        cursors = open
        self.scratch = scratch
        cachedDoc = doc
        cached = result
        cachedMarked = marked
        return result
    }

    /// Merges `values[start...]` into `values[..<start]`, both ascending, so that all of `values`
    /// ascends: from the back, through `scratch`, which holds the last run meanwhile. Each
    /// variant's positions are merged as they come, rather than the whole sorted at the end (a
    /// sort that allocated its buffer at every read): a variant moves only the positions after
    /// its first.
    static func mergeLastRun(_ values: inout [UInt32], from start: Int, scratch: inout [UInt32]) {
        precondition(start >= 0 && start <= values.count, "run start out of range")
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: values[start...])
        values.withUnsafeMutableBufferPointer { values in
            scratch.withUnsafeBufferPointer { run in
                var i = start - 1
                var j = run.count - 1
                var k = values.count - 1
                while j >= 0 {
                    if i >= 0 && values[i] > run[j] {
                        values[k] = values[i]
                        i -= 1
                    } else {
                        values[k] = run[j]
                        j -= 1
                    }
                    k -= 1
                }
            }
        }
    }
}
