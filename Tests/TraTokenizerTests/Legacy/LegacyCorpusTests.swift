import Foundation
import Testing
import TraTestSupport

@testable import TraTokenizer

/// Real Unicode corpora must come out of the detector untouched: no false conversion.
@Suite("No legacy conversion of Unicode corpora")
struct LegacyCorpusTests {
    @Test func bundledCorpus() throws {
        let files = ["viwiki-sample.jsonl", "xquad-vi-docs.jsonl"].map { TestData.corpus.appendingPathComponent($0) }
        #expect(try scan(files) > 5_000)
    }

    /// The whole Vietnamese Wikipedia sample and the XQuAD-vi passages of the shared data folder.
    @Test(.enabled(if: TestData.sharedFile("viwiki.jsonl") != nil, "needs ../shared/data/viwiki.jsonl"))
    func wholeSharedCorpora() throws {
        let files = ["viwiki.jsonl", "xquad-vi-docs.jsonl"].compactMap(TestData.sharedFile)
        #expect(try scan(files) > 15_000)
    }

    /// Runs the detector on every title, body and source; returns the number of fields.
    private func scan(_ files: [URL]) throws -> Int {
        let detector = try LegacyDetector()
        var fields = 0
        var examined = 0
        var converted: [String] = []
        for file in files {
            for text in try TestData.jsonlStrings(file, fields: ["title", "body", "source"]) {
                fields += 1
                if !LegacyDetector.prescan(text).vietnamese { examined += 1 }
                if let conversion = detector.convert(text) {
                    converted.append("\(conversion.encoding.name): \(text.prefix(80)) (\(conversion.evidence))")
                }
            }
        }
        print(
            "legacy scan of \(files.map(\.lastPathComponent)): \(fields) fields, \(examined) without Vietnamese "
                + "letters examined further, \(converted.count) converted")
        #expect(converted.isEmpty, "\(converted.prefix(10))")
        return fields
    }
}
