import Testing
import TraTokenizer

@testable import TraRanking

@Suite struct SnippetTests {
    // MARK: Fixtures

    static let hanoi =
        "Hà Nội là thủ đô của nước Cộng hòa Xã hội chủ nghĩa Việt Nam. Thành phố nằm bên bờ sông Hồng, "
        + "có lịch sử hơn một nghìn năm. Năm 1010, vua Lý Thái Tổ dời đô từ Hoa Lư về thành Đại La và đặt "
        + "tên là Thăng Long. Ngày nay, Hà Nội nổi tiếng với phố cổ, hồ Hoàn Kiếm và những món ăn như phở, "
        + "bún chả và bánh cuốn."

    /// About 230 characters of text without "sông".
    static let autumn =
        "Mùa thu Hà Nội có hoa sữa thơm nồng, gió heo may se lạnh và những con phố nhỏ phủ đầy lá vàng. "
        + "Người ta thường dạo quanh hồ vào buổi tối, ăn kem Tràng Tiền và ngắm đèn lồng. Ai đã từng "
        + "sống ở đây đều nhớ mãi hương vị ấy của thủ đô. "

    /// About 240 characters of text that holds none of the query syllables of the tests below.
    static let filler =
        "Thành phố nằm bên bờ sông Hồng, có lịch sử hơn một nghìn năm. Năm 1010, vua Lý Thái Tổ dời đô "
        + "từ Hoa Lư về thành Đại La và đặt tên là Thăng Long. Ngày nay, thành phố nổi tiếng với phố cổ, "
        + "hồ Hoàn Kiếm và nhiều công viên rợp bóng cây xanh. "

    /// The analyzer's tokens of `text` and, for each, the index of the query syllable with the same
    /// canonical key (-1 for none).
    static func analyze(_ text: String, query: String) throws -> (tokens: [TokenSpan], groups: [Int32]) {
        let analyzer = try Analyzer()
        let queryKeys = try analyzer.tokens(query).map(\.key)
        var buffer = TokenBuffer()
        let utf8 = Array(text.utf8)
        try utf8.withUnsafeBufferPointer { (bytes) throws(ICUError) in try analyzer.analyze(bytes, into: &buffer) }
        let groups = buffer.spans.map { span in
            Int32(queryKeys.firstIndex(of: String(decoding: buffer.key(of: span), as: UTF8.self)) ?? -1)
        }
        return (buffer.spans, groups)
    }

    static func snippet(_ text: String, query: String, maxCharacters: Int = 200) throws -> Snippet {
        let (tokens, groups) = try analyze(text, query: query)
        return SnippetBuilder(maxCharacters: maxCharacters).snippet(of: text, tokens: tokens, matchGroup: groups)
    }

    /// The UTF-8 bytes of each highlight of `snippet`.
    static func highlightedBytes(_ snippet: Snippet) -> [[UInt8]] {
        let utf8 = Array(snippet.text.utf8)
        return snippet.highlights.map { Array(utf8[$0]) }
    }

    /// The highlights of `snippet` as strings.
    static func highlighted(_ snippet: Snippet) -> [String] {
        highlightedBytes(snippet).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Checks the invariants every snippet keeps: highlights ascending, disjoint, inside the text and
    /// on scalar boundaries; no white space but single spaces; no space at either end.
    static func checkInvariants(_ snippet: Snippet, sourceLocation: SourceLocation = #_sourceLocation) {
        let utf8 = Array(snippet.text.utf8)
        var previousEnd = 0
        for range in snippet.highlights {
            #expect(
                range.lowerBound >= previousEnd && range.lowerBound < range.upperBound, sourceLocation: sourceLocation)
            #expect(range.upperBound <= utf8.count, sourceLocation: sourceLocation)
            for offset in [range.lowerBound, range.upperBound] where offset < utf8.count {
                #expect(utf8[offset] & 0xC0 != 0x80, "highlight cuts a scalar", sourceLocation: sourceLocation)
            }
            previousEnd = range.upperBound
        }
        #expect(!snippet.text.hasPrefix(" ") && !snippet.text.hasSuffix(" "), sourceLocation: sourceLocation)
        #expect(!snippet.text.contains("  "), sourceLocation: sourceLocation)
        let otherWhiteSpace = snippet.text.unicodeScalars.contains { $0.properties.isWhitespace && $0 != " " }
        #expect(!otherWhiteSpace, sourceLocation: sourceLocation)
    }

    // MARK: Choosing the window

    @Test func theWindowHoldsTheDensestDistinctMatches() throws {
        // "phở" alone first, then all three query syllables together more than a window later.
        let body =
            "Buổi sáng ở Hà Nội thường bắt đầu bằng một bát phở nóng. " + Self.filler
            + "Người sành ăn thường gọi phở bò tái, nước dùng trong và thơm mùi quế hồi."
        let snippet = try Self.snippet(body, query: "phở bò tái")
        Self.checkInvariants(snippet)
        #expect(Self.highlighted(snippet) == ["phở bò tái"])
        #expect(!snippet.text.contains("bát phở"))
        #expect(snippet.startsMidText)
        #expect(!snippet.endsMidText)
        #expect(snippet.text.hasSuffix("thơm mùi quế hồi."))
        #expect(SnippetBuilder.characterCount(snippet.text) <= 200)
    }

    @Test func moreMatchedTokensBreakTiesThenTheEarlierWindow() throws {
        // Both windows hold the one distinct syllable; the later one holds it three times.
        let body = "Sông Hồng chảy qua Hà Nội. " + Self.autumn + "Sông Đà, sông Lô và sông Hồng."
        let later = try Self.snippet(body, query: "sông", maxCharacters: 60)
        Self.checkInvariants(later)
        #expect(later.text == "Sông Đà, sông Lô và sông Hồng.")
        #expect(later.highlights.count == 3)
        #expect(later.startsMidText && !later.endsMidText)
        // With the same number of matches, the earlier window wins.
        let equal = "Sông Hồng chảy qua Hà Nội. " + Self.autumn + "Sông Đà chảy qua Hòa Bình."
        let earlier = try Self.snippet(equal, query: "sông", maxCharacters: 60)
        Self.checkInvariants(earlier)
        #expect(earlier.text.hasPrefix("Sông Hồng chảy qua Hà Nội."))
        #expect(Self.highlighted(earlier) == ["Sông"])
        #expect(!earlier.startsMidText && earlier.endsMidText)
    }

    @Test func leadingContextStartsAtASentenceWithinReach() throws {
        let snippet = try Self.snippet(Self.hanoi, query: "thăng long")
        Self.checkInvariants(snippet)
        #expect(snippet.text.hasPrefix("Năm 1010, vua Lý Thái Tổ"))
        #expect(snippet.text.hasSuffix("bún chả và bánh cuốn."))
        #expect(Self.highlighted(snippet) == ["Thăng Long"])
        #expect(snippet.startsMidText && !snippet.endsMidText)
    }

    @Test func leadingContextIsAFewTokensWhenNoSentenceStartIsNear() throws {
        let body =
            Self.filler + "Ở đó có rất nhiều người bán hàng rong đi qua lại suốt ngày đêm bên chiếc cầu Long Biên "
            + "cũ kỹ bắc qua dòng sông đỏ nặng phù sa mà người dân vẫn yêu thương gọi là cầu sắt của thủ đô"
        let snippet = try Self.snippet(body, query: "long biên", maxCharacters: 80)
        Self.checkInvariants(snippet)
        #expect(Self.highlighted(snippet) == ["Long Biên"])
        #expect(!snippet.text.hasPrefix("Long"))
        #expect(snippet.text.hasPrefix("đêm bên chiếc cầu Long Biên"))
        #expect(snippet.startsMidText)
    }

    @Test func withoutAMatchTheWindowIsTheBeginningOfTheBody() throws {
        let snippet = try Self.snippet(Self.hanoi, query: "sài gòn", maxCharacters: 60)
        Self.checkInvariants(snippet)
        #expect(snippet.highlights.isEmpty)
        #expect(snippet.text == "Hà Nội là thủ đô của nước Cộng hòa Xã hội chủ nghĩa Việt Nam.")
        #expect(!snippet.startsMidText && snippet.endsMidText)
    }

    @Test func aBodyShorterThanTheWindowIsWhole() throws {
        let snippet = try Self.snippet(Self.hanoi, query: "hà nội", maxCharacters: 400)
        Self.checkInvariants(snippet)
        #expect(snippet.text == Self.hanoi)
        #expect(!snippet.startsMidText && !snippet.endsMidText)
        #expect(Self.highlighted(snippet) == ["Hà Nội", "Hà Nội"])
    }

    @Test func emptyAndBlankBodies() throws {
        for body in ["", "   ", "\r\n\t\u{00A0}"] {
            let snippet = try Self.snippet(body, query: "hà nội")
            #expect(snippet == Snippet(text: "", highlights: [], startsMidText: false, endsMidText: false))
            #expect(snippet.rendered(open: "[", close: "]") == "")
        }
    }

    @Test func aBodyWithoutTokensShowsItsBeginning() throws {
        let snippet = try Self.snippet(" 🎉🎉🎉 — !!! ", query: "hà nội")
        #expect(snippet.text == "🎉🎉🎉 — !!!")
        #expect(!snippet.startsMidText && !snippet.endsMidText)
        // Tokens that do not belong to the text are ignored rather than trusted.
        let (tokens, groups) = try Self.analyze(Self.hanoi, query: "hà nội")
        let short = SnippetBuilder(maxCharacters: 20).snippet(of: "Hà Nội", tokens: tokens, matchGroup: groups)
        #expect(short == Snippet(text: "Hà Nội", highlights: [], startsMidText: false, endsMidText: false))
    }

    // MARK: Bytes, scalars and characters

    @Test func charactersAreScalarsWithoutCombiningMarks() {
        #expect(SnippetBuilder.characterCount("Việt") == 4)
        #expect(SnippetBuilder.characterCount("Vie\u{0323}\u{0302}t") == 4)
        #expect(SnippetBuilder.characterCount("Hà  \r\n Nội") == 6)
        #expect(SnippetBuilder.characterCount("👍🏽") == 1)
        #expect(SnippetBuilder.characterCount("👨‍👩‍👧") == 1)
        #expect(SnippetBuilder.characterCount("🇻🇳") == 2)
    }

    @Test func highlightsAreByteExactOnNFC() throws {
        let body = Self.filler + "Đây là thủ đô của Việt Nam, một đất nước hình chữ S. " + Self.filler
        let snippet = try Self.snippet(body, query: "việt nam")
        Self.checkInvariants(snippet)
        #expect(Self.highlightedBytes(snippet) == [Array("Việt Nam".utf8)])
        let utf8 = Array(snippet.text.utf8)
        let range = try #require(snippet.highlights.first)
        #expect(Array(utf8[..<range.lowerBound]).suffix(1) == [0x20])
        #expect(utf8[range.upperBound] == UInt8(ascii: ","))
    }

    @Test func highlightsAreByteExactOnNFD() throws {
        let nfdVietNam = "Vie\u{0323}\u{0302}t Nam"
        let body = "Nu\u{031B}o\u{031B}\u{0301}c " + nfdVietNam + " co\u{0301} bo\u{0302}\u{0301}n mu\u{0300}a."
        let snippet = try Self.snippet(body, query: "việt nam")
        Self.checkInvariants(snippet)
        #expect(Array(snippet.text.utf8) == Array(body.utf8))
        #expect(Self.highlightedBytes(snippet) == [Array(nfdVietNam.utf8)])
        #expect(
            snippet.rendered(open: "[", close: "]").unicodeScalars.elementsEqual(
                "Nu\u{031B}o\u{031B}\u{0301}c [\(nfdVietNam)] co\u{0301} bo\u{0302}\u{0301}n mu\u{0300}a."
                    .unicodeScalars))
    }

    @Test func emojiBeforeAMatchShiftTheBytes() throws {
        let body = "🎉🇻🇳 Hôm nay là ngày Quốc khánh, cả nước treo cờ đỏ sao vàng 👍🏽 Hà 😀 Nội."
        let snippet = try Self.snippet(body, query: "quốc khánh hà nội")
        Self.checkInvariants(snippet)
        #expect(snippet.text == body)
        #expect(Self.highlighted(snippet) == ["Quốc khánh", "Hà", "Nội"])
        #expect(snippet.highlights.first?.lowerBound == Array("🎉🇻🇳 Hôm nay là ngày ".utf8).count)
        #expect(
            snippet.rendered(open: "**", close: "**")
                == "🎉🇻🇳 Hôm nay là ngày **Quốc khánh**, cả nước treo cờ đỏ sao vàng 👍🏽 **Hà** 😀 **Nội**.")
    }

    @Test func whiteSpaceRunsCollapseAndHighlightsFollow() throws {
        let body = "  Thủ   đô\t\tcủa Việt Nam\u{00A0}là  Hà\r\n\r\nNội\u{2003}từ năm 1976.\n"
        let snippet = try Self.snippet(body, query: "hà nội việt")
        Self.checkInvariants(snippet)
        #expect(snippet.text == "Thủ đô của Việt Nam là Hà Nội từ năm 1976.")
        #expect(Self.highlighted(snippet) == ["Việt", "Hà Nội"])
        #expect(!snippet.startsMidText && !snippet.endsMidText)
        #expect(snippet.rendered(open: "[", close: "]") == "Thủ đô của [Việt] Nam là [Hà Nội] từ năm 1976.")
    }

    @Test func crlfWikiBody() throws {
        let body =
            "== Lịch sử ==\r\nThăng Long là tên cũ của Hà Nội.\r\n\r\n== Địa lý ==\r\n"
            + "Hà Nội nằm ở đồng bằng sông Hồng.\r\n" + Self.filler.split(separator: ". ").joined(separator: ".\r\n")
        let head = try Self.snippet(body, query: "lịch sử", maxCharacters: 80)
        Self.checkInvariants(head)
        #expect(head.text.hasPrefix("== Lịch sử == Thăng Long là tên cũ của Hà Nội. == Địa lý =="))
        #expect(Self.highlighted(head) == ["Lịch sử"])
        #expect(!head.startsMidText && head.endsMidText)

        let geography = try Self.snippet(body, query: "đồng bằng", maxCharacters: 80)
        Self.checkInvariants(geography)
        #expect(geography.text.hasPrefix("Hà Nội nằm ở đồng bằng sông Hồng."))
        #expect(!geography.text.contains("\r") && !geography.text.contains("\n"))
        #expect(Self.highlighted(geography) == ["đồng bằng"])
    }

    @Test func adjacentHighlightsMergeOnlyAcrossWhiteSpace() throws {
        let body = "Việt Nam, Việt\u{00A0}\u{00A0}Nam và Việt-Nam."
        let snippet = try Self.snippet(body, query: "việt nam")
        #expect(snippet.text == "Việt Nam, Việt Nam và Việt-Nam.")
        #expect(Self.highlighted(snippet) == ["Việt Nam", "Việt Nam", "Việt", "Nam"])
    }

    // MARK: Edges

    @Test func ellipsisFlagsAndRendering() throws {
        let body = Self.filler + "Hồ Gươm còn gọi là hồ Hoàn Kiếm. " + Self.filler
        let snippet = try Self.snippet(body, query: "hồ gươm", maxCharacters: 100)
        Self.checkInvariants(snippet)
        #expect(snippet.startsMidText && snippet.endsMidText)
        let plain = snippet.rendered(open: "[", close: "]")
        #expect(plain.hasPrefix("…") && plain.hasSuffix("…"))
        #expect(plain.contains("[Hồ Gươm]") && plain.contains("[hồ]"))
        let ansi = snippet.rendered(open: "\u{1B}[1;33m", close: "\u{1B}[0m", ellipsis: "...")
        #expect(ansi.hasPrefix("...") && ansi.contains("\u{1B}[1;33mHồ Gươm\u{1B}[0m"))
        // Without flags there is no ellipsis; highlights out of order or range are clipped.
        let made = Snippet(
            text: "Hà Nội", highlights: [0..<3, 2..<5, 5..<99], startsMidText: false, endsMidText: false)
        #expect(made.rendered(open: "<", close: ">") == "<Hà>< N><ội>")
    }

    @Test func punctuationAtTheWindowEdges() throws {
        let body = Self.filler + "Bác nói: “Không có gì quý hơn độc lập, tự do”. " + Self.filler
        let snippet = try Self.snippet(body, query: "độc lập tự do", maxCharacters: 60)
        Self.checkInvariants(snippet)
        #expect(snippet.text.hasPrefix("“Không có gì quý hơn độc lập, tự do”."))
        #expect(Self.highlighted(snippet) == ["độc lập", "tự do"])
    }

    @Test func aTokenLongerThanTheWindowIsCutBeforeACharacter() throws {
        // 300 NFD "é": one token, 600 scalars; the cut keeps each base letter's mark.
        let word = String(repeating: "e\u{0301}", count: 300)
        let snippet = try Self.snippet(word + " là một từ rất dài.", query: word, maxCharacters: 200)
        Self.checkInvariants(snippet)
        #expect(snippet.text.unicodeScalars.count == 400)
        #expect(snippet.text.unicodeScalars.last == "\u{0301}")
        #expect(snippet.highlights == [0..<snippet.text.utf8.count])
        #expect(!snippet.startsMidText && snippet.endsMidText)

        // A long token before the match is left out rather than cut; one at the start of a body
        // without a match is cut.
        let digits = String(repeating: "1234567890", count: 30)
        let inBody = try Self.snippet("Số " + digits + " rất dài.", query: "rất", maxCharacters: 50)
        Self.checkInvariants(inBody)
        #expect(Self.highlighted(inBody) == ["rất"])
        let noMatch = try Self.snippet(digits + " rất dài.", query: "không", maxCharacters: 50)
        #expect(noMatch.text == String(digits.prefix(50)))
        #expect(!noMatch.startsMidText && noMatch.endsMidText)
    }

    @Test func aMegabyteBodyWithMatchesNearTheEnd() throws {
        var body = ""
        while body.utf8.count < 1 << 20 { body += Self.filler + "\n" }
        body += "Cuối cùng là phở bò tái của người Hà Nội."
        // Just run it: the window is chosen from the tokens near the matches, not by walking the text.
        let snippet = try Self.snippet(body, query: "phở bò tái")
        Self.checkInvariants(snippet)
        #expect(Self.highlighted(snippet) == ["phở bò tái"])
        #expect(snippet.startsMidText && !snippet.endsMidText)
    }
}
