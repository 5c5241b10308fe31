/// The in-memory segment: accumulates analyzed documents until it is serialized to disk.
///
/// Every token is an occurrence of a variant term (`field, folded key, 0x00, accented key`) and
/// of its folded term (`field, folded key`); see IndexFormat.md, "Terms". Only the variant
/// occurrence is recorded, in three flat arrays (term, document, position); each variant term
/// knows its folded term, so the folded postings are derived when the segment is written. Adding
/// a document costs one hash lookup per distinct term of each field (the fields come with their
/// terms interned, see ``AnalyzedField``) and no allocation.
package struct SegmentWriter {
    /// Keys longer than this many bytes are not indexed (a base64 blob is no search term).
    package static let maximumKeyLength = 120

    package private(set) var terms = TermTable()
    /// For every term id: the id of its folded term (itself for folded terms).
    package private(set) var foldedTerm: [UInt32] = []
    package private(set) var occurrenceTerms: [UInt32] = []
    package private(set) var occurrenceDocs: [UInt32] = []
    package private(set) var occurrencePositions: [UInt32] = []
    /// Field lengths, indexed by field number then document.
    package private(set) var norms: [[UInt32]] = IndexedField.allCases.map { _ in [] }
    package private(set) var ids: [String] = []
    /// Stored fields of every document, serialized back to back (see ``StoredFieldsSerializer``).
    package private(set) var storedBytes: [UInt8] = []
    package private(set) var storedStarts: [Int] = [0]
    /// Documents replaced by a later document with the same id in this segment.
    package private(set) var deleted: Set<UInt32> = []
    package private(set) var skippedKeys = 0
    /// Pairs of consecutive tokens of a field (variant term ids), for the PAIRS section.
    private var pairCounter = PairCounter()
    private var docByID: [String: UInt32] = [:]
    /// Scratch for ``add(_:)``: the segment's term id of each term of the field being added.
    private var fieldTerms: [UInt32] = []

    package init() {}

    package var documentCount: Int { ids.count }

    /// Pairs of consecutive tokens of a field (variant term ids), for the PAIRS section,
    /// compacted (see ``PairCounter/compact()``).
    package var pairs: PairCounter {
        var pairs = pairCounter
        pairs.compact()
        return pairs
    }

    /// Approximate bytes held, for the RAM budget, including what serializing will need on top
    /// (sorted copies of the occurrences, the compressed stored fields): flushing at the budget
    /// keeps the peak near the budget.
    package var memoryFootprint: Int {
        terms.memoryFootprint + foldedTerm.capacity * 4 + occurrenceTerms.capacity * 24
            + storedBytes.capacity * 8 / 5 + norms.count * ids.count * 4 + ids.count * 96 + pairCounter.memoryFootprint
    }

    /// Adds a document; a document already added with the same id is marked deleted.
    ///
    /// - Returns: the document's number in the segment.
    @discardableResult
    package mutating func add(_ document: AnalyzedDocument) -> UInt32 {
        let doc = UInt32(ids.count)
        if let previous = docByID[document.id] { deleted.insert(previous) }
        docByID[document.id] = doc
        ids.append(document.id)
        for field in IndexedField.allCases { norms[Int(field.rawValue)].append(0) }
        for field in document.fields {
            norms[Int(field.field.rawValue)][Int(doc)] = field.length
            addTokens(of: field, doc: doc)
        }
        StoredFieldsSerializer.append(document.stored, to: &storedBytes)
        storedStarts.append(storedBytes.count)
        return doc
    }

    /// The document number of `id` in this segment, if it was added and not replaced.
    package func document(withID id: String) -> UInt32? { docByID[id] }

    /// The live documents by id.
    package var documentsByID: [String: UInt32] { docByID }

    /// Marks the document with `id` deleted; returns whether it was here.
    package mutating func delete(id: String) -> Bool {
        guard let doc = docByID.removeValue(forKey: id) else { return false }
        deleted.insert(doc)
        return true
    }

    /// Adds the tokens of `field`: interns each distinct term of the field once (its variant,
    /// and its folded term when the variant is new), then records every token's occurrence.
    private mutating func addTokens(of field: AnalyzedField, doc: UInt32) {
        internTerms(of: field)
        // The previous token's variant term and position: consecutive tokens form a pair.
        var previous: (term: UInt32, position: UInt32)? = nil
        for token in field.tokens {
            let variantTerm = fieldTerms[Int(token.term)]
            guard variantTerm != Self.skipped else {
                skippedKeys += 1
                previous = nil
                continue
            }
            if let previous, previous.position &+ 1 == token.position { pairCounter.add(previous.term, variantTerm) }
            previous = (variantTerm, token.position)
            occurrenceTerms.append(variantTerm)
            occurrenceDocs.append(doc)
            occurrencePositions.append(token.position)
        }
    }

    /// Marks a term of a field that is not indexed (its key is too long).
    private static let skipped = UInt32.max

    /// Fills ``fieldTerms`` with the segment's term id of each term of `field` (or ``skipped``).
    private mutating func internTerms(of field: AnalyzedField) {
        fieldTerms.removeAll(keepingCapacity: true)
        field.termBytes.withUnsafeBytes { bytes in
            for term in field.terms {
                let start = Int(term.start)
                let foldedEnd = Int(term.foldedEnd)
                let end = Int(term.end)
                guard start < foldedEnd, foldedEnd < end, end <= bytes.count,
                    end - foldedEnd - 1 <= Self.maximumKeyLength
                else {
                    fieldTerms.append(Self.skipped)
                    continue
                }
                let before = terms.count
                let variantTerm = terms.intern(UnsafeRawBufferPointer(rebasing: bytes[start..<end]), hash: term.hash)
                if terms.count > before {
                    // A new variant: find (or add) its folded term once.
                    foldedTerm.append(variantTerm)
                    let folded = terms.intern(UnsafeRawBufferPointer(rebasing: bytes[start..<foldedEnd]))
                    if Int(folded) == foldedTerm.count { foldedTerm.append(folded) }
                    foldedTerm[Int(variantTerm)] = folded
                }
                fieldTerms.append(variantTerm)
            }
        }
    }
}
