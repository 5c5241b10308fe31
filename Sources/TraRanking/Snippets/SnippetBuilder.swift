import TraTokenizer

/// Chooses the window of a document's body that shows the most of the query and marks the matched
/// syllables in it.
///
/// ## Characters
///
/// ``maxCharacters`` counts user-perceived characters, estimated from Unicode scalars without
/// grapheme segmentation: every scalar counts one except grapheme extenders (the combining marks
/// U+0300-U+036F and every other nonspacing or enclosing mark, variation selectors, ZWNJ, emoji
/// skin-tone modifiers), the zero-width joiner and the scalar right after a joiner; a run of white
/// space counts one, as it is shown as one space. So NFC and NFD "Việt" both count 4, "👍🏽"
/// counts 1 and a family emoji joined by ZWJs counts 1; a flag (two regional indicators) counts 2.
///
/// ## The window
///
/// - The window holds the most distinct match groups (query syllables) that fit in
///   ``maxCharacters``; among those, the most matched tokens; among those, the earliest.
/// - It starts at a token start and ends at a token end, never inside a syllable, a multi-byte
///   scalar or a base letter's combining marks. Before the first match it keeps the nearest
///   sentence start (the body's start, a line break, `.` `!` `?` `…` followed by white space, or
///   an opening quote after white space) when that is within half of the room left, else up to 5
///   tokens of context in a quarter of it; the rest of the room goes after the last match, and
///   when the body ends first, before the window again (back to the earliest sentence start that
///   fits).
/// - Without a match (a hit on the title only) it is the beginning of the body.
/// - At its edges it may keep a little text that is not a token: opening brackets and quotes
///   attached to its first token, closing punctuation (`.` `,` `”` `)` ...) attached to its last
///   one, and the body's whole head or tail when the window reaches it and it is at most 16
///   characters ("== Lịch sử ==", "🎉 "). So the text can exceed ``maxCharacters`` by that much.
/// - A single token longer than ``maxCharacters`` (a URL, a run of digits, a body of one word) is
///   cut after ``maxCharacters`` characters, before a scalar that counts: the text stays valid
///   UTF-8 and no base letter loses its marks; ``Snippet/endsMidText`` is then true.
///
/// The text is the original slice with every run of white space (spaces, CR, LF, tabs, NBSP and
/// the other Unicode white space) shown as one space and none at either end. Each matched token is
/// highlighted by its UTF-8 byte range in that text; matched tokens separated only by white space
/// (or by nothing) share one highlight, so "Việt Nam" is one range.
///
/// - Complexity: O(t + w) where t is the number of tokens (one pass over the spans and the match
///   groups) and w the bytes the window spans, plus, between consecutive matches, at most the
///   bytes of ``maxCharacters`` characters: the body outside the matches' neighbourhood is never
///   decoded, so a 1 MB body costs about as much as its token list.
public struct SnippetBuilder: Sendable {
    /// The window's length in characters (see the type's documentation). Values below 1 read as 1.
    public var maxCharacters: Int

    /// Tokens of context kept before the first match when no sentence start is within reach.
    static let leadingContextTokens = 5
    /// The most characters of non-token text kept at the body's head or tail.
    static let edgeCharacters = 16

    /// A builder of windows of about `maxCharacters` characters.
    public init(maxCharacters: Int = 200) {
        self.maxCharacters = maxCharacters
    }

    /// The snippet of `text` for a hit.
    ///
    /// - Parameters:
    ///   - text: The body as stored.
    ///   - tokens: The analyzer's tokens of `text`: UTF-8 byte ranges of `text`, ascending. Tokens
    ///     that are not well-formed (overlapping, out of range, or cutting a scalar) are all
    ///     ignored and the snippet is the beginning of the body.
    ///   - matchGroup: For each token, -1 when it did not match the query, else the index of the
    ///     query syllable it matched. Missing entries read as -1.
    public func snippet(of text: String, tokens: [TokenSpan], matchGroup: [Int32]) -> Snippet {
        var text = text
        let budget = min(max(1, maxCharacters), 1 << 40)
        return text.withUTF8 { bytes in
            SnippetLayout(bytes: bytes, tokens: tokens, matchGroup: matchGroup, budget: budget).snippet()
        }
    }

    /// The characters of `text` as ``maxCharacters`` counts them.
    static func characterCount(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { bytes in
            SnippetLayout(bytes: bytes, tokens: [], matchGroup: [], budget: 1)
                .characters(0..<bytes.count, cap: .max)
        }
    }
}

/// The window arithmetic over the UTF-8 bytes of one body.
struct SnippetLayout {
    let bytes: UnsafeBufferPointer<UInt8>
    let tokens: [TokenSpan]
    let matchGroup: [Int32]
    let budget: Int
    /// Set when there are no usable tokens: the text without white space at its ends, read as one
    /// token that matched nothing.
    private(set) var wholeText: Range<Int>?

    init(bytes: UnsafeBufferPointer<UInt8>, tokens: [TokenSpan], matchGroup: [Int32], budget: Int) {
        self.bytes = bytes
        self.matchGroup = matchGroup
        self.budget = budget
        var usable = !tokens.isEmpty
        var previousEnd = 0
        for span in tokens {
            guard span.start >= previousEnd, span.start < span.end, span.end <= bytes.count,
                Self.isScalarBoundary(bytes, span.start), Self.isScalarBoundary(bytes, span.end)
            else {
                usable = false
                break
            }
            previousEnd = span.end
        }
        self.tokens = usable ? tokens : []
        self.wholeText = nil
        if !usable { wholeText = trimmedWhiteSpace(0..<bytes.count) }
    }

    private static func isScalarBoundary(_ bytes: UnsafeBufferPointer<UInt8>, _ offset: Int) -> Bool {
        offset == bytes.count || bytes[offset] & 0xC0 != 0x80
    }

    // MARK: Tokens

    var tokenCount: Int { wholeText == nil ? tokens.count : 1 }

    func start(_ index: Int) -> Int { wholeText?.lowerBound ?? tokens[index].start }

    func end(_ index: Int) -> Int { wholeText?.upperBound ?? tokens[index].end }

    func isMatch(_ index: Int) -> Bool {
        wholeText == nil && index < matchGroup.count && matchGroup[index] >= 0
    }

    /// Characters of token `index`, counted up to `budget + 1`.
    func tokenCharacters(_ index: Int) -> Int {
        characters(start(index)..<end(index), cap: budget + 1)
    }

    /// Characters between token `index - 1` and token `index`, counted up to `budget + 1`.
    func gapCharacters(_ index: Int) -> Int {
        characters(end(index - 1)..<start(index), cap: budget + 1)
    }

    /// Whether token `index` begins a sentence: the first token, one after a line break, after
    /// `.` `!` `?` `…` (and closing quotes or brackets) and white space, or after white space and
    /// an opening quote (quoted speech: `Bác nói: “Không ...`).
    func isSentenceStart(_ index: Int) -> Bool {
        guard index > 0 else { return true }
        var offset = end(index - 1)
        let limit = start(index)
        var sawTerminator = false
        var sawSpace = false
        var opened = false
        while offset < limit {
            let (scalar, length) = decode(at: offset)
            offset += length
            switch scalar {
            case 0x0A, 0x0D, 0x2028, 0x2029:
                return true
            case 0x2E, 0x21, 0x3F, 0x2026:
                (sawTerminator, sawSpace, opened) = (true, false, false)
            case _ where Self.isWhiteSpace(scalar):
                if sawTerminator { return true }
                (sawSpace, opened) = (true, false)
            case _ where Self.isOpeningQuote(scalar) && (sawSpace || opened):
                opened = true
            case _ where Self.isClosingPunctuation(scalar):
                (sawSpace, opened) = (false, false)
            default:
                (sawTerminator, sawSpace, opened) = (false, false, false)
            }
        }
        return opened
    }

    // MARK: Choosing the window

    func snippet() -> Snippet {
        guard tokenCount > 0, wholeText?.isEmpty != true else {
            return Snippet(text: "", highlights: [], startsMidText: false, endsMidText: false)
        }
        let (first, last) = bestMatches() ?? (0, 0)
        return render(window(first: first, last: last))
    }

    /// The token indices of the first and last match of the best run of matches, or nil when
    /// nothing matched.
    func bestMatches() -> (first: Int, last: Int)? {
        var matches: [Int] = []
        if wholeText == nil {
            for index in 0..<min(tokens.count, matchGroup.count) where matchGroup[index] >= 0 {
                matches.append(index)
            }
        }
        guard !matches.isEmpty else { return nil }
        // Sliding window over the matches: `span` is the characters from the start of
        // matches[left] to the end of matches[right]; sizes past the budget are capped, which
        // keeps the arithmetic exact enough to compare with it.
        var sizes = [Int](repeating: 0, count: matches.count)
        var gaps = [Int](repeating: 0, count: matches.count)
        var groupCounts: [Int32: Int] = [:]
        var distinct = 0
        var left = 0
        var span = 0
        var best = (distinct: 0, count: 0, first: 0, last: 0)
        for right in matches.indices {
            let token = matches[right]
            sizes[right] = tokenCharacters(token)
            if right == 0 {
                span = sizes[right]
            } else {
                let previous = matches[right - 1]
                // Every token between the two matches counts at least one character.
                gaps[right] =
                    token - previous - 1 > budget
                    ? budget + 1 : characters(end(previous)..<start(token), cap: budget + 1)
                span += gaps[right] + sizes[right]
            }
            let group = matchGroup[token]
            groupCounts[group, default: 0] += 1
            if groupCounts[group] == 1 { distinct += 1 }
            while left < right && span > budget {
                span -= sizes[left] + gaps[left + 1]
                let leaving = matchGroup[matches[left]]
                groupCounts[leaving, default: 1] -= 1
                if groupCounts[leaving] == 0 { distinct -= 1 }
                left += 1
            }
            let count = right - left + 1
            if distinct > best.distinct || (distinct == best.distinct && count > best.count) {
                best = (distinct, count, matches[left], matches[right])
            }
        }
        return (best.first, best.last)
    }

    /// The chosen tokens `first...last`, and the byte offset where a token longer than the budget
    /// is cut (nil when the window ends at a token end).
    struct Window {
        var first: Int
        var last: Int
        var cut: Int?
    }

    /// Widens the matches `first...last` with context to fill the budget.
    func window(first matchStart: Int, last matchEnd: Int) -> Window {
        var first = matchStart
        var last = matchEnd
        var span = characters(start(first)..<end(last), cap: budget + 1)
        if first == last && span > budget {
            let cut = scan(start(first)..<end(first), cap: budget).offset
            return Window(first: first, last: last, cut: cut)
        }
        if first > 0 && isMatch(matchStart) {
            let lead = leadingContext(before: first, room: budget - span)
            first = lead.first
            span += lead.characters
        }
        while last + 1 < tokenCount {
            let step = gapCharacters(last + 1) + tokenCharacters(last + 1)
            guard span + step <= budget else { break }
            span += step
            last += 1
        }
        if last == tokenCount - 1 && first > 0 {
            // The body ended before the budget did: spend the rest before the window, starting at
            // the earliest sentence start that fits; a window already at a sentence start moves
            // only to an earlier one.
            var index = first
            var sentenceStart: Int?
            while index > 0 {
                let step = gapCharacters(index) + tokenCharacters(index - 1)
                guard span + step <= budget else { break }
                span += step
                index -= 1
                if isSentenceStart(index) { sentenceStart = index }
            }
            if let sentenceStart {
                first = sentenceStart
            } else if !isSentenceStart(first) {
                first = index
            }
        }
        return Window(first: first, last: last, cut: nil)
    }

    /// Where the window starts before the match at token `match`, and the characters that adds.
    func leadingContext(before match: Int, room: Int) -> (first: Int, characters: Int) {
        guard room > 0, !isSentenceStart(match) else { return (match, 0) }
        let sentenceReach = min(room, budget / 2)
        let contextReach = min(room, max(1, budget / 4))
        var fallback = (first: match, characters: 0)
        var index = match
        var added = 0
        while index > 0 {
            let step = gapCharacters(index) + tokenCharacters(index - 1)
            guard added + step <= sentenceReach else { break }
            added += step
            index -= 1
            if isSentenceStart(index) { return (index, added) }
            if match - index <= SnippetBuilder.leadingContextTokens && added <= contextReach {
                fallback = (index, added)
            }
        }
        return fallback
    }

    // MARK: The text

    /// The byte range of the window, with the non-token text kept at its edges.
    func byteRange(of window: Window) -> Range<Int> {
        let edge = SnippetBuilder.edgeCharacters
        let tokenStart = start(window.first)
        var lower = attachedOpening(before: tokenStart, window.first)
        if window.first == 0 {
            let head = trimmedWhiteSpace(0..<tokenStart).lowerBound
            if characters(head..<tokenStart, cap: edge + 1) <= edge { lower = head }
        }
        if let cut = window.cut { return lower..<cut }
        let tokenEnd = end(window.last)
        var upper = attachedClosing(after: tokenEnd, window.last)
        if window.last == tokenCount - 1 {
            let tail = max(tokenEnd, trimmedWhiteSpace(tokenEnd..<bytes.count).upperBound)
            if characters(tokenEnd..<tail, cap: edge + 1) <= edge { upper = tail }
        }
        return lower..<upper
    }

    /// The start of the opening brackets and quotes right before `offset` (the start of token
    /// `index`) when white space or the body's start precedes them, else `offset`.
    func attachedOpening(before offset: Int, _ index: Int) -> Int {
        let limit = index > 0 && wholeText == nil ? end(index - 1) : 0
        var lower = offset
        for _ in 0..<4 where lower > limit {
            let previous = scalarStart(before: lower)
            guard Self.isOpeningPunctuation(decode(at: previous).scalar) else { break }
            lower = previous
        }
        guard lower < offset else { return offset }
        if lower == 0 || Self.isWhiteSpace(decode(at: scalarStart(before: lower)).scalar) { return lower }
        return offset
    }

    /// The end of the closing punctuation right after `offset` (the end of token `index`) when
    /// white space or the body's end follows it, else `offset`.
    func attachedClosing(after offset: Int, _ index: Int) -> Int {
        let limit = index + 1 < tokenCount && wholeText == nil ? start(index + 1) : bytes.count
        var upper = offset
        for _ in 0..<4 where upper < limit {
            let (scalar, length) = decode(at: upper)
            guard Self.isClosingPunctuation(scalar) else { break }
            upper += length
        }
        guard upper > offset else { return offset }
        if upper == bytes.count || Self.isWhiteSpace(decode(at: upper).scalar) { return upper }
        return offset
    }

    /// `range` without white space at either end.
    func trimmedWhiteSpace(_ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        while lower < range.upperBound {
            let (scalar, length) = decode(at: lower)
            guard Self.isWhiteSpace(scalar) else { break }
            lower += length
        }
        var upper = range.upperBound
        while upper > lower {
            let previous = scalarStart(before: upper)
            guard Self.isWhiteSpace(decode(at: previous).scalar) else { break }
            upper = previous
        }
        return lower..<upper
    }

    func render(_ window: Window) -> Snippet {
        let range = byteRange(of: window)
        var output: [UInt8] = []
        output.reserveCapacity(range.count)
        var highlights: [Range<Int>] = []
        var pendingSpace = false

        func append(_ part: Range<Int>) {
            var offset = part.lowerBound
            while offset < part.upperBound {
                let (scalar, length) = decode(at: offset)
                let next = min(offset + length, part.upperBound)
                if Self.isWhiteSpace(scalar) {
                    pendingSpace = !output.isEmpty
                } else {
                    if pendingSpace { output.append(0x20) }
                    pendingSpace = false
                    output.append(contentsOf: bytes[offset..<next])
                }
                offset = next
            }
        }

        var cursor = range.lowerBound
        for index in window.first...window.last {
            let tokenStart = max(start(index), cursor)
            let tokenEnd = min(end(index), range.upperBound)
            append(cursor..<tokenStart)
            if pendingSpace {
                output.append(0x20)
                pendingSpace = false
            }
            let lower = output.count
            append(tokenStart..<tokenEnd)
            cursor = tokenEnd
            guard isMatch(index), output.count > lower else { continue }
            if let previous = highlights.last,
                lower == previous.upperBound
                    || (lower == previous.upperBound + 1 && output[previous.upperBound] == 0x20)
            {
                highlights[highlights.count - 1] = previous.lowerBound..<output.count
            } else {
                highlights.append(lower..<output.count)
            }
        }
        append(cursor..<range.upperBound)

        return Snippet(
            text: String(decoding: output, as: UTF8.self), highlights: highlights,
            startsMidText: !trimmedWhiteSpace(0..<range.lowerBound).isEmpty,
            endsMidText: !trimmedWhiteSpace(range.upperBound..<bytes.count).isEmpty)
    }

    // MARK: Scalars

    /// Characters in `range`, counted up to `cap`.
    func characters(_ range: Range<Int>, cap: Int) -> Int {
        scan(range, cap: cap).count
    }

    /// Counts the characters of `range` (see ``SnippetBuilder``) and stops before the one that
    /// would exceed `cap`: the count and the offset where the scan stopped.
    func scan(_ range: Range<Int>, cap: Int) -> (count: Int, offset: Int) {
        var count = 0
        var offset = range.lowerBound
        var inSpace = false
        var joined = false
        while offset < range.upperBound {
            let (scalar, length) = decode(at: offset)
            let counts: Bool
            if Self.isWhiteSpace(scalar) {
                counts = !inSpace
                inSpace = true
                joined = false
            } else {
                counts = !joined && !Self.isExtender(scalar)
                inSpace = false
                joined = scalar == 0x200D
            }
            if counts {
                guard count < cap else { break }
                count += 1
            }
            offset += length
        }
        return (count, offset)
    }

    /// The scalar at `offset` (a scalar boundary) and its length in bytes.
    func decode(at offset: Int) -> (scalar: UInt32, length: Int) {
        let lead = UInt32(bytes[offset])
        if lead < 0x80 { return (lead, 1) }
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        guard length > 1, offset + length <= bytes.count else { return (0xFFFD, 1) }
        var scalar = lead & (0x7F >> UInt32(length))
        for next in offset + 1..<offset + length {
            scalar = scalar << 6 | UInt32(bytes[next] & 0x3F)
        }
        return (scalar, length)
    }

    /// The start of the scalar that ends at `offset`.
    func scalarStart(before offset: Int) -> Int {
        var previous = offset - 1
        while previous > 0 && bytes[previous] & 0xC0 == 0x80 && offset - previous < 4 { previous -= 1 }
        return previous
    }

    /// White_Space scalars: the ones the analyzer reads as a space.
    static func isWhiteSpace(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// Scalars that do not count as a character: grapheme extenders, the joiner, skin tones.
    static func isExtender(_ scalar: UInt32) -> Bool {
        switch scalar {
        case ..<0x300: return false
        case 0x300...0x36F: return true
        case 0x1E00...0x1EFF: return false  // Latin Extended Additional: the precomposed Vietnamese vowels
        case 0x200D, 0x1F3FB...0x1F3FF: return true
        default: return Unicode.Scalar(scalar)?.properties.isGraphemeExtend ?? false
        }
    }

    static func isOpeningPunctuation(_ scalar: UInt32) -> Bool {
        switch scalar {
        // ( [ { " ' ¡ « ¿ ‘ “ „ ‹
        case 0x28, 0x5B, 0x7B, 0x22, 0x27, 0xA1, 0xAB, 0xBF, 0x2018, 0x201C, 0x201E, 0x2039: return true
        default: return false
        }
    }

    static func isOpeningQuote(_ scalar: UInt32) -> Bool {
        switch scalar {
        // " ' « ‘ “ „ ‹
        case 0x22, 0x27, 0xAB, 0x2018, 0x201C, 0x201E, 0x2039: return true
        default: return false
        }
    }

    static func isClosingPunctuation(_ scalar: UInt32) -> Bool {
        switch scalar {
        // . , ; : ! ? ) ] } " ' » ’ ” … ›
        case 0x2E, 0x2C, 0x3B, 0x3A, 0x21, 0x3F, 0x29, 0x5D, 0x7D, 0x22, 0x27, 0xBB, 0x2019, 0x201D, 0x2026, 0x203A:
            return true
        default: return false
        }
    }
}
