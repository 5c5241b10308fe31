import Foundation
import TraIndex

/// Test helpers for the index: documents from plain (accented, folded) word pairs, temporary folders.
enum IndexTestSupport {
    static let analyzer = SegmentSerializer.AnalyzerInfo(name: "test-analyzer", version: 1)

    /// An analyzed field whose tokens are the given (accented, folded) keys at positions 0, 1, 2...
    static func field(_ field: IndexedField, _ words: [(String, String)]) -> AnalyzedField {
        var builder = AnalyzedField.Builder(field: field)
        for (position, (accented, folded)) in words.enumerated() {
            builder.append(position: position, accented: Array(accented.utf8)[...], folded: Array(folded.utf8)[...])
        }
        return builder.finish()
    }

    /// A document whose body is `words` (each word its own folded key) and whose title is `title`.
    static func document(_ id: String, title: String = "", body words: [String]) -> AnalyzedDocument {
        AnalyzedDocument(
            id: id, stored: [("title", title), ("body", words.joined(separator: " "))],
            fields: [
                field(.title, title.split(separator: " ").map { (String($0), fold(String($0))) }),
                field(.body, words.map { ($0, fold($0)) }),
            ])
    }

    /// A crude folding for tests: drops everything but ASCII letters and digits.
    static func fold(_ word: String) -> String {
        let folded = word.applyingTransform(.stripDiacritics, reverse: false) ?? word
        return folded.replacingOccurrences(of: "đ", with: "d").replacingOccurrences(of: "Đ", with: "d").lowercased()
    }

    static func temporaryDirectory() -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tra-test-\(UUID().uuidString)")
        return url.path
    }

    static func remove(_ path: String) { try? FileManager.default.removeItem(atPath: path) }

    /// A writer creating an index in `directory` that merges `mergeFactor` segments of a size at
    /// once, with a RAM budget of `ramBudget` bytes (the default when nil).
    static func writer(_ directory: String, mergeFactor: Int, ramBudget: Int? = nil) throws -> IndexWriter {
        var options = IndexWriter.Options()
        options.mergeFactor = mergeFactor
        if let ramBudget { options.ramBudget = ramBudget }
        return try IndexWriter(directory: directory, analyzer: analyzer, mode: .create, options: options)
    }

    /// A term key: field byte, folded key, and for variant terms 0x00 and the accented key.
    static func term(_ field: IndexedField, folded: String, accented: String? = nil) -> [UInt8] {
        var bytes = [field.rawValue] + Array(folded.utf8)
        if let accented { bytes += [0] + Array(accented.utf8) }
        return bytes
    }

    /// All (doc, freq, positions) of a term in a segment.
    static func postings(_ reader: SegmentReader, _ term: [UInt8]) throws -> [(UInt32, UInt32, [UInt32])] {
        guard let info = try reader.lookup(term) else { return [] }
        var cursor = try reader.postings(info)
        var result: [(UInt32, UInt32, [UInt32])] = []
        while try cursor.next() { result.append((cursor.doc, cursor.freq, try cursor.positions())) }
        return result
    }
}

/// An index of one segment in a temporary folder (removed with this object), made from
/// `documents` in one commit, and the segment file's bytes as written.
final class CommittedSegment {
    let directory = IndexTestSupport.temporaryDirectory()
    let path: String
    let original: Data

    init(_ documents: [AnalyzedDocument]) throws {
        let writer = try IndexWriter(directory: directory, analyzer: IndexTestSupport.analyzer, mode: .create)
        for document in documents { try writer.add(document) }
        try writer.commit()
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        guard let name = names.first(where: { $0.hasSuffix(".tra") }) else { throw NoSegment(directory: directory) }
        path = directory + "/" + name
        original = try Data(contentsOf: URL(fileURLWithPath: path))
    }

    deinit { IndexTestSupport.remove(directory) }

    /// Rewrites the segment with the byte at `offset` flipped, in place: readers opened before
    /// see the damage too.
    func damage(at offset: Int) throws {
        var bytes = original
        bytes[offset] ^= 0x5A
        try bytes.write(to: URL(fileURLWithPath: path))
    }

    /// Rewrites the segment as it was written.
    func restore() throws { try original.write(to: URL(fileURLWithPath: path)) }

    struct NoSegment: Error {
        let directory: String
    }
}
