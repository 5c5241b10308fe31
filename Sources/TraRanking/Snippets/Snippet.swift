/// A window of a document's body chosen to show why it matched, with the matched syllables marked.
public struct Snippet: Sendable, Equatable {
    /// The window of the original text, runs of white space (CR, LF, tabs) shown as one space.
    public var text: String
    /// UTF-8 byte ranges of ``text`` to highlight: ascending, not overlapping.
    public var highlights: [Range<Int>]
    /// The window starts after the beginning of the body (an ellipsis belongs before it).
    public var startsMidText: Bool
    /// The window ends before the end of the body (an ellipsis belongs after it).
    public var endsMidText: Bool

    public init(text: String, highlights: [Range<Int>], startsMidText: Bool, endsMidText: Bool) {
        self.text = text
        self.highlights = highlights
        self.startsMidText = startsMidText
        self.endsMidText = endsMidText
    }
}
