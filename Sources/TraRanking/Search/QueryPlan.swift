import TraIndex
import TraTokenizer

/// A parsed query analyzed into syllables: what the evaluator scores, requires and excludes.
///
/// Every clause's text goes through the same analyzer as the documents, so a clause may give
/// several syllables ("Việt-Nam" gives việt and nam) or none ("!!!" is dropped with a notice).
package struct QueryPlan: Sendable {
    /// One query syllable as the evaluator sees it: a scorer when it is in a should or must
    /// clause, a filter when it is in an excluded one.
    package struct Syllable: Sendable {
        /// As typed (the original slice of the clause).
        package var text: String
        /// The canonical key (for a prefix: the typed prefix's key).
        package var key: [UInt8]
        package var folded: [UInt8]
        /// nil for a prefix syllable.
        package var constraint: MarkConstraint?
        package var isPrefix: Bool
        package var fields: [IndexedField]
        /// The clause it comes from (an index into ``clauses`` or ``excluded``).
        package var clause: Int
        /// Typo tolerance: also match the index's words a small edit away (`word~`, `--fuzzy`).
        package var isFuzzy = false
        /// What the syllable types in Telex or VNI, when that is a valid syllable (searched too).
        package var reading: InputMethodReading? = nil
        /// For a fuzzy syllable, the body terms (without the field byte) of its closest candidates,
        /// for highlighting.
        package var fuzzyTerms: Set<[UInt8]> = []
        /// The accented form the corpus language model reads for it (``DiacriticRestorer``), and
        /// that reading's probability: occurrences of that form weigh more. nil: no reading.
        package var restored: [UInt8]? = nil
        package var restoredProbability: Double = 0
    }

    package enum ClauseKind: Sendable, Equatable {
        /// Bare words: a should clause matches when any of its syllables does, a must clause when
        /// all do.
        case text
        /// Matches when its syllables occur adjacent and in order in one field.
        case phrase
        case prefix
    }

    package struct Clause: Sendable {
        package var occur: QueryClause.Occur
        package var kind: ClauseKind
        /// Indices into ``syllables`` (for excluded clauses, into ``excludedSyllables``).
        package var syllables: [Int]
    }

    /// Syllables that score (from should and must clauses), in query order.
    package var syllables: [Syllable] = []
    package var clauses: [Clause] = []
    package var excludedSyllables: [Syllable] = []
    /// Excluded clauses: a document is excluded when it holds all syllables of one of them
    /// adjacent and in order (a single syllable: when it holds it).
    package var excluded: [Clause] = []
    /// Pairs of scoring syllables typed next to each other (within a run of words or a phrase):
    /// the proximity component rewards finding them adjacent and in order.
    package var pairs: [(first: Int, second: Int)] = []
    package var notices: [String] = []

    package var hasRequiredClauses: Bool { clauses.contains { $0.occur == .must } }
    /// Whether a scoring clause is a phrase (matching it reads positions).
    package var hasPhrase: Bool { clauses.contains { $0.kind == .phrase } }

    /// At most this many syllables are searched; longer queries are cut with a notice.
    package static let maxSyllables = 64

    /// Analyzes the clauses of `query`. When the query is a question and `questionWords` is
    /// given, the interrogative words among its bare words are left out (with a notice), unless
    /// nothing else would be left to search for.
    package init(_ query: Query, analyzer: Analyzer, questionWords: QuestionWordFilter? = nil) throws(RankingError) {
        notices = query.notices
        var analyzed: [[Token]] = []
        for clause in query.clauses {
            let text: String
            switch clause.kind {
            case .text(let value), .phrase(let value), .prefix(let value): text = value
            }
            do { analyzed.append(try analyzer.tokens(text)) } catch { throw .analyzer(error) }
        }
        var dropped = analyzed.map { [Bool](repeating: false, count: $0.count) }
        if query.isQuestion, let questionWords {
            let found: [String]
            (dropped, found) = questionWords.mark(query.clauses, analyzed)
            if dropped.joined().contains(true) {
                var kept = false
                for (c, clause) in query.clauses.enumerated() where clause.occur != .mustNot {
                    if dropped[c].contains(false) { kept = true }
                }
                if kept {
                    notices.append(
                        "question words not searched: \(found.joined(separator: ", ")) (quote one to search for it)")
                } else {
                    dropped = analyzed.map { [Bool](repeating: false, count: $0.count) }
                }
            }
        }
        var previousRunEnd: (syllable: Int, field: IndexedField?)? = nil
        var cut = 0
        // The clauses without a word, as shown, in query order, each with how often it came.
        var wordless: [(shown: String, count: Int)] = []
        var wordlessIndex: [String: Int] = [:]
        for (c, clause) in query.clauses.enumerated() {
            let fields: [IndexedField] = clause.field.map { $0 == .title ? [.title] : [.body] } ?? [.title, .body]
            let text: String
            let kind: ClauseKind
            switch clause.kind {
            case .text(let value): (text, kind) = (value, .text)
            case .phrase(let value): (text, kind) = (value, .phrase)
            case .prefix(let value): (text, kind) = (value, .prefix)
            }
            var tokens = analyzed[c]
            guard !tokens.isEmpty else {
                let shown = Self.shown(text)
                if let w = wordlessIndex[shown] {
                    wordless[w].count += 1
                } else {
                    wordlessIndex[shown] = wordless.count
                    wordless.append((shown, 1))
                }
                previousRunEnd = nil
                continue
            }
            // A clause past the limit keeps the syllables that fit (a long phrase, or a word of many
            // syllables, is searched by its beginning); an exclusion is left out whole, which would
            // otherwise exclude more than was asked.
            let room = Self.maxSyllables - syllables.count - excludedSyllables.count
            if tokens.count > room {
                guard room > 0, clause.occur != .mustNot else {
                    cut += tokens.count
                    continue
                }
                cut += tokens.count - room
                tokens.removeLast(tokens.count - room)
            }
            // The clause's own last token (a prefix ends there; a run of words too).
            let lastToken = analyzed[c].count - 1
            var planned: [Syllable] = []
            // Per planned syllable: the token it comes from (a left-out question word breaks pairs).
            var offsets: [Int] = []
            for (offset, token) in tokens.enumerated() where !dropped[c][offset] {
                let isPrefix = kind == .prefix && offset == lastToken
                let key = Array(token.key.utf8)
                let folded = Array(token.folded.utf8)
                let constraint: MarkConstraint?
                do { constraint = isPrefix ? nil : try MarkConstraint(key: key, folded: folded) } catch {
                    throw .analyzer(error)
                }
                planned.append(
                    Syllable(
                        text: token.text, key: key, folded: folded, constraint: constraint, isPrefix: isPrefix,
                        fields: fields, clause: 0, isFuzzy: clause.isFuzzy && kind == .text))
                offsets.append(offset)
            }
            guard !planned.isEmpty else {
                // Only question words: nothing of the clause is searched.
                previousRunEnd = nil
                continue
            }
            if clause.occur == .mustNot {
                let number = excluded.count
                let first = excludedSyllables.count
                excludedSyllables += planned.map {
                    var s = $0
                    s.clause = number
                    return s
                }
                excluded.append(Clause(occur: .mustNot, kind: kind, syllables: Array(first..<excludedSyllables.count)))
                previousRunEnd = nil
                continue
            }
            let number = clauses.count
            let first = syllables.count
            syllables += planned.map {
                var s = $0
                s.clause = number
                return s
            }
            let indices = Array(first..<syllables.count)
            clauses.append(Clause(occur: clause.occur, kind: kind, syllables: indices))
            // Proximity pairs: inside the clause, and across consecutive word clauses of one field.
            for (k, i) in indices.dropLast().enumerated()
            where !syllables[i + 1].isPrefix && offsets[k + 1] == offsets[k] + 1 {
                pairs.append((i, i + 1))
            }
            if kind == .text, let previous = previousRunEnd, previous.field == clause.fieldAsIndexed,
                !syllables[first].isPrefix, offsets[0] == 0
            {
                pairs.append((previous.syllable, first))
            }
            let endsRun = kind == .text && offsets[offsets.count - 1] == lastToken
            previousRunEnd = endsRun ? (syllables.count - 1, clause.fieldAsIndexed) : nil
        }
        // One notice per distinct clause (a pasted text repeats its punctuation), at most as many
        // as the parser lists.
        for (shown, count) in wordless.prefix(QueryParser.maximumListedNotices) {
            notices.append("'\(shown)' has no word to search for: ignored" + (count > 1 ? " (\(count) times)" : ""))
        }
        if wordless.count > QueryParser.maximumListedNotices {
            let more = wordless[QueryParser.maximumListedNotices...].reduce(0) { $0 + $1.count }
            notices.append("\(more) more \(more == 1 ? "piece has" : "pieces have") no word to search for: ignored")
        }
        if cut > 0 {
            notices.append("the query has more than \(Self.maxSyllables) syllables: the last \(cut) were ignored")
        }
        guard !syllables.isEmpty else {
            throw .query(
                excludedSyllables.isEmpty
                    ? "the query has no word to search for" : "the query only excludes: add a word to search for")
        }
    }

    private static func shown(_ text: String) -> String {
        text.count > 40 ? String(text.prefix(40)) + "…" : text
    }
}

extension QueryClause {
    fileprivate var fieldAsIndexed: IndexedField? {
        switch field {
        case .title: return .title
        case .body: return .body
        case nil: return nil
        }
    }
}

/// Why a search failed.
package enum RankingError: Error, Sendable {
    /// The query cannot be searched (a one-line reason for the user).
    case query(String)
    case index(IndexError)
    case analyzer(ICUError)
}
