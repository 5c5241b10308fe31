import TraTokenizer

/// Finds the interrogative words (``TraTokenizer/QuestionWords``) among a question's bare words,
/// by canonical key, so that the plan leaves them out of the scoring.
package struct QuestionWordFilter: Sendable {
    /// The canonical keys of each question word's syllables, longest words first, by the key of
    /// their first syllable (a token whose key begins none is passed at once: comparing it with
    /// every word took about 1 % of a question's time).
    private let words: [String: [[String]]]
    /// The same for the names that begin like a question word (Ai Cập).
    private let names: [String: [[String]]]

    package init(analyzer: Analyzer) throws(ICUError) {
        var words: [[String]] = []
        for entry in QuestionWords.words { words.append(try analyzer.tokens(entry).map(\.key)) }
        var names: [[String]] = []
        for entry in QuestionWords.names { names.append(try analyzer.tokens(entry).map(\.key)) }
        self.words = Self.byFirstKey(words.sorted { $0.count > $1.count })
        self.names = Self.byFirstKey(names)
    }

    /// `entries` grouped by their first key, each group in the order of `entries`.
    private static func byFirstKey(_ entries: [[String]]) -> [String: [[String]]] {
        var groups: [String: [[String]]] = [:]
        for entry in entries {
            guard let first = entry.first else { continue }
            groups[first, default: []].append(entry)
        }
        return groups
    }

    /// Per clause and per token of `tokens` (the analyzed clauses), whether it is a question word.
    /// Only bare words that should match, in no particular field and without typo tolerance, are
    /// candidates; a question word may span consecutive clauses ("bao nhiêu"), a name is skipped
    /// whole, and the longest question word at a position wins. `found` lists the question words
    /// as typed, in query order.
    package func mark(_ clauses: [QueryClause], _ tokens: [[Token]]) -> (marks: [[Bool]], found: [String]) {
        var marks = tokens.map { [Bool](repeating: false, count: $0.count) }
        var found: [String] = []
        var run: [(clause: Int, token: Int)] = []
        func scan() {
            var i = 0
            while i < run.count {
                let key = tokens[run[i].clause][run[i].token].key
                if let name = names[key]?.first(where: { matches($0, at: i) }) {
                    i += name.count
                } else if let word = words[key]?.first(where: { matches($0, at: i) }) {
                    for k in i..<(i + word.count) { marks[run[k].clause][run[k].token] = true }
                    found.append(
                        run[i..<(i + word.count)].map { tokens[$0.clause][$0.token].text }.joined(separator: " "))
                    i += word.count
                } else {
                    i += 1
                }
            }
            run.removeAll()
        }
        func matches(_ entry: [String], at i: Int) -> Bool {
            guard i + entry.count <= run.count else { return false }
            for (k, key) in entry.enumerated() where tokens[run[i + k].clause][run[i + k].token].key != key {
                return false
            }
            return true
        }
        for (c, clause) in clauses.enumerated() {
            var isWord = false
            if case .text = clause.kind { isWord = true }
            if isWord && clause.occur == .should && clause.field == nil && !clause.isFuzzy {
                for t in tokens[c].indices { run.append((c, t)) }
            } else {
                scan()
            }
        }
        scan()
        return (marks, found)
    }
}
