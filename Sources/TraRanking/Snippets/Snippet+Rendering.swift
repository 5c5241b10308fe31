extension Snippet {
    /// The snippet as one string: ``text`` with each highlight wrapped in `open` and `close`, and
    /// `ellipsis` before it when ``startsMidText`` and after it when ``endsMidText``.
    ///
    /// The ellipsis is joined without a space ("…Hà Nội là thủ đô…"); pass "… " and " …" through
    /// your own concatenation if you want one. Highlights are used as ``SnippetBuilder`` makes them
    /// (ascending, not overlapping, inside ``text``); a range that overlaps the previous one is
    /// clipped to start after it and one past the end of ``text`` is clipped to it.
    ///
    /// ```swift
    /// snippet.rendered(open: "\u{1B}[1;33m", close: "\u{1B}[0m")  // a terminal
    /// snippet.rendered(open: "[", close: "]")                     // plain text
    /// ```
    public func rendered(open: String, close: String, ellipsis: String = "…") -> String {
        let utf8 = Array(text.utf8)
        var result = startsMidText ? ellipsis : ""
        var cursor = 0
        for range in highlights {
            let lower = min(max(range.lowerBound, cursor), utf8.count)
            let upper = min(max(range.upperBound, lower), utf8.count)
            guard lower < upper else { continue }
            result += String(decoding: utf8[cursor..<lower], as: UTF8.self)
            result += open
            result += String(decoding: utf8[lower..<upper], as: UTF8.self)
            result += close
            cursor = upper
        }
        result += String(decoding: utf8[cursor...], as: UTF8.self)
        if endsMidText { result += ellipsis }
        return result
    }
}
