/// Where a document or an error comes from: the file path as the user gave it, and a 1-based line.
package struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The file path as given on the command line (a folder's files are joined to the folder as given).
    package var file: String
    /// The 1-based line number (1 for a .txt document).
    package var line: Int

    package init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    package var description: String { "\(file):\(line)" }
}

/// One input document, as read from a JSONL line or a .txt file, before analysis.
package struct IngestDocument: Sendable {
    /// The document's identifier (the JSONL `id`, or a .txt file's path relative to the input folder).
    package var id: String
    /// Every other string field in input order, `title` and `body` among them; `id` is not repeated here.
    package var fields: [(name: String, value: String)]
    /// Where the document was read.
    package var source: SourceLocation
    /// The fields converted from a legacy encoding (``LegacyDocumentConverter``), in field order.
    package var legacyConversions: [LegacyFieldConversion] = []

    package init(id: String, fields: [(name: String, value: String)], source: SourceLocation) {
        self.id = id
        self.fields = fields
        self.source = source
    }

    /// The value of the field `name`, if the document has it.
    package subscript(field name: String) -> String? {
        for field in fields where field.name == name { return field.value }
        return nil
    }

    /// The `title` field, if any.
    package var title: String? { self[field: "title"] }

    /// The `body` field (always present in a document the reader delivers; empty otherwise).
    package var body: String { self[field: "body"] ?? "" }
}

extension IngestDocument: Equatable {
    /// Field-by-field equality, comparing strings by their exact UTF-8 bytes (not canonical equivalence).
    package static func == (lhs: IngestDocument, rhs: IngestDocument) -> Bool {
        guard lhs.id.utf8.elementsEqual(rhs.id.utf8), lhs.source == rhs.source,
            lhs.fields.count == rhs.fields.count
        else { return false }
        for (left, right) in zip(lhs.fields, rhs.fields) {
            guard left.name.utf8.elementsEqual(right.name.utf8), left.value.utf8.elementsEqual(right.value.utf8)
            else { return false }
        }
        return true
    }
}
