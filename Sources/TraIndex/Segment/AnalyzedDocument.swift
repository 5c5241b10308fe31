/// The indexed fields of a segment. Terms carry the field number as their first byte.
package enum IndexedField: UInt8, CaseIterable, Sendable {
    case title = 0
    case body = 1

    package var name: String {
        switch self {
        case .title: return "title"
        case .body: return "body"
        }
    }
}

/// One field of a document after analysis, as the index takes it: its distinct terms, each once,
/// and for every token its position and the number of its term, laid out so the index copies
/// nothing:
///
///     termBytes[term.start..<term.end]        the variant term: field, folded key, 0x00, accented key
///     termBytes[term.start..<term.foldedEnd]  its prefix, the folded term: field, folded key
///
/// The terms are interned where the field was analyzed (on an analysis thread), with the hash of
/// each variant term, so adding the field to the index costs one hash-table probe per distinct
/// term, not per token; a token takes 8 bytes. Build one with ``Builder``. The index does not
/// know how the keys were made (see IndexFormat.md, "Terms"), but keys hold no 0x00 byte: it
/// ends the folded key in a variant term, and a variant term never equals a folded term.
package struct AnalyzedField: Sendable {
    /// A distinct variant term of the field.
    package struct Term: Sendable {
        package var start: UInt32
        package var foldedEnd: UInt32
        package var end: UInt32
        /// ``TermTable/hash(field:folded:accented:)`` of the variant term's parts.
        package var hash: UInt64

        /// Whether the index keeps the term: its accented key (after the 0x00) is at most
        /// ``SegmentWriter/maximumKeyLength`` bytes.
        @inline(__always)
        package var isIndexed: Bool { Int(end) - Int(foldedEnd) - 1 <= SegmentWriter.maximumKeyLength }
    }

    /// A token: its position and its term, an index into ``terms``.
    package struct Token: Sendable {
        package var position: UInt32
        package var term: UInt32
    }

    package var field: IndexedField
    package var termBytes: [UInt8]
    /// The distinct variant terms, in the order of their first token.
    package var terms: [Term]
    package var tokens: [Token]
    /// The field length for ranking (the number of tokens).
    package var length: UInt32
    /// The ``PairKey`` of each pair of consecutive tokens (positions p and p + 1) whose terms are
    /// both indexed (accented keys of at most ``SegmentWriter/maximumKeyLength`` bytes), in token
    /// order: what the segment's ``PairCounter`` counts, hashed here on the analysis thread.
    package var pairKeys: [UInt32]
    /// Per term, once ``encodePostings()`` has run (empty before): its number of tokens, and
    /// the end in ``postingsBytes`` of its frequency and positions as the postings code them
    /// (IndexFormat.md, "Postings": the frequency, then each position's distance from the
    /// previous less 1, in varints), nothing for a term not indexed.
    package private(set) var termCounts: [UInt32] = []
    package private(set) var postingsEnds: [UInt32] = []
    package private(set) var postingsBytes: [UInt8] = []

    package init(
        field: IndexedField, termBytes: [UInt8], terms: [Term], tokens: [Token], length: UInt32, pairKeys: [UInt32]
    ) {
        self.field = field
        self.termBytes = termBytes
        self.terms = terms
        self.tokens = tokens
        self.length = length
        self.pairKeys = pairKeys
    }
}

extension AnalyzedField {
    /// Whether ``encodePostings()`` has run.
    package var isEncoded: Bool { termCounts.count == terms.count }

    /// Groups the positions of each term and codes them as its postings in this document will
    /// hold them (all but the document number): done where the field was analyzed, so that the
    /// thread that adds documents only copies them. A term whose accented key is longer than
    /// ``SegmentWriter/maximumKeyLength`` is not indexed: it gets no bytes.
    package mutating func encodePostings() {
        var counts = [UInt32](repeating: 0, count: terms.count)
        for token in tokens { counts[Int(token.term)] &+= 1 }
        // Each term's positions together, in token (so ascending) order.
        var next = [Int](repeating: 0, count: terms.count + 1)
        for i in terms.indices { next[i + 1] = next[i] + Int(counts[i]) }
        var grouped = [UInt32](repeating: 0, count: tokens.count)
        for token in tokens {
            grouped[next[Int(token.term)]] = token.position
            next[Int(token.term)] += 1
        }
        var ends = [UInt32](repeating: 0, count: terms.count)
        // Written through a pointer into room for the longest codes (a varint of a UInt32 takes
        // at most 5 bytes), then cut to what was written: an append per byte checked the array's
        // uniqueness and room every time.
        let bytes = [UInt8](unsafeUninitializedCapacity: 5 * (tokens.count + terms.count)) { buffer, written in
            written = 0
            guard let base = buffer.baseAddress else { return }
            var at = 0
            @inline(__always)
            func put(_ value: UInt32) {
                var rest = value
                while rest >= 0x80 {
                    base[at] = UInt8(truncatingIfNeeded: rest) | 0x80
                    rest >>= 7
                    at += 1
                }
                base[at] = UInt8(truncatingIfNeeded: rest)
                at += 1
            }
            var start = 0
            for i in terms.indices {
                let end = start + Int(counts[i])
                if terms[i].isIndexed {
                    put(counts[i])
                    var position: UInt32 = 0
                    for k in start..<end {
                        put(grouped[k] &- position)
                        position = grouped[k]
                    }
                }
                ends[i] = UInt32(truncatingIfNeeded: at)
                start = end
            }
            written = at
        }
        termCounts = counts
        postingsEnds = ends
        // Held until the index takes the document: kept in an array of its size (most codes take
        // one byte), not in the room made for the longest.
        postingsBytes = bytes.withUnsafeBufferPointer { Array($0) }
    }
}

/// A document ready for the index: its id, its stored fields (shown in results) and its analyzed
/// indexed fields.
package struct AnalyzedDocument: Sendable {
    package var id: String
    package var stored: [(name: String, value: String)]
    package var fields: [AnalyzedField]

    package init(id: String, stored: [(name: String, value: String)], fields: [AnalyzedField]) {
        self.id = id
        self.stored = stored
        self.fields = fields
    }
}
