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

/// One field of a document after analysis, as the index takes it: for every token its position
/// and its terms, laid out so the index copies nothing:
///
///     termBytes[termStart..<termEnd]    the variant term: field, folded key, 0x00, accented key
///     termBytes[termStart..<foldedEnd]  its prefix, the folded term: field, folded key
///
/// with the hash of the variant term computed where the field was analyzed (on an analysis
/// thread), so adding it to the index is one hash-table probe. Build one with ``Builder``.
/// The index does not know how the keys were made (see IndexFormat.md, "Terms").
package struct AnalyzedField: Sendable {
    package struct Token: Sendable {
        package var position: UInt32
        package var termStart: UInt32
        package var foldedEnd: UInt32
        package var termEnd: UInt32
        /// ``TermTable/hash(_:)`` of the variant term.
        package var hash: UInt64
    }

    package var field: IndexedField
    package var termBytes: [UInt8]
    package var tokens: [Token]
    /// The field length for ranking (the number of tokens).
    package var length: UInt32

    /// Accumulates the tokens of one field.
    package struct Builder {
        package private(set) var field: AnalyzedField

        package init(field: IndexedField, capacity: Int = 0, tokens: Int = 0) {
            self.field = AnalyzedField(field: field, termBytes: [], tokens: [], length: 0)
            self.field.termBytes.reserveCapacity(capacity)
            self.field.tokens.reserveCapacity(tokens)
        }

        /// Adds the token at `position` with its accented and folded keys, given as raw bytes.
        @inline(__always)
        package mutating func append(position: Int, accented: UnsafeRawBufferPointer, folded: UnsafeRawBufferPointer) {
            let start = field.termBytes.count
            field.termBytes.append(field.field.rawValue)
            field.termBytes.append(contentsOf: folded)
            let foldedEnd = field.termBytes.count
            field.termBytes.append(0)
            field.termBytes.append(contentsOf: accented)
            let end = field.termBytes.count
            let hash = field.termBytes.withUnsafeBytes {
                TermTable.hash(UnsafeRawBufferPointer(rebasing: $0[start..<end]))
            }
            field.tokens.append(
                Token(
                    position: UInt32(truncatingIfNeeded: position), termStart: UInt32(truncatingIfNeeded: start),
                    foldedEnd: UInt32(truncatingIfNeeded: foldedEnd), termEnd: UInt32(truncatingIfNeeded: end),
                    hash: hash))
            field.length += 1
        }

        /// Adds the token at `position` with its accented and folded keys.
        package mutating func append(position: Int, accented: ArraySlice<UInt8>, folded: ArraySlice<UInt8>) {
            accented.withUnsafeBytes { accented in
                folded.withUnsafeBytes { folded in append(position: position, accented: accented, folded: folded) }
            }
        }
    }

    package init(field: IndexedField, termBytes: [UInt8], tokens: [Token], length: UInt32) {
        self.field = field
        self.termBytes = termBytes
        self.tokens = tokens
        self.length = length
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
