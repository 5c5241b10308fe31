import Testing
import TraTestSupport
import TraTokenizer

/// `Analyzer.withTokens(of:_:)` hands out the analyzer's own scratch instead of a copy: it must
/// show exactly what `analyze(_:into:)` appends to an empty buffer, whatever came before.
@Suite("Analyzer.withTokens")
struct WithTokensTests {
    static let texts = [
        "Thuỷ điện Hoà Bình khởi công năm 1979.",
        "",
        "   ",
        // NFD, an emoji, another script, an address: the ICU path too.
        "Vie\u{0302}\u{0323}t Nam 🇻🇳 東京 và email a.b@c.vn; 1.000.000 đồng",
        String(repeating: "đường dương ", count: 400),
    ]

    @Test("the same spans and key bytes as analyze(_:into:) on an empty buffer")
    func sameAsBuffer() throws {
        let analyzer = try Analyzer()
        var buffer = TokenBuffer()
        // Every withTokens call after the first follows an analysis into a buffer that held tokens (whose
        // spans count key offsets from the buffer's bytes): its own offsets still count from 0.
        for var text in Self.texts + Self.texts.reversed() {
            let (spans, keyBytes) = try text.withUTF8 { bytes in
                try analyzer.withTokens(of: bytes) { spans, keyBytes in (Array(spans), Array(keyBytes)) }
            }
            buffer.removeAll()
            try text.withUTF8 { bytes in try analyzer.analyze(bytes, into: &buffer) }
            #expect(spans == buffer.spans, "\(text.prefix(40))")
            #expect(keyBytes == buffer.keyBytes, "\(text.prefix(40))")
            // Leaves the buffer non-empty for the next withTokens call.
            try text.withUTF8 { bytes in try analyzer.analyze(bytes, into: &buffer) }
        }
    }
}
