import Testing
import TraTokenizer

@testable import TraRanking

/// Questions (queries ending with "?") leave their interrogative words out of the scoring.
@Suite struct QuestionWordTests {
    private let analyzer: Analyzer
    private let filter: QuestionWordFilter

    init() throws {
        analyzer = try Analyzer()
        filter = try QuestionWordFilter(analyzer: analyzer)
    }

    private func plan(_ text: String, keep: Bool = false, requireAll: Bool = false) throws -> QueryPlan {
        try QueryPlan(
            QueryParser.parse(text, requireAll: requireAll), analyzer: analyzer, questionWords: keep ? nil : filter)
    }

    private func searched(_ plan: QueryPlan) -> [String] { plan.syllables.map(\.text) }

    private func pairs(_ plan: QueryPlan) -> [String] {
        plan.pairs.map { "\(plan.syllables[$0.first].text) \(plan.syllables[$0.second].text)" }
    }

    @Test func aQuestionIsAQueryEndingWithAQuestionMark() throws {
        #expect(try QueryParser.parse("Paris ở đâu?").isQuestion)
        #expect(try QueryParser.parse("Paris ở đâu ？ \n").isQuestion)
        #expect(try QueryParser.parse("\"Paris ở đâu?\"").isQuestion == false)
        #expect(try QueryParser.parse("Paris ở đâu").isQuestion == false)
        #expect(try QueryParser.parse("? Paris").isQuestion == false)
    }

    @Test func questionWordsAreLeftOutOfQuestionsOnly() throws {
        let question = try plan("Tháp Eiffel cao bao nhiêu mét và xây năm nào?")
        #expect(searched(question) == ["Tháp", "Eiffel", "cao", "mét", "và", "xây", "năm"])
        #expect(question.notices.contains("question words not searched: bao nhiêu, nào (quote one to search for it)"))
        // No pair across a left-out word: "cao mét" and "năm" followed by nothing.
        #expect(pairs(question) == ["Tháp Eiffel", "Eiffel cao", "mét và", "và xây", "xây năm"])
        // Without the question mark, or when asked to keep them, every word is searched.
        #expect(searched(try plan("Tháp Eiffel cao bao nhiêu mét")).count == 6)
        #expect(searched(try plan("Tháp Eiffel cao bao nhiêu mét?", keep: true)).count == 6)
    }

    @Test func marksAndCaseAreMatchedByCanonicalKey() throws {
        // Upper case, NFD: the same words. An unaccented "gi" or "nao" is not taken for one
        // (it may be another word), but "ai" has no marks to miss.
        #expect(searched(try plan("GÌ la\u{0300}m nên Paris?")) == ["làm", "nên", "Paris"])
        #expect(searched(try plan("Paris co gi nao?")) == ["Paris", "co", "gi", "nao"])
        #expect(searched(try plan("ai xây Paris?")) == ["xây", "Paris"])
        // "bao" alone is a word (a bag, to cover): only "bao nhiêu" and "bao giờ" are questions.
        #expect(searched(try plan("bao tải ở đâu?")) == ["bao", "tải", "ở"])
    }

    @Test func namesAndExplicitClausesAreKept() throws {
        // Ai Cập (Egypt) begins like "ai"; a quoted, required, excluded or field-restricted
        // question word was asked for.
        #expect(searched(try plan("Kim tự tháp Ai Cập ở đâu?")) == ["Kim", "tự", "tháp", "Ai", "Cập", "ở"])
        #expect(searched(try plan("Paris có \"gì\"?")) == ["Paris", "có", "gì"])
        #expect(searched(try plan("Paris có +gì?")) == ["Paris", "có", "gì"])
        #expect(searched(try plan("Paris title:gì?")) == ["Paris", "gì"])
        #expect(searched(try plan("gì~ Paris?")) == ["gì", "Paris"])
        #expect(searched(try plan("Paris là gì?", requireAll: true)) == ["Paris", "là", "gì"])
        let excluded = try plan("Paris -gì?")
        #expect(searched(excluded) == ["Paris"])
        #expect(excluded.excludedSyllables.map(\.text) == ["gì"])
    }

    @Test func aQuestionOfQuestionWordsOnlyKeepsThem() throws {
        let only = try plan("ai? bao giờ?")
        #expect(searched(only) == ["ai", "bao", "giờ"])
        #expect(only.notices.isEmpty)
        // Multi-syllable clauses: a word of one clause may be cut in the middle.
        let hyphen = try plan("Paris-đâu?")
        #expect(searched(hyphen) == ["Paris"])
    }

    @Test("a piece without a word gets one notice however often it comes, and the list is bounded")
    func wordlessPiecesAreNoticedOnce() throws {
        let repeated = try plan("hà == nội == == việt ##")
        #expect(searched(repeated) == ["hà", "nội", "việt"])
        #expect(
            repeated.notices == [
                "'==' has no word to search for: ignored (3 times)", "'##' has no word to search for: ignored",
            ])
        let many = try plan("hà " + (0..<40).map { String(repeating: "=", count: $0 + 1) }.joined(separator: " "))
        #expect(many.notices.count == QueryParser.maximumListedNotices + 1)
        #expect(many.notices.last == "24 more pieces have no word to search for: ignored")
    }
}
