/// What the term dictionary knows about a term: its statistics and where its postings are.
package struct TermInfo: Equatable, Sendable {
    /// Number of documents containing the term.
    package var docFreq: Int
    /// Number of occurrences of the term in the segment.
    package var totalFreq: Int
    /// Offset of the term's postings in the POSTINGS section.
    package var postingsOffset: Int
    /// Offset of the term's positions in the POSITIONS section; nil for a term without positions (a
    /// folded term with several variants).
    package var positionsOffset: Int?

    package init(docFreq: Int, totalFreq: Int, postingsOffset: Int, positionsOffset: Int?) {
        self.docFreq = docFreq
        self.totalFreq = totalFreq
        self.postingsOffset = postingsOffset
        self.positionsOffset = positionsOffset
    }
}

/// Terms: `field(u8) folded-key` for folded terms, `field(u8) folded-key 0x00 accented-key` for
/// variant terms. Variant terms have positions; a folded term has them only when it shares the
/// postings of its single variant (IndexFormat.md, "Terms").
package enum Term {
    /// Whether `term` is a variant term (it holds the 0x00 separator after the field byte, which
    /// may itself be 0).
    @inline(__always)
    package static func isVariant(_ term: ArraySlice<UInt8>) -> Bool { term.dropFirst().contains(0) }

    @inline(__always)
    package static func isVariant(_ term: [UInt8]) -> Bool { term.dropFirst().contains(0) }
}
