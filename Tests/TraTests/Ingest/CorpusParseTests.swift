import Foundation
import Testing
import Tra
import TraTestSupport

/// The parser must read real corpora exactly as Foundation's JSONSerialization does.
@Suite("JSONL parser equals JSONSerialization over corpora")
struct CorpusParseTests {
    @Test func bundledCorpus() throws {
        let files = ["viwiki-sample.jsonl", "xquad-vi-docs.jsonl"].map { TestData.corpus.appendingPathComponent($0) }
        let checked = try compare(files)
        #expect(checked > 2_600)
    }

    /// The whole Vietnamese Wikipedia sample of the shared data folder (87 MB).
    @Test(.enabled(if: TestData.sharedFile("viwiki.jsonl") != nil, "needs ../shared/data/viwiki.jsonl"))
    func wholeSharedViwiki() throws {
        let checked = try compare(["viwiki.jsonl", "viquad-docs.jsonl"].compactMap(TestData.sharedFile))
        #expect(checked > 7_000)
    }

    /// Compares every line's members with JSONSerialization's, byte for byte, and checks that the streaming
    /// source delivers the same documents; returns the number of lines compared.
    private func compare(_ files: [URL]) throws -> Int {
        var checked = 0
        var parser = JSONLineParser()
        for file in files {
            let data = try Data(contentsOf: file)
            var expected: [IngestDocument] = []
            for (index, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
                .enumerated()
            where !line.isEmpty {
                let source = SourceLocation(file: file.path, line: index + 1)
                let reference = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: String])
                let result = Data(line).withUnsafeBytes { parser.parseDocument($0, source: source) }
                let document = try result.get()
                #expect(same(document.id, reference["id"]), "\(source)")
                #expect(same(document.body, reference["body"]), "\(source)")
                #expect(document.fields.count + 1 == reference.count, "\(source)")
                for field in document.fields {
                    #expect(same(field.value, reference[field.name]), "\(source) \(field.name)")
                }
                expected.append(document)
                checked += 1
            }
            var streamed: [IngestDocument] = []
            try IngestSource(inputs: [file.path]).forEach { result, _ in streamed.append(try result.get()) }
            #expect(streamed == expected)
        }
        return checked
    }

    /// Whether our string has exactly the UTF-8 bytes of JSONSerialization's.
    ///
    /// Foundation drops a U+FEFF that starts a string value (two xquad-vi-docs bodies start with one);
    /// JSON keeps it as the string's first character, and so do we.
    private func same(_ ours: String, _ theirs: String?) -> Bool {
        guard let theirs else { return false }
        if ours.utf8.elementsEqual(theirs.utf8) { return true }
        return ours.unicodeScalars.first == "\u{FEFF}" && ours.utf8.dropFirst(3).elementsEqual(theirs.utf8)
    }
}
