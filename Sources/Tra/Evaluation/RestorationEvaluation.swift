import TraTokenizer

/// How well the corpus language model restores diacritics: each question of an evaluation set is
/// stripped of its marks (``DiacriticStripper``), read back by ``Searcher/reading(of:)``, and
/// every syllable of the reading is compared with the canonical key of the question as written.
public enum RestorationEvaluation {
    public struct Report: Sendable, Equatable {
        /// Questions compared (those whose reading has as many syllables as the question).
        public var queries = 0
        /// Questions left out (a syllable count that differs, e.g. an excluded `-word`).
        public var skipped = 0
        public var syllables = 0
        /// Syllables whose reading equals the key as written.
        public var correct = 0
        /// Syllables written with a mark (their key differs from their folded key).
        public var marked = 0
        public var markedCorrect = 0

        /// The share of syllables read as written.
        public var accuracy: Double { syllables > 0 ? Double(correct) / Double(syllables) : 0 }
        /// The same over the syllables written with a mark.
        public var markedAccuracy: Double { marked > 0 ? Double(markedCorrect) / Double(marked) : 0 }
    }

    /// Compares the reading of every stripped question of `queries` with the question as written.
    public static func run(_ queries: [EvaluationQuery], searcher: Searcher) throws(TraError) -> Report {
        let stripper = try DiacriticStripper()
        let analyzer: Analyzer
        do { analyzer = try Analyzer() } catch { throw TraError(error) }
        var report = Report()
        for query in queries {
            let written: [Token]
            do { written = try analyzer.tokens(query.query) } catch { throw TraError(error) }
            let reading = try searcher.reading(of: stripper.strip(query.query))
            guard reading.count == written.count, !written.isEmpty else {
                report.skipped += 1
                continue
            }
            report.queries += 1
            for (token, read) in zip(written, reading) {
                report.syllables += 1
                let right = read?.key == token.key
                if right { report.correct += 1 }
                if token.key != token.folded {
                    report.marked += 1
                    if right { report.markedCorrect += 1 }
                }
            }
        }
        return report
    }
}
