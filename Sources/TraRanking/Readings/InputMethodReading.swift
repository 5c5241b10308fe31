import TraIndex
import TraTokenizer

/// A second reading of a query syllable typed with the input method off: the syllable its Telex or
/// VNI keys type ("vieejt" reads "việt"). The engine searches both readings of the syllable as one
/// (the union of their postings), the decoded one with exactly its marks, so that "pass", "test" or
/// "Windows" keep their own matches and the ranking decides.
package struct InputMethodReading: Sendable, Equatable {
    package var method: InputMethod
    /// The decoded syllable's canonical and folded keys (the analyzer's).
    package var key: [UInt8]
    package var folded: [UInt8]

    /// The decoded syllable ("việt").
    package var text: String { String(decoding: key, as: UTF8.self) }
}

/// Finds the input-method readings of query syllables: a syllable typed without marks, in ASCII
/// letters (and digits for VNI), whose keys decode (``InputMethodDecoder``) into a valid Vietnamese
/// syllable (``SyllableChecker``) other than itself.
///
/// The typed word need not be invalid itself: the typed reading is always kept, and only "oo" words
/// are valid both ways ("coong" is Telex for "công", and a valid loan spelling like "xoong").
package struct InputMethodReader: Sendable {
    private let decoder: InputMethodDecoder
    private let checker: SyllableChecker

    package init() throws(ICUError) {
        decoder = try InputMethodDecoder()
        checker = try SyllableChecker()
    }

    /// The reading of a query syllable with keys `key` and `folded`, nil when it has none.
    package func reading(key: [UInt8], folded: [UInt8], analyzer: Analyzer) -> InputMethodReading? {
        guard key == folded, key.count <= InputMethodDecoder.maximumLength else { return nil }
        guard let decoded = decoder.decode(String(decoding: key, as: UTF8.self)), checker.isValid(decoded.text),
            let tokens = try? analyzer.tokens(decoded.text), tokens.count == 1
        else { return nil }
        let token = tokens[0]
        let decodedKey = Array(token.key.utf8)
        guard decodedKey != key else { return nil }
        return InputMethodReading(method: decoded.method, key: decodedKey, folded: Array(token.folded.utf8))
    }
}

/// Which readings of a syllable with an input-method reading the search used.
package enum ReadingUse: String, Sendable {
    /// Only the word as typed is in the index.
    case typed
    /// Only the decoded syllable is in the index.
    case decoded
    /// Both are.
    case both
    /// Neither is.
    case none

    /// The use over several fields: a reading is used when one field found it.
    package init(combining uses: [ReadingUse]) {
        let typed = uses.contains { $0 == .typed || $0 == .both }
        let decoded = uses.contains { $0 == .decoded || $0 == .both }
        self = typed ? (decoded ? .both : .typed) : (decoded ? .decoded : .none)
    }
}

extension QueryPlan {
    /// Gives every scoring syllable that is not a prefix its input-method reading, when it has one.
    /// Excluded syllables keep their typed reading only.
    package mutating func addInputMethodReadings(_ reader: InputMethodReader, analyzer: Analyzer) {
        for s in syllables.indices where !syllables[s].isPrefix {
            syllables[s].reading = reader.reading(
                key: syllables[s].key, folded: syllables[s].folded, analyzer: analyzer)
        }
    }

    /// The first body syllable whose input-method reading or fuzzy candidates match a token with
    /// keys `folded` and `key` (for highlighting), among those `skipping` (when given) leaves.
    package func forgivingMatch(folded: [UInt8], key: some Collection<UInt8>, skipping: [Bool]? = nil) -> Int? {
        // By index: a syllable is a large value, not to be copied per token.
        for s in syllables.indices where syllables[s].fields.contains(.body) && !(skipping?[s] ?? false) {
            if let reading = syllables[s].reading, reading.folded == folded, key.elementsEqual(reading.key) {
                return s
            }
            if !syllables[s].fuzzyTerms.isEmpty
                && (syllables[s].fuzzyTerms.contains(folded) || syllables[s].fuzzyTerms.contains(folded + [0] + key))
            {
                return s
            }
        }
        return nil
    }

    /// Makes every syllable of the scoring word clauses fuzzy (`--fuzzy`); phrases and prefixes stay
    /// as they are.
    package mutating func makeWordsFuzzy() {
        for clause in clauses where clause.kind == .text {
            for s in clause.syllables { syllables[s].isFuzzy = true }
        }
    }

    /// One notice that says how the syllables with an input-method reading were searched, nil when
    /// none has one. `uses` gives the use of each syllable's readings (nil for those without one).
    package static func readingNotice(_ plan: QueryPlan, uses: [ReadingUse?]) -> String? {
        var parts: [String] = []
        for (s, syllable) in plan.syllables.enumerated() {
            guard let reading = syllable.reading, let use = uses[s] else { continue }
            let typed = String(decoding: syllable.key, as: UTF8.self)
            let method = reading.method.name
            switch use {
            case .decoded: parts.append("\(typed) as \(reading.text) (\(method))")
            case .both: parts.append("\(typed) as typed and as \(reading.text) (\(method))")
            case .typed: parts.append("\(typed) as typed (its \(method) reading \(reading.text) is not in the index)")
            case .none: parts.append("neither \(typed) nor its \(method) reading \(reading.text) is in the index")
            }
        }
        return parts.isEmpty ? nil : "input method keys read: " + parts.joined(separator: "; ")
    }
}

extension TermExpansion {
    /// `expanded` (the typed syllable in one field) with the decoded reading added: the decoded
    /// variant term joins the scoring terms (and the position terms, when positions are read). When
    /// the typed reading has no document in the field, the decoded one replaces it, exactly as if
    /// it had been typed with its marks; when neither has, `expanded` is returned unchanged.
    static func addingReading(
        _ reading: InputMethodReading, to expanded: ExpandedField, statistics: some RankingStatistics,
        needsPositions: Bool
    ) throws(IndexError) -> (field: ExpandedField, use: ReadingUse) {
        let term = [expanded.field.rawValue] + reading.folded + [0] + reading.key
        let decoded = try statistics.documentFrequency(term)
        guard decoded > 0 else {
            var typed = 0
            for scoring in expanded.scoring { typed += try statistics.documentFrequency(scoring) }
            return (expanded, typed > 0 ? .typed : .none)
        }
        var typed = 0
        for scoring in expanded.scoring { typed += try statistics.documentFrequency(scoring) }
        guard typed > 0 else {
            return (
                ExpandedField(
                    field: expanded.field, scoring: [term], exact: nil, scoringIsExact: true, positions: [term],
                    documentFrequency: 0),
                .decoded
            )
        }
        var field = expanded
        field.scoring.append(term)
        if field.weights != nil {
            // A fuzzy syllable: its expansion set the frequency, the decoded reading adds to it.
            field.weights?.append(1)
            field.documentFrequency = min(field.documentFrequency + decoded, statistics.documentCount)
        }
        if needsPositions || !field.positions.isEmpty { field.positions.append(term) }
        // Neither reading is "as typed" more than the other: no exact-accent boost in the union.
        field.exact = nil
        field.scoringIsExact = false
        return (field, .both)
    }
}
