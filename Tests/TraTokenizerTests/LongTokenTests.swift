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
}
