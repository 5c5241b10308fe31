import TraIndex

/// Turns an input document into what the index takes: the title and body analyzed by the
/// Vietnamese analyzer, every field stored for display.
package final class DocumentAnalyzer {
    private let analyzer: Analyzer
    private var buffer = TokenBuffer()

    package init() throws(TraError) {
        do {
            analyzer = try Analyzer()
        } catch {
            throw TraError(error)
        }
    }

    /// The analyzed document; `fields` are stored in the given order (an `id` field is not stored:
    /// the index keeps ids apart).
    package func analyze(id: String, fields: [(name: String, value: String)]) throws(TraError) -> AnalyzedDocument {
        let stored = fields.filter { $0.name != "id" }
        let title = stored.first { $0.name == "title" }?.value ?? ""
        let body = stored.first { $0.name == "body" }?.value ?? ""
        return AnalyzedDocument(
            id: id, stored: stored, fields: [try analyze(title, as: .title), try analyze(body, as: .body)])
    }

    private func analyze(_ text: String, as field: IndexedField) throws(TraError) -> AnalyzedField {
        buffer.removeAll()
        var text = text
        do {
            try text.withUTF8 { bytes in try analyzer.analyze(bytes, into: &buffer) }
        } catch let error as ICUError {
            throw TraError(error)
        } catch {
            throw TraError(.user, "cannot analyze the \(field.name): \(error)")
        }
        guard buffer.keyBytes.count < Int(UInt32.max) / 2 else {
            throw TraError(.user, "a \(field.name) of \(text.utf8.count) bytes is too large to index (limit 1 GB)")
        }
        var builder = AnalyzedField.Builder(field: field, tokens: buffer.spans.count)
        buffer.keyBytes.withUnsafeBytes { keys in
            for span in buffer.spans {
                builder.append(
                    position: span.position,
                    accented: UnsafeRawBufferPointer(rebasing: keys[span.keyStart..<span.keyEnd]),
                    folded: UnsafeRawBufferPointer(rebasing: keys[span.keyEnd..<span.foldedEnd]))
            }
        }
        return builder.field
    }
}
