import Testing
import TraTestSupport

@testable import TraRanking

@Suite struct QueryParserTests {
    private func clause(
        _ kind: QueryClause.Kind,
        _ occur: QueryClause.Occur = .should,
        _ field: QueryClause.Field? = nil
    ) -> QueryClause {
        QueryClause(occur: occur, field: field, kind: kind)
    }

    /// The description of the error `text` throws, or nil if it parses.
    private func failure(_ text: String, requireAll: Bool = false) -> String? {
        do {
            _ = try QueryParser.parse(text, requireAll: requireAll)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func bareWordsAreShouldClausesInQueryOrder() throws {
        let query = try QueryParser.parse("hội nghị asean")
        #expect(query.clauses == [clause(.text("hội")), clause(.text("nghị")), clause(.text("asean"))])
        #expect(query.notices.isEmpty)
    }

    @Test func signsOnlyAtTheStartOfAClause() throws {
        let query = try QueryParser.parse("+hà -nội Hồ-Chí-Minh covid-19 a+b")
        #expect(
            query.clauses == [
                clause(.text("hà"), .must), clause(.text("nội"), .mustNot), clause(.text("Hồ-Chí-Minh")),
                clause(.text("covid-19")), clause(.text("a+b")),
            ]
        )
        #expect(query.notices.isEmpty)
    }

    @Test func onlyTheFirstSignCounts() throws {
        let query = try QueryParser.parse("+-x --y -+z ++w")
        #expect(
            query.clauses == [
                clause(.text("-x"), .must), clause(.text("-y"), .mustNot), clause(.text("+z"), .mustNot),
                clause(.text("+w"), .must),
            ]
        )
    }

    @Test func fieldPrefixes() throws {
        let query = try QueryParser.parse("+title:hà body:nội TITLE:x Body:y -title:z")
        #expect(
            query.clauses == [
                clause(.text("hà"), .must, .title), clause(.text("nội"), .should, .body),
                clause(.text("x"), .should, .title), clause(.text("y"), .should, .body),
                clause(.text("z"), .mustNot, .title),
            ]
        )
        #expect(query.notices.isEmpty)
    }

    @Test func otherColonsStayText() throws {
        let query = try QueryParser.parse("url:http://x 10:30 titles:a title:body:b xtitle:c")
        #expect(
            query.clauses == [
                clause(.text("url:http://x")), clause(.text("10:30")), clause(.text("titles:a")),
                clause(.text("body:b"), .should, .title), clause(.text("xtitle:c")),
            ]
        )
        // A non-ASCII look-alike of the prefix is text too (U+0130 is not an ASCII 'I').
        #expect(try QueryParser.parse("T\u{130}TLE:x").clauses == [clause(.text("T\u{130}TLE:x"))])
    }

    @Test func phrases() throws {
        let query = try QueryParser.parse(#""Việt Nam" -"bóng đá""#)
        #expect(query.clauses == [clause(.phrase("Việt Nam")), clause(.phrase("bóng đá"), .mustNot)])
        #expect(query.notices.isEmpty)

        let fielded = try QueryParser.parse(#"+title:"Hà Nội" body:"thủ  đô""#)
        #expect(
            fielded.clauses == [clause(.phrase("Hà Nội"), .must, .title), clause(.phrase("thủ đô"), .should, .body)]
        )
    }

    @Test func curlyQuotes() throws {
        let query = try QueryParser.parse("“Việt Nam” „Hà Nội“ -”bóng đá”")
        #expect(
            query.clauses == [
                clause(.phrase("Việt Nam")), clause(.phrase("Hà Nội")), clause(.phrase("bóng đá"), .mustNot),
            ]
        )
        #expect(query.notices.isEmpty)
    }

    @Test func phraseWhiteSpaceIsCollapsedAndTrimmed() throws {
        let query = try QueryParser.parse("\" \t Việt\n\u{0}\u{3000}Nam  \"")
        #expect(query.clauses == [clause(.phrase("Việt Nam"))])
        #expect(query.notices.isEmpty)
    }

    @Test func aQuoteInsideAWordStartsAPhrase() throws {
        let query = try QueryParser.parse(#"a"b c"d"#)
        #expect(query.clauses == [clause(.text("a")), clause(.phrase("b c")), clause(.text("d"))])
        #expect(query.notices.isEmpty)

        // The phrase after the word has no sign or field of its own; a sign after a closing quote
        // starts a new clause.
        let signed = try QueryParser.parse(#"+title:a"b"+c viet*"x""#)
        #expect(
            signed.clauses == [
                clause(.text("a"), .must, .title), clause(.phrase("b")), clause(.text("c"), .must),
                clause(.prefix("viet")), clause(.phrase("x")),
            ]
        )
    }

    @Test func unbalancedQuoteReadsToTheEnd() throws {
        let query = try QueryParser.parse(#"title:"thủ đô"#)
        #expect(query.clauses == [clause(.phrase("thủ đô"), .should, .title)])
        #expect(query.notices == ["the quote opened at character 7 is not closed: read to the end of the query"])

        // The position counts Characters: "Việt" is 4 Characters whatever its normalization.
        let decomposed = try QueryParser.parse("Vie\u{323}\u{302}t \"Nam")
        #expect(decomposed.clauses == [clause(.text("Vie\u{323}\u{302}t")), clause(.phrase("Nam"))])
        #expect(decomposed.notices == ["the quote opened at character 6 is not closed: read to the end of the query"])
    }

    /// A star or a tilde at the end of a word in a phrase makes no prefix or fuzzy word: the phrase
    /// keeps its text (the analyzer drops them), and a notice says so, in query order with the
    /// notice of an unclosed quote; a star or tilde alone or inside a word is not noted.
    @Test func prefixAndFuzzyMarksInPhrasesAreNoted() throws {
        let query = try QueryParser.parse(#""chiến tran*" x "hà~ * a*b nội~~"#)
        #expect(
            query.clauses == [
                clause(.phrase("chiến tran*")), clause(.text("x")), clause(.phrase("hà~ * a*b nội~~")),
            ])
        #expect(
            query.notices == [
                "'tran*' at character 8 is in a phrase, which takes no prefix or typo tolerance: searched as 'tran'",
                "the quote opened at character 17 is not closed: read to the end of the query",
                "'hà~' at character 18 is in a phrase, which takes no prefix or typo tolerance: searched as 'hà'",
                "'nội~~' at character 28 is in a phrase, which takes no prefix or typo tolerance: searched as 'nội'",
            ])
        #expect(try QueryParser.parse(#""viet nam""#).notices.isEmpty)
    }

    @Test func emptyPhrasesAreDropped() throws {
        let query = try QueryParser.parse(#"a "" "  " b ""#)
        #expect(query.clauses == [clause(.text("a")), clause(.text("b"))])
        #expect(
            query.notices == [
                #"the phrase '""' at character 3 has nothing inside: dropped"#,
                // Excerpts show runs of white space as one space.
                #"the phrase '" "' at character 6 has nothing inside: dropped"#,
                "the quote opened at character 13 is not closed and nothing follows it: dropped",
            ]
        )
        #expect(failure(#""""#) == #"the query has nothing to search for (the phrase '""' is empty)"#)
        #expect(failure("-\"\t\"") == #"the query has nothing to search for (the phrase '-" "' is empty)"#)
    }

    @Test func prefixes() throws {
        let query = try QueryParser.parse("viet* +title:hà** -nam* a*b *c d*e*")
        #expect(
            query.clauses == [
                clause(.prefix("viet")), clause(.prefix("hà"), .must, .title), clause(.prefix("nam"), .mustNot),
                clause(.text("a*b")), clause(.text("*c")), clause(.prefix("d*e")),
            ]
        )
        #expect(query.notices.isEmpty)
    }

    @Test func starsAloneAreDropped() throws {
        let query = try QueryParser.parse("a * ** -*")
        #expect(query.clauses == [clause(.text("a"))])
        #expect(
            query.notices == [
                "'*' at character 3 has only stars, with no letters for them to complete: dropped",
                "'**' at character 5 has only stars, with no letters for them to complete: dropped",
                "'-*' at character 8 has only stars, with no letters for them to complete: dropped",
            ]
        )
        #expect(failure("*") == "the query has nothing to search for ('*' alone is not a query)")
        #expect(failure(" ** ") == "the query has nothing to search for ('**' alone is not a query)")
    }

    @Test func loneSignsAndFieldPrefixesAreDropped() throws {
        let query = try QueryParser.parse("+ a - title: +body:")
        #expect(query.clauses == [clause(.text("a"))])
        #expect(
            query.notices == [
                "'+' at character 1 has nothing after it: dropped",
                "'-' at character 5 has nothing after it: dropped",
                "'title:' at character 7 has nothing after it: dropped",
                "'+body:' at character 14 has nothing after it: dropped",
            ]
        )
        #expect(failure("-") == "the query has nothing to search for ('-' alone is not a query)")
        #expect(failure("+") == "the query has nothing to search for ('+' alone is not a query)")
        #expect(failure("title:") == "the query has nothing to search for ('title:' alone is not a query)")
    }

    @Test func emptyQueriesThrow() {
        #expect(failure("") == "the query is empty")
        #expect(failure(" \t\n\u{0}\u{85}\u{A0}\u{3000}\u{2028}") == "the query is empty")
        #expect(failure("\"") == "the query has nothing to search for (a quote with nothing after it is not a query)")
        #expect(throws: QueryError.self) { try QueryParser.parse("+ - * \"\" title:") }
    }

    @Test func queriesThatOnlyExcludeThrow() {
        #expect(failure("-x") == "the query only excludes ('-x'): add a word to search for")
        #expect(
            failure(#"-x -"bóng đá" -title:y -z"#, requireAll: true)
                == #"the query only excludes ('-x', '-"bóng đá"', '-title:y', …): add a word to search for"#
        )
        // A dropped piece does not count as something to search for.
        #expect(failure("-x *") == "the query only excludes ('-x'): add a word to search for")
        #expect(throws: Never.self) { try QueryParser.parse("-x y") }
    }

    @Test func requireAllTurnsShouldIntoMust() throws {
        let query = try QueryParser.parse(#"a +b -c "d e" title:f*"#, requireAll: true)
        #expect(
            query.clauses == [
                clause(.text("a"), .must), clause(.text("b"), .must), clause(.text("c"), .mustNot),
                clause(.phrase("d e"), .must), clause(.prefix("f"), .must, .title),
            ]
        )
    }

    @Test func controlCharactersAndNULSeparateClauses() throws {
        let query = try QueryParser.parse("a\u{0}b\u{1}c\u{1F}d\u{7F}e\u{80}f\u{9F}g\u{85}h\u{2003}i\u{202F}j")
        #expect(query.clauses.map(\.kind) == "abcdefghij".map { QueryClause.Kind.text(String($0)) })
        #expect(query.notices.isEmpty)
        // A sign followed by a control character is a lone sign.
        let signed = try QueryParser.parse("+\u{0}x")
        #expect(signed.clauses == [clause(.text("x"))])
        #expect(signed.notices == ["'+' at character 1 has nothing after it: dropped"])
    }

    @Test func separatorsAreWhiteSpaceAndControls() {
        var mismatches: [String] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let expected = scalar.properties.isWhitespace || value < 0x20 || (0x7F...0x9F).contains(value)
            if QueryParser.isSeparator(scalar) != expected { mismatches.append("U+\(String(value, radix: 16))") }
        }
        #expect(mismatches.isEmpty)
        // Format characters that are not White_Space stay in the text.
        #expect(!QueryParser.isSeparator("\u{200B}"))
        #expect(!QueryParser.isSeparator("\u{FEFF}"))
    }

    @Test func clausesBeyondTheLimitAreDropped() throws {
        let words = (0..<10_000).map { "từ\($0)" }
        let query = try QueryParser.parse(words.joined(separator: " "), maxClauses: 1024)
        #expect(query.clauses.count == 1024)
        #expect(query.clauses.first == clause(.text("từ0")))
        #expect(query.clauses.last == clause(.text("từ1023")))
        #expect(
            query.notices == ["the query has 10000 clauses, more than the 1024 allowed: the last 8976 were dropped"]
        )
        // An unclosed phrase beyond the limit is dropped with the other clauses, without a notice of
        // its own.
        let unclosed = try QueryParser.parse(#"a b "c d"#, maxClauses: 2)
        #expect(unclosed.clauses == [clause(.text("a")), clause(.text("b"))])
        #expect(unclosed.notices == ["the query has 3 clauses, more than the 2 allowed: the last one was dropped"])
        // A limit below 1 is read as 1.
        let one = try QueryParser.parse("a b", maxClauses: 0)
        #expect(one.clauses == [clause(.text("a"))])
        #expect(one.notices == ["the query has 2 clauses, more than the 1 allowed: the last one was dropped"])
    }

    @Test func noticesAreListedUpToALimit() throws {
        let query = try QueryParser.parse(String(repeating: "* ", count: 40) + "x")
        #expect(query.clauses == [clause(.text("x"))])
        #expect(query.notices.count == QueryParser.maximumListedNotices + 1)
        let first = "'*' at character 1 has only stars, with no letters for them to complete: dropped"
        #expect(query.notices.first == first)
        #expect(query.notices.last == "24 more pieces were dropped (only the first 16 notices are listed)")
    }

    @Test func unusualInputNeverTraps() throws {
        // Lone surrogates cannot be in a String; these are the oddities that can.
        let odd = "\u{FFFF}\u{10FFFF} \u{E000}* \u{301}\"\u{301} \u{FEFF}title:\u{200D} \u{1F1FB}\u{1F1F3}* -\u{0}"
        let query = try QueryParser.parse(odd)
        #expect(
            query.clauses == [
                clause(.text("\u{FFFF}\u{10FFFF}")), clause(.prefix("\u{E000}")), clause(.text("\u{301}")),
                clause(.phrase("\u{301} \u{FEFF}title:\u{200D} \u{1F1FB}\u{1F1F3}* -")),
            ]
        )
        // The unclosed quote, and the star after the flag inside the phrase.
        #expect(query.notices.count == 2)
        #expect(query.notices.last?.hasPrefix("'\u{1F1FB}\u{1F1F3}*' at character") == true)

        // Quotes repeated many times: pairs of empty phrases, then one unclosed quote.
        let quotes = String(repeating: "\"", count: 100_001)
        #expect(failure(quotes) == #"the query has nothing to search for (the phrase '""' is empty)"#)
        let quotesAndWord = try QueryParser.parse(quotes + "x")
        #expect(quotesAndWord.clauses == [clause(.phrase("x"))])
        #expect(quotesAndWord.notices.count == QueryParser.maximumListedNotices + 2)
        #expect(
            quotesAndWord.notices.suffix(2) == [
                "the quote opened at character 100001 is not closed: read to the end of the query",
                "49984 more pieces were dropped (only the first 16 notices are listed)",
            ]
        )
    }

    @Test func randomQueriesKeepTheInvariants() {
        let pieces = [
            "hà", "Nội", "+", "-", "*", "\"", "“", "”", "„", "title:", "BODY:", ":", " ", "\t", "\u{0}", "\u{85}",
            "\u{3000}", "\u{301}", "\u{1F1FB}", "a", "\r\n",
        ]
        var random = SeededRandom(seed: 42)
        for round in 0..<2_000 {
            let text: String
            if round % 4 == 0 {
                text = String(decoding: random.bytes(random.next(below: 40)), as: UTF8.self)
            } else {
                text = (0..<random.next(below: 24)).map { _ in pieces[random.next(below: pieces.count)] }.joined()
            }
            let maxClauses = 1 + random.next(below: 6)
            guard let query = try? QueryParser.parse(text, requireAll: round % 2 == 0, maxClauses: maxClauses)
            else { continue }
            #expect(!query.clauses.isEmpty && query.clauses.count <= maxClauses, "\(text.debugDescription)")
            #expect(query.clauses.contains { $0.occur != .mustNot }, "\(text.debugDescription)")
            #expect(round % 2 != 0 || !query.clauses.contains { $0.occur == .should }, "\(text.debugDescription)")
            #expect(query.notices.count <= QueryParser.maximumListedNotices + 3, "\(text.debugDescription)")
            for clause in query.clauses {
                switch clause.kind {
                case .text(let word):
                    #expect(!word.isEmpty && !word.unicodeScalars.contains(where: QueryParser.isSeparator))
                    #expect(!word.unicodeScalars.contains(where: QueryParser.isQuote))
                case .prefix(let stem):
                    #expect(!stem.isEmpty && !stem.unicodeScalars.contains(where: QueryParser.isSeparator))
                    #expect(stem.unicodeScalars.last != "*")
                case .phrase(let inside):
                    #expect(!inside.isEmpty && !inside.unicodeScalars.contains(where: QueryParser.isQuote))
                    #expect(inside.unicodeScalars.first != " " && inside.unicodeScalars.last != " ")
                    #expect(!inside.contains("  "))
                    let otherSeparators = inside.unicodeScalars.contains { $0 != " " && QueryParser.isSeparator($0) }
                    #expect(!otherSeparators, "\(text.debugDescription)")
                }
            }
        }
    }

    @Test func largeQueriesParseInLinearTime() throws {
        // About 1 MB of each kind of piece; a quadratic step would take minutes here.
        let clock = ContinuousClock()
        let pieces = ["hà ", "-\"bóng đá\" ", "viet* ", "* ", "\"", "title: ", "a\"b\"", "\u{0}"]
        for piece in pieces {
            let text = "tra " + String(repeating: piece, count: 1_000_000 / piece.utf8.count)
            let elapsed = clock.measure {
                #expect(throws: Never.self) { try QueryParser.parse(text) }
            }
            #expect(elapsed < .seconds(20), "\(piece.debugDescription): \(elapsed)")
        }
        // One word and one phrase of 1 MB.
        let word = try QueryParser.parse(String(repeating: "ắ", count: 500_000))
        #expect(word.clauses.count == 1)
        let phrase = try QueryParser.parse("\"" + String(repeating: "ắ ", count: 300_000))
        #expect(phrase.clauses.count == 1)
        #expect(phrase.notices == ["the quote opened at character 1 is not closed: read to the end of the query"])
    }
}

@Suite struct QueryParserFuzzyTests {
    @Test func trailingTildesMakeAFuzzyWord() throws {
        let query = try QueryParser.parse("chó~ +title:viet~~ nam a~b ~x")
        #expect(
            query.clauses == [
                QueryClause(occur: .should, field: nil, kind: .text("chó"), isFuzzy: true),
                QueryClause(occur: .must, field: .title, kind: .text("viet"), isFuzzy: true),
                QueryClause(occur: .should, field: nil, kind: .text("nam")),
                QueryClause(occur: .should, field: nil, kind: .text("a~b")),
                QueryClause(occur: .should, field: nil, kind: .text("~x")),
            ])
        #expect(query.notices.isEmpty)
    }

    @Test func tildesAloneAreDroppedAndPrefixesAreNotFuzzy() throws {
        let query = try QueryParser.parse("viet ~~ nam*~")
        #expect(
            query.clauses == [
                QueryClause(occur: .should, field: nil, kind: .text("viet")),
                QueryClause(occur: .should, field: nil, kind: .prefix("nam")),
            ])
        #expect(
            query.notices == [
                "'~~' at character 6 has only tildes, with no word for them to make fuzzy: dropped",
                "'nam*~' at character 9 is a prefix: prefixes are not fuzzy",
            ])
        #expect(throws: QueryError.self) { try QueryParser.parse("~") }
        #expect(throws: QueryError.self) { try QueryParser.parse("-chó~") }
    }
}
