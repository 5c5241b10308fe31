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
        // A buffer that already held tokens shifts the offsets of analyze(_:into:), never those
        // of withTokens, whose offsets count from its own key bytes.
        for var text in Self.texts + Self.texts.reversed() {
            let (spans, keyBytes) = try text.withUTF8 { bytes in
                try analyzer.withTokens(of: bytes) { spans, keyBytes in (Array(spans), Array(keyBytes)) }
            }
            buffer.removeAll()
            try text.withUTF8 { bytes in try analyzer.analyze(bytes, into: &buffer) }
            #expect(spans == buffer.spans, "\(text.prefix(40))")
            #expect(keyBytes == buffer.keyBytes, "\(text.prefix(40))")
            // And the analyzer is left as it was: the next analysis into a buffer is not shifted.
            try text.withUTF8 { bytes in try analyzer.analyze(bytes, into: &buffer) }
            #expect(buffer.spans.count == 2 * spans.count)
            if let first = spans.first { #expect(buffer.spans[spans.count].position == first.position) }
        }
    }
}
