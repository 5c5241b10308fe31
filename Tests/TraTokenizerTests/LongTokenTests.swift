import Testing
import TraTokenizer

/// Tokens too long for any index key skip ICU's normalization, whose reordering of a run of
/// combining marks is quadratic in the run (see `KeyBuilder.maximumICUScalars`).
@Suite("Tokens longer than ICU is asked to normalize")
struct LongTokenTests {
    @Test("a token of more than 512 scalars keeps its text as both keys")
    func longTokenKeepsItsText() throws {
        let text = "a" + String(repeating: "\u{301}\u{323}", count: 50_000)
        let tokens = try Analyzer().tokens("x " + text + " việt")
        #expect(tokens.map(\.key).first == "x")
        #expect(tokens.map(\.key).last == "việt")
        let long = try #require(tokens.first { $0.text.unicodeScalars.count > 512 })
        #expect(long.key.unicodeScalars.elementsEqual(long.text.unicodeScalars))
        #expect(long.folded.unicodeScalars.elementsEqual(long.text.unicodeScalars))
        // Positions go on after it as after any token.
        #expect(tokens.map(\.position) == Array(0..<tokens.count))
    }

    @Test("up to 512 scalars, ICU still normalizes the token")
    func shorterTokensAreNormalized() throws {
        // 1 + 2 x 255 = 511 scalars: NFC puts the dot below (class 220) before the acute (230).
        let text = "a" + String(repeating: "\u{301}\u{323}", count: 255)
        let token = try #require(try Analyzer().tokens(text).first)
        #expect(!token.key.unicodeScalars.elementsEqual(token.text.unicodeScalars))
        #expect(!token.folded.unicodeScalars.contains { (0x300..<0x370).contains($0.value) })
    }

    @Test("a run of letters past 4,096 scalars is one token that keeps the keys of its first 4,096")
    func overlongRunStoresItsStartOnly() throws {
        let run = String(repeating: "a", count: 10_000)
        let tokens = try Analyzer().tokens("x " + run + " việt")
        #expect(tokens.map(\.position) == [0, 1, 2])
        #expect(tokens.map(\.key).last == "việt")
        let long = tokens[1]
        #expect(long.text == run)
        #expect(long.start == 2 && long.end == 10_002)
        // No index stores a key of more than 120 bytes: the keys of the start stand for the run.
        #expect(long.key == String(repeating: "a", count: 4_096))
        #expect(long.folded == long.key)
        // Inner punctuation still ends it, as it ends a short word: "b" is a token of its own.
        let split = try Analyzer().tokens(run + ".b'c")
        #expect(split.map(\.key) == [long.key, "b", "c"])
        #expect(split.map(\.start) == [0, 10_001, 10_003])
        #expect(split.first?.end == 10_000)
        // (Also when the punctuation comes right at the limit.)
        let atLimit = String(repeating: "a", count: 4_096)
        #expect(try Analyzer().tokens(atLimit + ".b").map(\.key) == [atLimit, "b"])
    }

    @Test("a long run of digits is cut as a run of letters is, and stays one number when it is one")
    func overlongDigitsStoreTheirStartOnly() throws {
        let analyzer = try Analyzer()
        let digits = String(repeating: "1", count: 5_000)
        let start = String(repeating: "1", count: 4_096)
        // A number so far, which what follows may keep whole: ".5" stays in it.
        let number = try analyzer.tokens(digits + ".5 x")
        #expect(number.map(\.key) == [start + ".5", "x"])
        #expect(number.map(\.start) == [0, 5_003])
        #expect(number.map(\.end) == [5_002, 5_004])
        #expect(number.map(\.position) == [0, 1])
        // A letter makes it a word split at the point: the run is a piece of its own.
        let split = try analyzer.tokens(digits + ".5a")
        #expect(split.map(\.key) == [start, "5a"])
        #expect(split.map(\.end) == [5_000, 5_003])
        // A long last piece of a number is cut too ("3.14159..."), the punctuation before it kept.
        let pi = "3." + String(repeating: "9", count: 10_000)
        let piece = "3." + String(repeating: "9", count: 4_094)
        let cut = try analyzer.tokens(pi + " x")
        #expect(cut.map(\.key) == [piece, "x"])
        #expect(cut.first?.text == pi)
        #expect(try analyzer.tokens(pi + ".7").map(\.key) == [piece + ".7"])
        // Pieces after the long one are given as a short number's would be.
        let lettered = try analyzer.tokens(pi + ".7b")
        #expect(lettered.map(\.key) == ["3", String(repeating: "9", count: 4_094), "7b"])
        #expect(lettered.map(\.end) == [1, 10_002, 10_005])
        // A letter inside the run, past what is stored, also splits it.
        let inside = try analyzer.tokens("3." + String(repeating: "9", count: 5_000) + "a9.7")
        #expect(inside.map(\.key) == ["3", String(repeating: "9", count: 4_094), "7"])
        #expect(inside.map(\.end) == [1, 5_004, 5_006])
        let last = try analyzer.tokens("3." + String(repeating: "9", count: 5_000) + "a x")
        #expect(last.map(\.key) == ["3", String(repeating: "9", count: 4_094), "x"])
        #expect(last.map(\.end) == [1, 5_003, 5_005])
    }

    @Test("a long run split at inner punctuation gives its pieces as short runs do")
    func longSplitRunGivesItsPieces() throws {
        let analyzer = try Analyzer()
        // 2,000 pieces, 11,890 scalars: the pieces before the limit are given ahead.
        let pieces = (0..<2_000).map { "Từ\($0)" }
        let dotted = try analyzer.tokens(pieces.joined(separator: ".") + " cuối")
        let spaced = try analyzer.tokens(pieces.joined(separator: " ") + " cuối")
        #expect(dotted.count == 2_001)
        #expect(dotted.map(\.key) == spaced.map(\.key))
        #expect(dotted.map(\.position) == spaced.map(\.position))
        #expect(dotted.map(\.start) == spaced.map(\.start))
        #expect(dotted.map(\.end) == spaced.map(\.end))
        // A number stays one token however long, unless a letter ends it ("1999a" is in it).
        let digits = (0..<2_000).map(String.init).joined(separator: ".")
        #expect(try analyzer.tokens(digits).map(\.key) == [digits])
        let lettered = try analyzer.tokens(digits + "a")
        #expect(lettered.map(\.key) == (0..<1_999).map(String.init) + ["1999a"])
        #expect(lettered.map(\.position) == Array(0..<2_000))
        // A letter at its start splits the whole run, the pieces past the limit too.
        #expect(try analyzer.tokens("x" + digits).map(\.key) == ["x0"] + (1..<2_000).map(String.init))
    }

    @Test("a letter with thousands of repeated marks keeps them all: its key may be short")
    func repeatedMarksAreNotCut() throws {
        let text = "a" + String(repeating: "\u{301}", count: 5_000) + "b"
        let tokens = try Analyzer().tokens(text)
        #expect(tokens.map(\.key) == ["áb"])
        #expect(tokens.first?.end == text.utf8.count)
    }
}
