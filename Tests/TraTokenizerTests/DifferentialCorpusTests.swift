import Foundation
import Testing
import TraTestSupport
@_spi(Reference) import TraTokenizer

/// The fast path must give exactly the tokens (offsets, positions, keys) of the all-ICU reference,
/// over whole real corpora.
@Suite("Fast path equals ICU over corpora")
struct DifferentialCorpusTests {
    @Test func bundledCorpus() throws {
        let files = ["viwiki-sample.jsonl", "xquad-vi-docs.jsonl"].map { TestData.corpus.appendingPathComponent($0) }
        let checked = try compare(files)
        #expect(checked > 2_000)
    }

    /// The whole Vietnamese Wikipedia sample of the shared data folder (87 MB, 7,860 articles).
    @Test(.enabled(if: TestData.sharedFile("viwiki.jsonl") != nil, "needs ../shared/data/viwiki.jsonl"))
    func wholeSharedViwiki() throws {
        let files = ["viwiki.jsonl", "viquad-docs.jsonl"].compactMap(TestData.sharedFile)
        let checked = try compare(files)
        #expect(checked > 7_000)
    }

    /// Compares every title and body of the JSONL files; returns the number of texts compared.
    private func compare(_ files: [URL]) throws -> Int {
        let analyzer = try Analyzer()
        var fast = TokenBuffer()
        var reference = TokenBuffer()
        var checked = 0
        var mismatches = 0
        var bytes = 0
        for file in files {
            for var text in try TestData.jsonlStrings(file, fields: ["title", "body"]) {
                fast.removeAll()
                reference.removeAll()
                try text.withUTF8 { bytes in
                    try analyzer.analyze(bytes, into: &fast)
                    try analyzer.analyzeWithICU(bytes, into: &reference)
                }
                checked += 1
                bytes += text.utf8.count
                if fast.spans != reference.spans || fast.keyBytes != reference.keyBytes {
                    mismatches += 1
                    if mismatches <= 3 { try expectFastPathMatchesICU(text, analyzer: analyzer) }
                }
            }
        }
        #expect(mismatches == 0, "\(mismatches) of \(checked) texts differ")
        // The comparison means something only if the fast path did most of the work.
        let icuShare = Double(analyzer.bytesSegmentedByICU) / Double(max(bytes, 1))
        #expect(icuShare < 0.05, "the fast path handed \(Int(icuShare * 100))% of the bytes to ICU")
        return checked
    }
}
