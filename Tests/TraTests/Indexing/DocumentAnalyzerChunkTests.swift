import Foundation
import Testing
import Tra
import TraIndex
import TraTestSupport
import TraTokenizer

/// A field longer than the chunk size is analyzed chunk by chunk; its tokens and positions must be
/// exactly those of the field analyzed at once, whatever the chunk size.
@Suite("DocumentAnalyzer chunks")
struct DocumentAnalyzerChunkTests {
    /// Every token of a field as (position, variant term bytes).
    static func tokens(_ field: AnalyzedField) -> [(position: UInt32, term: [UInt8])] {
        field.tokens.map { token in
            let term = field.terms[Int(token.term)]
            return (token.position, Array(field.termBytes[Int(term.start)..<Int(term.end)]))
        }
    }

    /// Expects `field` to hold the tokens the analyzer itself gives `text` (more than `count`).
    static func expectAnalyzerTokens(
        _ field: AnalyzedField, of text: String, moreThan count: Int = -1,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws {
        let reference = try Analyzer().tokens(text)
        #expect(field.tokens.count == reference.count && reference.count > count, sourceLocation: sourceLocation)
        for (token, analyzed) in zip(tokens(field), reference) {
            #expect(Int(token.position) == analyzed.position, sourceLocation: sourceLocation)
            #expect(
                token.term == [1] + Array(analyzed.folded.utf8) + [0] + Array(analyzed.key.utf8),
                sourceLocation: sourceLocation)
        }
    }

    static func expectSameTokens(
        _ text: String, chunkSizes: [Int], sourceLocation: Testing.SourceLocation = #_sourceLocation
    )
        throws
    {
        let whole = try DocumentAnalyzer(chunkSize: text.utf8.count + 1).analyze(text, as: .body)
        let expected = tokens(whole)
        // The whole field is what the analyzer itself yields.
        try expectAnalyzerTokens(whole, of: text, sourceLocation: sourceLocation)
        for size in chunkSizes {
            let chunked = try DocumentAnalyzer(chunkSize: size).analyze(text, as: .body)
            let actual = tokens(chunked)
            #expect(chunked.length == whole.length, "chunk size \(size)", sourceLocation: sourceLocation)
            #expect(actual.count == expected.count, "chunk size \(size)", sourceLocation: sourceLocation)
            let first = zip(actual, expected).enumerated().first {
                $1.0.position != $1.1.position || $1.0.term != $1.1.term
            }?.offset
            #expect(
                first == nil, "chunk size \(size): first difference at token \(first ?? -1)",
                sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [
        "Hà   Nội    là  thủ đô   của Việt     Nam",
        "Hà Nội\r\nlà thủ đô\r\n\r\nViệt Nam\r\n",
        "\tHà\tNội\u{0B}là\u{0C}thủ\n\n\nđô  ",
        "HàNộilàthủđôcủaViệtNamHàNộilàthủđô",
        "ThànhphốHồChíMinh Hà Nội ĐàNẵngHảiPhòngCầnThơ",
        "Vie\u{0302}\u{0323}t Nam \u{0301}Nam \u{0300}a \u{0323}\u{0302} ho\u{0300}a tho\u{0309}",
        "東京 タワー 😀 Việt_Nam e-mail a@b.com vi.wikipedia.org 1.000.000 3,14 2.5",
        "Hà\u{200B}Nội \u{200B}là \u{FEFF}thủ \u{00AD}đô\u{00A0}của\u{3000}Việt Nam",
        "Nam 's l'a . b ,c 1, 2 3 .4 Nam's",
        "   ",
        "",
        "a",
    ])
    func edgeCases(_ text: String) throws {
        try Self.expectSameTokens(text, chunkSizes: Array(1...12) + [16, 31])
    }

    @Test func corpusText() throws {
        let xquad = try TestData.jsonlStrings(
            TestData.corpus.appendingPathComponent("xquad-vi-docs.jsonl"), fields: ["body"])
        let viwiki = try TestData.jsonlStrings(
            TestData.corpus.appendingPathComponent("viwiki-sample.jsonl"), fields: ["title", "body"])
        let text = (xquad + viwiki.prefix(200)).joined(separator: "\n")
        #expect(text.utf8.count > 500_000)
        try Self.expectSameTokens(text, chunkSizes: [1, 7, 100, 4096, 65536])
    }

    /// Chinese and Japanese without spaces, cut at their punctuation: ICU's dictionary segments
    /// each run of ideographs the same way in the chunks as in the whole text.
    @Test func textWithoutSpaces() throws {
        let sentences = [
            "越南社会主义共和国是位于东南亚的国家，首都是河内，最大的城市是胡志明市。",
            "河内是越南的首都，也是越南第二大城市！人口超过八百万。",
            "東京は日本の首都であり、世界で最も人口の多い都市圏です。",
            "中华人民共和国成立于一九四九年？北京大学是中国著名的大学之一、历史悠久。",
            "ViệtNam。越南语使用拉丁字母，有六个声调。",
        ]
        let text = (0..<200).map { sentences[$0 % sentences.count] }.joined()
        #expect(!text.contains(" "))
        try Self.expectSameTokens(text, chunkSizes: [1, 5, 37, 100, 4096])
        // The cuts are after the punctuation.
        let end = Array(text.utf8).withUnsafeBufferPointer { DocumentAnalyzer.chunkEnd($0, from: 0, size: 100) }
        #expect(end < 100)
        #expect(String(decoding: Array(text.utf8)[..<end], as: UTF8.self).last == "，")
    }

    /// A run that goes to ICU whole (no white space or CJK punctuation to cut at, and a script or
    /// character the tables do not model) is refused past the ICU run limit, saying where it is;
    /// shorter runs, and runs of Latin letters (which the tables segment, whatever their length),
    /// are analyzed as before.
    @Test func runsTooLongForICUAreRefused() throws {
        let thai = "ประเทศไทยเป็นราชอาณาจักร"
        #expect(thai.utf8.count == 72)
        let analyzer = try DocumentAnalyzer(chunkSize: 64, icuRunLimit: 200)
        func expectRefused(
            _ text: String, run: Int, from start: Int, sourceLocation: Testing.SourceLocation = #_sourceLocation
        ) {
            do {
                _ = try analyzer.analyze(text, as: .body)
                Issue.record("a run of \(run) bytes was analyzed", sourceLocation: sourceLocation)
            } catch {
                #expect(error.kind == .user, sourceLocation: sourceLocation)
                #expect(
                    error.message.hasPrefix(
                        "the body has a run of \(run) bytes from byte \(start) with no white space"),
                    "\(error.message)", sourceLocation: sourceLocation)
                #expect(error.message.contains("at most 200 are segmented at once"), sourceLocation: sourceLocation)
            }
        }
        // 216 bytes of Thai after "Hà Nội " (10 bytes), then more text.
        expectRefused("Hà Nội " + String(repeating: thai, count: 3) + " Việt Nam", run: 216, from: 10)
        // "_" sends a run of Latin letters to ICU too.
        expectRefused(String(repeating: "ab_", count: 67) + " x", run: 201, from: 0)
        // The limit counts the run, not the field: runs of 144 bytes, many of them, a run of 200
        // (the limit) and 3,000 Latin letters without a space give the analyzer's own tokens.
        let text =
            (Array(repeating: String(repeating: thai, count: 2), count: 20) + [
                String(repeating: "abc", count: 1000), String(repeating: "ab_", count: 66) + "ab", "東京タワー",
            ]).joined(separator: " ")
        try Self.expectAnalyzerTokens(try analyzer.analyze(text, as: .body), of: text, moreThan: 100)
    }

    /// A word that may still be one token or many (a number of many parts, a letter under a run
    /// of combining marks) is refused past the word limit, saying where it starts; shorter ones,
    /// and runs of letters or digits (kept to their start whatever their length), are analyzed as
    /// before.
    @Test func wordsTooLongToHoldAreRefused() throws {
        let analyzer = try DocumentAnalyzer(chunkSize: 64, wordLimit: 8192)
        func expectRefused(
            _ text: String, from start: Int, sourceLocation: Testing.SourceLocation = #_sourceLocation
        ) {
            do {
                _ = try analyzer.analyze(text, as: .body)
                Issue.record(
                    "a word of \(text.unicodeScalars.count) characters was analyzed", sourceLocation: sourceLocation)
            } catch {
                #expect(
                    error.message.hasPrefix("the body has a word of more than 8192 characters from byte \(start) "),
                    "\(error.message)", sourceLocation: sourceLocation)
            }
        }
        expectRefused("số " + "1" + String(repeating: ".23", count: 3000) + " nhiều", from: 5)
        expectRefused("a" + String(repeating: "\u{0301}", count: 9000), from: 0)
        // 8,101 and 8,001 characters, a number split by its letter, runs of 20,000 digits and
        // letters: the analyzer's own tokens.
        let text = [
            "1" + String(repeating: ".23", count: 2700), "a" + String(repeating: "\u{0301}", count: 8000),
            "1" + String(repeating: ".23", count: 2000) + "x", String(repeating: "7", count: 20000),
            String(repeating: "abc", count: 7000), "Việt Nam",
        ].joined(separator: " ")
        try Self.expectAnalyzerTokens(try analyzer.analyze(text, as: .body), of: text, moreThan: 2000)
    }

    @Test func cutsFollowWhiteSpaceAndPreferLineBreaks() {
        func end(_ text: String, from start: Int = 0, size: Int) -> Int {
            Array(text.utf8).withUnsafeBufferPointer { DocumentAnalyzer.chunkEnd($0, from: start, size: size) }
        }
        #expect(end("ab cd\nef gh", size: 100) == 11)
        #expect(end("ab cd\nef gh", size: 9) == 6)  // the line break, in the second half
        #expect(end("ab cd\nef gh", size: 5) == 3)  // no line break: the last space
        #expect(end("abcdefgh ij", size: 3) == 9)  // no white space: extended to the next one
        #expect(end("abcdefghij", size: 3) == 10)
        #expect(end("ab \u{0301}cd ef", size: 5) == 8)  // not before a combining mark
        #expect(end("ab  cd", from: 3, size: 1) == 4)
        // After CJK punctuation followed by an ideograph (3 bytes each), not before other text.
        #expect(end("中文。中文", size: 10) == 9)
        #expect(end("中文。中文", size: 8) == 9)  // extended to the next cut
        #expect(end("中文，。a中", size: 7) == 16)
        #expect(end("中文abc", size: 4) == 9)
    }
}
