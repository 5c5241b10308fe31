/// The query language: Lucene-like clauses separated by white space, without parentheses or boolean
/// words. It works on the query string only; the engine analyzes each clause's text afterwards.
///
/// The grammar, clause by clause:
///
/// - Clauses are separated by white space: every Unicode White_Space character, and every control
///   character (U+0000-U+001F, U+007F-U+009F, NUL included).
/// - A bare word is a `.should` ``QueryClause/Kind/text(_:)`` clause, kept in query order.
/// - A leading `+` makes the clause `.must`, a leading `-` makes it `.mustNot`. Only the very first
///   character of a clause is a sign, and only one sign counts: the rest is the clause, so `+-x` is
///   a `.must` clause of the text "-x" and `--x` a `.mustNot` clause of the text "-x". A sign inside
///   a word is text ("Hồ-Chí-Minh", "covid-19").
/// - After the sign, an optional field prefix `title:` or `body:` (ASCII letters in any case:
///   `Title:`) restricts the clause to that field. Only one prefix counts (`title:body:x` is the
///   text "body:x" in the title); any other `word:` is plain text ("http://x", "10:30").
/// - A quote opens a phrase, ``QueryClause/Kind/phrase(_:)``; the straight quote `"` and the curly
///   quotes `“`, `”` and `„` are all quote characters, and any of them closes a phrase opened by
///   any other (“Hà Nội”, „Hà Nội“ and "Hà Nội" are the same phrase). A sign and a field prefix may
///   come before the quote (`-"bóng đá"`, `+title:"Hà Nội"`). A quote inside a word ends the word,
///   which becomes a clause of its own, and starts a new clause with no sign and no field
///   (`a"b c"d` is the text "a", the phrase "b c", the text "d"). After a closing quote a new
///   clause starts, as after white space. Inside a phrase, runs of white space become one space and
///   the white space at either end is removed. A phrase with nothing but white space inside is
///   dropped; a quote that is never closed reads to the end of the query. A phrase takes no prefix
///   and no typo tolerance: a word in it ending with `*` or `~` is searched without them (the
///   analyzer drops them), with a notice.
/// - A word ending with one or more `*` after at least one other character is a prefix,
///   ``QueryClause/Kind/prefix(_:)`` of the word without its trailing stars (`viet*`, `viet**`). A
///   word made only of stars is dropped; a `*` anywhere else stays in the text (`*a`, `a*b`).
/// - A word ending with one or more `~` after at least one other character is a fuzzy word
///   (``QueryClause/isFuzzy``, typo tolerance) of the word without its trailing tildes (`chó~`). A
///   word made only of tildes is dropped; `~` anywhere else stays in the text. Stars before the
///   tildes make a prefix, which is never fuzzy (`viet*~` is the prefix `viet`, with a notice).
/// - A sign or a field prefix with nothing after it (`+`, `-`, `title:`, `-body:`) is dropped.
///
/// Every dropped piece, an unclosed quote and clauses beyond `maxClauses` each add a sentence to
/// ``Query/notices``, giving positions as 1-based counts of Characters, in query order. At most
/// ``maximumListedNotices`` dropped pieces are listed one by one and one more sentence counts the
/// rest, so that a pathological query cannot make a pathological list; the notice of an unclosed
/// quote (there is at most one) and the notice of clauses beyond `maxClauses` are always listed.
/// Parsing is linear in the length of the query.
public enum QueryParser {
    /// How many notices of dropped pieces are listed one by one before the rest are only counted.
    public static let maximumListedNotices = 16

    /// Parses `text` into clauses.
    ///
    /// - Parameters:
    ///   - text: The query as the user wrote it.
    ///   - requireAll: Turns every `.should` clause into `.must` (the CLI's `--all`); `.mustNot`
    ///     clauses stay as they are.
    ///   - maxClauses: Keeps the first `maxClauses` clauses and drops the rest with a notice. Values
    ///     below 1 are read as 1.
    /// - Throws: ``QueryError`` if the query yields no clause (it is empty, only white space, or only
    ///   pieces that were dropped) or if every clause is `.mustNot`.
    public static func parse(
        _ text: String,
        requireAll: Bool = false,
        maxClauses: Int = 1024
    ) throws(QueryError) -> Query {
        var scanner = QueryScanner(text, maxClauses: max(1, maxClauses))
        scanner.run()

        if scanner.clauses.isEmpty {
            if let reason = scanner.firstDropReason {
                throw QueryError(description: "the query has nothing to search for (\(reason))")
            }
            throw QueryError(description: "the query is empty")
        }
        if scanner.clauses.allSatisfy({ $0.occur == .mustNot }) {
            var shown = scanner.excludedExcerpts.map { "'\($0)'" }
            if scanner.clauses.count > shown.count { shown.append("…") }
            throw QueryError(
                description: "the query only excludes (\(shown.joined(separator: ", "))): add a word to search for"
            )
        }

        var notices = scanner.notices
        if scanner.unlistedNoticeCount > 0 {
            let count = scanner.unlistedNoticeCount
            notices.append(
                "\(count) more \(count == 1 ? "piece was" : "pieces were") dropped "
                    + "(only the first \(maximumListedNotices) notices are listed)"
            )
        }
        if scanner.droppedClauseCount > 0 {
            let total = scanner.clauses.count + scanner.droppedClauseCount
            let dropped = scanner.droppedClauseCount
            notices.append(
                "the query has \(total) clauses, more than the \(scanner.clauses.count) allowed: "
                    + (dropped == 1 ? "the last one was dropped" : "the last \(dropped) were dropped")
            )
        }

        var clauses = scanner.clauses
        if requireAll {
            for index in clauses.indices where clauses[index].occur == .should {
                clauses[index].occur = .must
            }
        }
        return Query(clauses: clauses, notices: notices, isQuestion: isQuestion(text))
    }

    /// Whether `text` ends with a question mark (`?` or the full-width `？`), white space after it
    /// aside.
    static func isQuestion(_ text: String) -> Bool {
        for scalar in text.unicodeScalars.reversed() {
            if isSeparator(scalar) { continue }
            return scalar == "?" || scalar == "\u{FF1F}"
        }
        return false
    }

    /// Whether the parser reads `scalar` as white space between clauses: Unicode White_Space or a
    /// control character. The White_Space characters above U+009F are listed (the property has not
    /// changed since Unicode 6.3; a test compares the list with the standard library's).
    @inline(__always)
    static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value <= 0x20 { return true }  // C0 controls, NUL and the space
        if value < 0x7F { return false }
        if value <= 0x9F { return true }  // DEL and the C1 controls (NEL included)
        switch value {
        case 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// Whether `scalar` opens or closes a phrase: `"`, `“`, `”` or `„`.
    @inline(__always)
    static func isQuote(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x22, 0x201C, 0x201D, 0x201E: return true
        default: return false
        }
    }
}

/// One parse in progress: a single forward pass over the query's UTF-8, decoding one Unicode scalar
/// at a time. Positions are byte offsets; the strings of the clauses are copied from the UTF-8 in one
/// piece each.
private struct QueryScanner {
    /// How many Characters of a piece an excerpt in a notice or an error shows.
    private static let excerptLength = 24
    /// How many excluded clauses the "only excludes" error shows.
    private static let excludedExcerptLimit = 3

    /// The query's UTF-8, valid since it comes from a String.
    private let bytes: [UInt8]
    private let maxClauses: Int
    private var position = 0
    /// The byte offset and Character count of the last position converted for a notice, so that
    /// converting positions in query order costs one pass in all.
    private var characterCursor = (byte: 0, characters: 0)

    /// The first `maxClauses` clauses, in query order.
    private(set) var clauses: [QueryClause] = []
    /// Clauses beyond `maxClauses`.
    private(set) var droppedClauseCount = 0
    /// The listed notices.
    private(set) var notices: [String] = []
    /// Notices of dropped pieces beyond ``QueryParser/maximumListedNotices``.
    private(set) var unlistedNoticeCount = 0
    /// Why the first dropped piece was dropped, for the error of a query with no clause.
    private(set) var firstDropReason: String?
    /// The text of the first few kept `.mustNot` clauses, for the error of a query that only excludes.
    private(set) var excludedExcerpts: [String] = []

    init(_ text: String, maxClauses: Int) {
        bytes = Array(text.utf8)
        self.maxClauses = maxClauses
    }

    /// Once full, clauses are only counted: their strings are not made.
    private var isFull: Bool { clauses.count >= maxClauses }

    /// Reads the whole query.
    mutating func run() {
        while position < bytes.count {
            let (scalar, length) = scalar(at: position)
            if QueryParser.isSeparator(scalar) {
                position += length
            } else {
                readClause()
            }
        }
    }

    /// Reads one clause starting at `position`, which holds a character that is not white space.
    private mutating func readClause() {
        let start = position
        var occur = QueryClause.Occur.should
        switch bytes[position] {
        case UInt8(ascii: "+"):
            occur = .must
            position += 1
        case UInt8(ascii: "-"):
            occur = .mustNot
            position += 1
        default:
            break
        }
        var field: QueryClause.Field?
        if matchesASCIILowercase("title:", at: position) {
            field = .title
            position += 6
        } else if matchesASCIILowercase("body:", at: position) {
            field = .body
            position += 5
        }

        let next: Unicode.Scalar? = position < bytes.count ? scalar(at: position).scalar : nil
        guard let next, !QueryParser.isSeparator(next) else {
            drop(start..<position, at: start, reason: { "'\($0)' alone is not a query" }) {
                "'\($0)' at character \($1) has nothing after it: dropped"
            }
            return
        }
        if QueryParser.isQuote(next) {
            readPhrase(clauseStart: start, occur: occur, field: field)
        } else {
            readWord(clauseStart: start, occur: occur, field: field)
        }
    }

    /// Reads a word up to white space, a quote or the end.
    private mutating func readWord(clauseStart: Int, occur: QueryClause.Occur, field: QueryClause.Field?) {
        let wordStart = position
        while position < bytes.count {
            let (scalar, length) = scalar(at: position)
            if QueryParser.isSeparator(scalar) || QueryParser.isQuote(scalar) { break }
            position += length
        }
        let wordEnd = position
        var fuzzyEnd = wordEnd
        while fuzzyEnd > wordStart && bytes[fuzzyEnd - 1] == UInt8(ascii: "~") { fuzzyEnd -= 1 }
        let isFuzzy = fuzzyEnd < wordEnd
        var stemEnd = fuzzyEnd
        while stemEnd > wordStart && bytes[stemEnd - 1] == UInt8(ascii: "*") { stemEnd -= 1 }

        if isFuzzy && fuzzyEnd == wordStart {
            drop(clauseStart..<wordEnd, at: clauseStart, reason: { "'\($0)' alone is not a query" }) {
                "'\($0)' at character \($1) has only tildes, with no word for them to make fuzzy: dropped"
            }
        } else if stemEnd == wordStart {
            drop(clauseStart..<wordEnd, at: clauseStart, reason: { "'\($0)' alone is not a query" }) {
                "'\($0)' at character \($1) has only stars, with no letters for them to complete: dropped"
            }
        } else if isFull {
            droppedClauseCount += 1
        } else {
            let isPrefix = stemEnd < fuzzyEnd
            let kind: QueryClause.Kind =
                isPrefix ? .prefix(string(wordStart..<stemEnd)) : .text(string(wordStart..<fuzzyEnd))
            add(
                QueryClause(occur: occur, field: field, kind: kind, isFuzzy: isFuzzy && !isPrefix),
                clauseStart..<wordEnd)
            if isFuzzy && isPrefix {
                let written = excerpt(clauseStart..<wordEnd)
                note(at: clauseStart) { "'\(written)' at character \($0) is a prefix: prefixes are not fuzzy" }
            }
        }
    }

    /// Reads a phrase from the opening quote at `position` to the next quote or the end.
    private mutating func readPhrase(clauseStart: Int, occur: QueryClause.Occur, field: QueryClause.Field?) {
        let quote = position
        position += scalar(at: position).length
        let insideStart = position
        var isBlank = true
        var closed = false
        while position < bytes.count {
            let (scalar, length) = scalar(at: position)
            if QueryParser.isQuote(scalar) {
                closed = true
                break
            }
            if isBlank && !QueryParser.isSeparator(scalar) { isBlank = false }
            position += length
        }
        let insideEnd = position
        if closed { position += scalar(at: position).length }

        if isBlank {
            if closed {
                drop(clauseStart..<position, at: clauseStart, reason: { "the phrase '\($0)' is empty" }) {
                    "the phrase '\($0)' at character \($1) has nothing inside: dropped"
                }
            } else {
                let reason = "a quote with nothing after it is not a query"
                drop(clauseStart..<position, at: quote, reason: { _ in reason }) {
                    "the quote opened at character \($1) is not closed and nothing follows it: dropped"
                }
            }
            return
        }
        guard !isFull else {
            droppedClauseCount += 1
            return
        }
        let inside = collapsingWhiteSpace(insideStart..<insideEnd, trimming: true)
        add(QueryClause(occur: occur, field: field, kind: .phrase(inside)), clauseStart..<position)
        if !closed {
            // A query has at most one unclosed quote, and it changes what is searched: always listed.
            note(at: quote, always: true) {
                "the quote opened at character \($0) is not closed: read to the end of the query"
            }
        }
        noteMarkedWords(insideStart..<insideEnd)
    }

    /// Notes each word of a phrase (in `range`) written as a prefix or a fuzzy word (`viet*`,
    /// `chó~`): a phrase matches its words as they are, so the stars and tildes change nothing.
    private mutating func noteMarkedWords(_ range: Range<Int>) {
        var index = range.lowerBound
        while index < range.upperBound {
            while index < range.upperBound && QueryParser.isSeparator(scalar(at: index).scalar) {
                index += scalar(at: index).length
            }
            let wordStart = index
            while index < range.upperBound && !QueryParser.isSeparator(scalar(at: index).scalar) {
                index += scalar(at: index).length
            }
            var stem = index
            while stem > wordStart && (bytes[stem - 1] == UInt8(ascii: "*") || bytes[stem - 1] == UInt8(ascii: "~")) {
                stem -= 1
            }
            guard stem < index && stem > wordStart else { continue }
            let written = excerpt(wordStart..<index)
            let stemText = excerpt(wordStart..<stem)
            note(at: wordStart) {
                "'\(written)' at character \($0) is in a phrase, which takes no prefix or typo tolerance: "
                    + "searched as '\(stemText)'"
            }
        }
    }

    /// Keeps `clause`, written at `raw`; the caller checked that there is room for it.
    private mutating func add(_ clause: QueryClause, _ raw: Range<Int>) {
        clauses.append(clause)
        if clause.occur == .mustNot && excludedExcerpts.count < Self.excludedExcerptLimit {
            excludedExcerpts.append(excerpt(raw))
        }
    }

    /// Records that the piece of the query in `range` was dropped. `reason` makes the reason the
    /// error of an otherwise empty query gives, from an excerpt of the piece; `sentence` makes the
    /// notice from the excerpt and the Character position of byte `index`. Neither is called, and
    /// no excerpt is made, when the result would not be used.
    private mutating func drop(
        _ range: Range<Int>,
        at index: Int,
        reason: (String) -> String,
        _ sentence: (String, Int) -> String
    ) {
        guard firstDropReason == nil || notices.count < QueryParser.maximumListedNotices else {
            unlistedNoticeCount += 1
            return
        }
        let piece = excerpt(range)
        if firstDropReason == nil { firstDropReason = reason(piece) }
        note(at: index) { sentence(piece, $0) }
    }

    /// Adds the notice `sentence` makes of the Character position of byte `index`. Unless `always`,
    /// the notice is only counted once ``QueryParser/maximumListedNotices`` are listed, and then the
    /// position is not computed.
    private mutating func note(at index: Int, always: Bool = false, _ sentence: (Int) -> String) {
        guard always || notices.count < QueryParser.maximumListedNotices else {
            unlistedNoticeCount += 1
            return
        }
        notices.append(sentence(characterPosition(of: index)))
    }

    /// The 1-based Character position of the scalar starting at byte `index`. Cheap when called with
    /// increasing indices, as the scan does.
    private mutating func characterPosition(of index: Int) -> Int {
        if index < characterCursor.byte { characterCursor = (0, 0) }
        let count = string(characterCursor.byte..<index).count
        characterCursor = (index, characterCursor.characters + count)
        return characterCursor.characters + 1
    }

    /// The Unicode scalar starting at byte `index` and its length in bytes.
    @inline(__always)
    private func scalar(at index: Int) -> (scalar: Unicode.Scalar, length: Int) {
        let lead = bytes[index]
        if lead < 0x80 { return (Unicode.Scalar(lead), 1) }
        // The UTF-8 of a String is valid, so the continuation bytes are there; the bounds are
        // checked anyway so that no input can trap.
        let length = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
        guard index + length <= bytes.count else { return ("\u{FFFD}", bytes.count - index) }
        var value = UInt32(lead) & (0xFF >> (length + 1))
        for offset in 1..<length { value = value << 6 | UInt32(bytes[index + offset] & 0x3F) }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }

    /// Whether the bytes at `index` spell `word` (given in lowercase ASCII), ASCII letters in any
    /// case.
    private func matchesASCIILowercase(_ word: StaticString, at index: Int) -> Bool {
        word.withUTF8Buffer { expected in
            guard index + expected.count <= bytes.count else { return false }
            for offset in expected.indices {
                var byte = bytes[index + offset]
                if byte >= 0x41 && byte <= 0x5A { byte += 0x20 }
                guard byte == expected[offset] else { return false }
            }
            return true
        }
    }

    /// The bytes in `range` as a string.
    private func string(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    /// The bytes in `range` with every run of white space as one space, and without white space at
    /// either end if `trimming`.
    private func collapsingWhiteSpace(_ range: Range<Int>, trimming: Bool) -> String {
        var result: [UInt8] = []
        result.reserveCapacity(range.count)
        var pendingSpace = false
        var index = range.lowerBound
        while index < range.upperBound {
            let (scalar, length) = scalar(at: index)
            let end = min(index + length, range.upperBound)
            defer { index = end }
            if QueryParser.isSeparator(scalar) {
                pendingSpace = true
                continue
            }
            if pendingSpace && (!trimming || !result.isEmpty) { result.append(UInt8(ascii: " ")) }
            pendingSpace = false
            result.append(contentsOf: bytes[index..<end])
        }
        if pendingSpace && !trimming { result.append(UInt8(ascii: " ")) }
        return String(decoding: result, as: UTF8.self)
    }

    /// A piece of the query fit for a one-line message: white space shown as single spaces, cut
    /// after ``excerptLength`` Characters.
    private func excerpt(_ range: Range<Int>) -> String {
        // Cutting the bytes first keeps the cost bounded for a huge piece (a Character of more than
        // 16 bytes is rare); the Character cut below makes it exact. A cut inside a scalar is
        // repaired by the decoding.
        let cut = range.lowerBound..<min(range.upperBound, range.lowerBound + Self.excerptLength * 16)
        let text = collapsingWhiteSpace(cut, trimming: false)
        guard text.count > Self.excerptLength || cut.upperBound < range.upperBound else { return text }
        return String(text.prefix(Self.excerptLength)) + "…"
    }
}
