/// The in-memory segment: accumulates analyzed documents until it is serialized to disk.
///
/// Every token yields two term occurrences: the folded term (`field, folded key`) and the variant
/// term (`field, folded key, 0x00, accented key`); see IndexFormat.md, "Terms". Occurrences are
/// appended to three flat arrays (term, document, position) and sorted by term only when the
/// segment is written, so adding a document costs two hash lookups per token and no allocation.
package struct SegmentWriter {
    /// Keys longer than this many bytes are not indexed (a base64 blob is no search term).
    package static let maximumKeyLength = 120

    package private(set) var terms = TermTable()
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
    private var docByID: [String: UInt32] = [:]
    private var scratch: [UInt8] = []

    package init() {}

    package var documentCount: Int { ids.count }

    /// Approximate bytes held, for the RAM budget.
    package var memoryFootprint: Int {
        terms.memoryFootprint + occurrenceTerms.capacity * 12 + storedBytes.capacity + norms.count * ids.count * 4
            + ids.count * 64 + docByID.count * 64
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

    /// Marks the document with `id` deleted; returns whether it was here.
    package mutating func delete(id: String) -> Bool {
        guard let doc = docByID.removeValue(forKey: id) else { return false }
        deleted.insert(doc)
        return true
    }

    private mutating func addTokens(of field: AnalyzedField, doc: UInt32) {
        field.keyBytes.withUnsafeBytes { keys in
            for token in field.tokens {
                let accented = Int(token.keyStart)..<Int(token.keyEnd)
                let folded = Int(token.keyEnd)..<Int(token.foldedEnd)
                guard folded.upperBound <= keys.count, accented.lowerBound <= accented.upperBound,
                    accented.count <= Self.maximumKeyLength, !folded.isEmpty
                else {
                    skippedKeys += 1
                    continue
                }
                scratch.removeAll(keepingCapacity: true)
                scratch.append(field.field.rawValue)
                scratch.append(contentsOf: keys[folded])
                let foldedTerm = scratch.withUnsafeBytes { terms.intern($0) }
                scratch.append(0)
                scratch.append(contentsOf: keys[accented])
                let variantTerm = scratch.withUnsafeBytes { terms.intern($0) }
                occurrenceTerms.append(foldedTerm)
                occurrenceTerms.append(variantTerm)
                occurrenceDocs.append(doc)
                occurrenceDocs.append(doc)
                occurrencePositions.append(token.position)
                occurrencePositions.append(token.position)
            }
        }
    }
}
