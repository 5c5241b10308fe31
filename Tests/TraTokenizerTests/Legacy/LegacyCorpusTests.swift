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
        var tried = 0
        var converted: [String] = []
        for file in files {
            for text in try TestData.jsonlStrings(file, fields: ["title", "body", "source"]) {
                fields += 1
                let scan = LegacyDetector.prescan(text)
                if !scan.vietnamese && (scan.latin1 > 0 || scan.viqrStrong >= LegacyDetector.minimumVIQRWords) {
                    tried += 1
                }
                if let conversion = detector.convert(text) {
                    converted.append("\(conversion.encoding.name): \(text.prefix(80)) (\(conversion.evidence))")
                }
            }
        }
        print(
            "legacy scan of \(files.map(\.lastPathComponent)): \(fields) fields, \(tried) tried as legacy text "
                + "(no Vietnamese letter, some Latin-1 letter or VIQR marks), \(converted.count) converted")
        #expect(converted.isEmpty, "\(converted.prefix(10))")
        return fields
    }
}
