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
/// and its two keys (the accented key and the folded key), stored back to back in `keyBytes`.
///
/// The index does not know how the keys were made; it only indexes them (see IndexFormat.md,
/// "Terms").
package struct AnalyzedField: Sendable {
    package struct Token: Sendable {
        package var position: UInt32
        /// The accented key is `keyBytes[keyStart..<keyEnd]`, the folded key `keyBytes[keyEnd..<foldedEnd]`.
        package var keyStart: UInt32
        package var keyEnd: UInt32
        package var foldedEnd: UInt32

        package init(position: UInt32, keyStart: UInt32, keyEnd: UInt32, foldedEnd: UInt32) {
            self.position = position
            self.keyStart = keyStart
            self.keyEnd = keyEnd
            self.foldedEnd = foldedEnd
        }
    }

    package var field: IndexedField
    package var keyBytes: [UInt8]
    package var tokens: [Token]
    /// The field length for ranking (the number of tokens).
    package var length: UInt32

    package init(field: IndexedField, keyBytes: [UInt8], tokens: [Token], length: UInt32) {
        self.field = field
        self.keyBytes = keyBytes
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
