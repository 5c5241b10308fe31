import Testing
@_spi(Reference) import TraTokenizer

/// Checks that the table-driven path and the all-ICU reference give identical tokens for `text`.
func expectFastPathMatchesICU(
    _ text: String, analyzer: Analyzer? = nil, sourceLocation: SourceLocation = #_sourceLocation
)
    throws
{
    let analyzer = try analyzer ?? Analyzer()
    var fast = TokenBuffer()
    var reference = TokenBuffer()
    var text = text
    try text.withUTF8 { bytes in
        try analyzer.analyze(bytes, into: &fast)
        try analyzer.analyzeWithICU(bytes, into: &reference)
    }
    if fast.spans != reference.spans || fast.keyBytes != reference.keyBytes {
        let fastTokens = fast.spans.map {
            (text.utf8Slice($0.start, $0.end), String(decoding: fast.key(of: $0), as: UTF8.self))
        }
        let referenceTokens = reference.spans.map {
            (text.utf8Slice($0.start, $0.end), String(decoding: reference.key(of: $0), as: UTF8.self))
        }
        let firstDifference =
            zip(fastTokens, referenceTokens).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            ?? min(fastTokens.count, referenceTokens.count)
        Issue.record(
            """
            fast path and ICU differ at token \(firstDifference): \
            fast \(fastTokens.dropFirst(firstDifference).prefix(3)) \
            ICU \(referenceTokens.dropFirst(firstDifference).prefix(3))
            """, sourceLocation: sourceLocation)
    }
}

extension String {
    func utf8Slice(_ start: Int, _ end: Int) -> String {
        String(decoding: Array(utf8)[start..<end], as: UTF8.self)
    }
}
