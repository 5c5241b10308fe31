import Foundation
import Testing
import TraTestSupport
@_spi(Reference) import TraTokenizer

@Test(.enabled(if: ProcessInfo.processInfo.environment["TRA_PROBE"] != nil)) func probeThroughput() throws {
    let texts = try TestData.jsonlStrings(TestData.sharedFile("viwiki.jsonl")!, fields: ["title", "body"]).map { Array($0.utf8) }
    let bytes = texts.reduce(0) { $0 + $1.count }
    let analyzer = try Analyzer()
    var buffer = TokenBuffer()
    for mode in [0, 0, 0, 0, 0, 1] {
        let start = Date()
        var tokens = 0
        for t in texts {
            buffer.removeAll()
            try t.withUnsafeBufferPointer { if mode == 1 { try analyzer.analyzeWithICU($0, into: &buffer) } else { try analyzer.analyze($0, into: &buffer) } }
            tokens += buffer.spans.count
        }
        let s = Date().timeIntervalSince(start)
        print("PROBE mode \(mode): \(Double(bytes) / 1e6 / s) MB/s, \(tokens) tokens, \(s) s")
    }
}
