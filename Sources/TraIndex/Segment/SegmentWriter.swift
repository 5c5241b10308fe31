/// The in-memory segment: accumulates analyzed documents until it is serialized to disk.
///
/// Every token is an occurrence of a variant term (`field, folded key, 0x00, accented key`) and
/// of its folded term (`field, folded key`); see IndexFormat.md, "Terms". Only the variant terms'
/// postings are kept, already encoded as documents arrive (Lucene's in-memory postings work the
/// same way): per variant term, for each document, `DocGap(varint) Freq(varint)` and the
/// positions as varint gaps, about 2 bytes a token instead of the 12 of a (term, document,
/// position) record; each variant term knows its folded term, whose postings are the union of
/// its variants', made when the segment is written. Adding a document costs one hash lookup per
/// distinct term of each field (the fields come with their terms interned, see
/// ``AnalyzedField``).
package struct SegmentWriter {
    /// Keys longer than this many bytes are not indexed (a base64 blob is no search term).
    package static let maximumKeyLength = 120

    package private(set) var terms = TermTable()
    /// For every term id: the id of its folded term (itself for folded terms).
    package private(set) var foldedTerm: [UInt32] = []
    /// For every term id: the encoded postings of a variant term (empty for folded terms).
    private var postings: [[UInt8]] = []
    /// For every term id: one more than the last document in its postings (0 for none yet).
    private var nextDoc: [UInt32] = []
    /// The bytes ``postings`` hold, capacities included.
    private var postingsCapacity = 0
    /// Tokens indexed (occurrences of variant terms).
    package private(set) var tokenCount = 0
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
    /// Scratch for ``add(_:)``: the segment's term id of each term of the field being added, the
    /// field's tokens per term (counting-sort bounds) and their positions grouped by term.
    private var fieldTerms: [UInt32] = []
    private var termBounds: [Int] = []
    private var termNext: [Int] = []
    private var groupedPositions: [UInt32] = []

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
    /// (the written postings, about as large as the encoded ones, and the compressed stored
    /// fields): flushing at the budget keeps the peak near the budget.
    package var memoryFootprint: Int {
        terms.memoryFootprint + foldedTerm.capacity * 8 + postings.capacity * 8 + postings.count * 48
            + postingsCapacity * 2 + storedBytes.capacity * 8 / 5 + norms.count * ids.count * 4 + ids.count * 96
            + pairCounter.memoryFootprint
    }

    /// The postings of term `term` as (document, positions) per document, ascending; empty for a
    /// folded term (whose postings are those of its variants).
    package func postings(of term: Int) -> [(doc: UInt32, positions: [UInt32])] {
        var result: [(doc: UInt32, positions: [UInt32])] = []
        var docs: [UInt32] = []
        var freqs: [UInt32] = []
        var positions: [UInt32] = []
        decodePostings(of: term, docs: &docs, freqs: &freqs, positions: &positions)
        var start = 0
        for (doc, freq) in zip(docs, freqs) {
            result.append((doc, Array(positions[start..<(start + Int(freq))])))
            start += Int(freq)
        }
        return result
    }

    /// Appends the documents, frequencies and positions of variant term `term` (as
    /// ``addTokens(of:doc:)`` encoded them) to the arrays.
    func decodePostings(of term: Int, docs: inout [UInt32], freqs: inout [UInt32], positions: inout [UInt32]) {
        postings[term].withUnsafeBytes { bytes in
            var offset = 0
            var doc: UInt32 = 0
            while offset < bytes.count {
                // Written by this process just before: every varint is whole.
                doc &+= UInt32(truncatingIfNeeded: VarInt.read(bytes, at: &offset) ?? 0)
                let freq = UInt32(truncatingIfNeeded: VarInt.read(bytes, at: &offset) ?? 0)
                docs.append(doc)
                freqs.append(freq)
                var position: UInt32 = 0
                for _ in 0..<freq {
                    position &+= UInt32(truncatingIfNeeded: VarInt.read(bytes, at: &offset) ?? 0)
                    positions.append(position)
                }
                doc &+= 1
            }
        }
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
        precondition(
            Set(document.fields.map(\.field)).count == document.fields.count, "a document has each field at most once")
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
    /// and its folded term when the variant is new), counts the pairs of consecutive tokens, then
    /// appends each term's frequency and positions in the document to its postings.
    private mutating func addTokens(of field: AnalyzedField, doc: UInt32) {
        internTerms(of: field)
        let distinct = fieldTerms.count
        termBounds.removeAll(keepingCapacity: true)
        termBounds.append(contentsOf: repeatElement(0, count: distinct + 1))
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
            termBounds[Int(token.term) + 1] += 1
        }
        // The positions of each term together, in token (so ascending) order.
        for i in 0..<distinct { termBounds[i + 1] += termBounds[i] }
        let indexed = termBounds[distinct]
        tokenCount += indexed
        if groupedPositions.count < indexed {
            groupedPositions.append(contentsOf: repeatElement(0, count: indexed - groupedPositions.count))
        }
        termNext.removeAll(keepingCapacity: true)
        termNext.append(contentsOf: termBounds)
        for token in field.tokens where fieldTerms[Int(token.term)] != Self.skipped {
            let i = Int(token.term)
            groupedPositions[termNext[i]] = token.position
            termNext[i] += 1
        }
        for i in 0..<distinct where termBounds[i + 1] > termBounds[i] {
            let term = Int(fieldTerms[i])
            let before = postings[term].capacity
            // A field's terms are distinct and of its own field, so the document is new here.
            VarInt.append(doc &- nextDoc[term], to: &postings[term])
            nextDoc[term] = doc &+ 1
            VarInt.append(UInt32(termBounds[i + 1] - termBounds[i]), to: &postings[term])
            var position: UInt32 = 0
            for k in termBounds[i]..<termBounds[i + 1] {
                VarInt.append(groupedPositions[k] &- position, to: &postings[term])
                position = groupedPositions[k]
            }
            postingsCapacity += postings[term].capacity - before
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
                    while postings.count < foldedTerm.count {
                        postings.append([])
                        nextDoc.append(0)
                    }
                }
                fieldTerms.append(variantTerm)
            }
        }
    }
}
