import Testing

@testable import TraTokenizer

@Suite struct MarkConstraintTests {
    private func constraint(_ text: String) throws -> MarkConstraint {
        let token = try #require(try Analyzer().tokens(text).first)
        return try MarkConstraint(key: Array(token.key.utf8), folded: Array(token.folded.utf8))
    }

    private func admits(_ query: String, _ document: String) throws -> Bool {
        let token = try #require(try Analyzer().tokens(document).first)
        return try constraint(query).admits(Array(token.key.utf8))
    }

    @Test func unaccentedSyllablesMatchEveryVariant() throws {
        #expect(try constraint("duong").kind == .any)
        for variant in ["đường", "đương", "dương", "dưỡng", "duong"] {
            #expect(try admits("duong", variant), "duong should match \(variant)")
        }
    }

    @Test func typedStrokeIsAConstraintAndMissingVowelMarksAreWildcards() throws {
        #expect(try constraint("đuong").kind == .sameConsonants)
        #expect(try admits("đuong", "đường"))
        #expect(try admits("đuong", "đương"))
        #expect(try admits("Đuong", "ĐƯỜNG"))
        #expect(try !admits("đuong", "dương"))
        #expect(try !admits("đuong", "duong"))
    }

    @Test func vowelMarksMakeTheSyllableExact() throws {
        #expect(try constraint("dương").kind == .exact)
        #expect(try admits("dương", "dương"))
        #expect(try !admits("dương", "đương"))
        #expect(try !admits("dương", "dưỡng"))
        #expect(try !admits("dương", "duong"))
        // Either tone-placement convention, NFD or NFC, on either side.
        #expect(try admits("hoà", "hòa"))
        #expect(try admits("hòa", "hoà"))
        #expect(try admits("thuỷ", "thủy"))
        #expect(try admits("Vie\u{0302}\u{0323}t", "việt"))
        #expect(try !admits("hòa", "hóa"))
    }

    @Test func foreignLettersCountAsMarks() throws {
        #expect(try constraint("über").kind == .exact)
        #expect(try constraint("uber").kind == .any)
        #expect(try constraint("2024").kind == .any)
    }
}
