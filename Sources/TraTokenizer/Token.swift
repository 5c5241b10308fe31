/// One syllable (or other word) token of analyzed text.
///
/// `start` and `end` are UTF-8 byte offsets into the ORIGINAL text, so `text` is exactly what the
/// author wrote (any normalization form, any tone-placement convention, any case).
public struct Token: Equatable, Hashable, Sendable {
    /// The original slice of the input.
    public var text: String
    /// UTF-8 byte offset of the first byte of the token in the input.
    public var start: Int
    /// UTF-8 byte offset just past the last byte of the token in the input.
    public var end: Int
    /// Ordinal of the token in the analyzed text (0, 1, 2, ...).
    public var position: Int
    /// The canonical accented key: NFC, lower case, đ for Ð, canonical tone placement.
    public var key: String
    /// The folded key: the key without letter modifiers and tone marks, đ written d.
    public var folded: String

    public init(text: String, start: Int, end: Int, position: Int, key: String, folded: String) {
        self.text = text
        self.start = start
        self.end = end
        self.position = position
        self.key = key
        self.folded = folded
    }
}

/// A token as the analyzer produces it in bulk: offsets into the input and into the key bytes of
/// its ``TokenBuffer``.
public struct TokenSpan: Equatable, Sendable, BitwiseCopyable {
    /// UTF-8 byte range of the token in the original input.
    public var start: Int
    public var end: Int
    /// Ordinal of the token in the analyzed text.
    public var position: Int
    /// The canonical key is `keyBytes[keyStart..<keyEnd]`, the folded key `keyBytes[keyEnd..<foldedEnd]`.
    public var keyStart: Int
    public var keyEnd: Int
    public var foldedEnd: Int
}

/// The reusable output of ``Analyzer/analyze(_:into:)``: token spans and the bytes of their keys.
///
/// Reusing one buffer across documents keeps the analyzer free of per-token allocations.
public struct TokenBuffer: Sendable {
    public internal(set) var spans: [TokenSpan] = []
    public internal(set) var keyBytes: [UInt8] = []

    public init() {}

    /// Forgets all tokens, keeping the storage.
    public mutating func removeAll() {
        spans.removeAll(keepingCapacity: true)
        keyBytes.removeAll(keepingCapacity: true)
    }

    /// The canonical key of a token.
    public func key(of span: TokenSpan) -> ArraySlice<UInt8> { keyBytes[span.keyStart..<span.keyEnd] }

    /// The folded key of a token.
    public func folded(of span: TokenSpan) -> ArraySlice<UInt8> { keyBytes[span.keyEnd..<span.foldedEnd] }

    /// Appends the tokens of one analysis: their spans and their keys' bytes, which the spans'
    /// offsets already place after the bytes the buffer holds.
    mutating func append(spans newSpans: UnsafeBufferPointer<TokenSpan>, keyBytes newBytes: UnsafeBufferPointer<UInt8>)
    {
        spans.append(contentsOf: newSpans)
        keyBytes.append(contentsOf: newBytes)
    }
}
