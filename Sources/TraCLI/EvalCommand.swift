import ArgumentParser
import Foundation
import Tra

/// `tra eval [--index DIR] --queries FILE.jsonl [--strip-diacritics] [--details FILE] [--limit N] [--json]`
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure retrieval quality: MRR@10, Recall@10 and Recall@100 over an evaluation set.",
        discussion: """
            FILE.jsonl holds one question a line: {"qid", "query", "relevant": [document ids]} (other \
            members are ignored). Each query is searched as written (or without any diacritic, đ as d, \
            with --strip-diacritics) for its top --limit hits. MRR@10 averages 1/rank of the first \
            relevant hit within the top 10 (0 otherwise); Recall@k averages the share of a query's \
            relevant ids among its first k hits. Relevant ids that are not in the index still count, and \
            are reported. --json prints {"queries","mrr@10","recall@10","recall@100","unanswered",\
            "unknown_relevant","limit","strip_diacritics"}.
            """
    )

    @OptionGroup var options: IndexOptions

    @Option(
        name: .long, help: ArgumentHelp("The evaluation set (JSON Lines: qid, query, relevant).", valueName: "file"))
    var queries: String

    @Flag(name: .long, help: "Remove every diacritic (and map đ to d) from each query before searching.")
    var stripDiacritics = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Write one TSV line per query to this file: qid, query as searched, rank, first hit, relevant ids.",
            valueName: "file"))
    var details: String?

    @Option(name: .long, parsing: .unconditional, help: "Hits retrieved per query (Recall@100 sees at most this many).")
    var limit = 100

    @Flag(name: .long, help: "Print one JSON object.")
    var json = false

    @OptionGroup(title: "Forgiving input") var forgiving: ForgivingOptions

    @Flag(
        name: .long,
        help: ArgumentHelp(
            "Measure diacritic restoration instead: strip each question, read it back with the index's "
                + "language model, and count the syllables read as written."))
    var restoration = false

    @OptionGroup(title: "Scoring") var scoring: ScoringOptions

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let set = try QueryFiles.readEvaluationSet(path: queries)
        try options.requireExisting()
        let searcher = try Searcher(directory: options.directory)
        if restoration {
            Self.printRestoration(try RestorationEvaluation.run(set, searcher: searcher), json: json)
            return
        }
        let report = try RetrievalEvaluation.run(
            set, searcher: searcher, limit: limit, stripDiacritics: stripDiacritics, source: queries,
            scoring: try scoring.parameters(), fuzzy: forgiving.fuzzy, decodeInputMethods: !forgiving.noDecode,
            restoreDiacritics: !scoring.noRestore, keepQuestionWords: scoring.keepQuestionWords)
        if let details { try writeFile(Self.details(report), to: details) }
        let metrics = report.metrics
        if let first = report.unknownRelevantIDs.first {
            printError(
                "tra: warning: \(Format.count(metrics.unknownRelevant)) relevant id"
                    + "\(metrics.unknownRelevant == 1 ? " is" : "s are") not in \(options.directory) "
                    + "(\(Format.count(metrics.queriesWithUnknownRelevant)) quer"
                    + "\(metrics.queriesWithUnknownRelevant == 1 ? "y" : "ies"); first: \(first)); "
                    + "they count as not found")
        }
        if json {
            var object = JSONNumbers()
            object.add("queries", metrics.queries)
            object.add("mrr@10", metrics.mrrAt10, decimals: 4)
            object.add("recall@10", metrics.recallAt10, decimals: 4)
            object.add("recall@100", metrics.recallAt100, decimals: 4)
            object.add("unanswered", metrics.unanswered)
            object.add("unknown_relevant", metrics.unknownRelevant)
            object.add("limit", limit)
            object.add("strip_diacritics", stripDiacritics)
            print(object.output)
            return
        }
        print(
            "\(Format.count(metrics.queries)) quer\(metrics.queries == 1 ? "y" : "ies") from \(queries)"
                + (stripDiacritics ? ", diacritics stripped" : "")
                + ", top \(limit), \(options.directory) (\(Format.count(searcher.documentCount)) documents)")
        print(String(format: "MRR@10      %.4f", metrics.mrrAt10))
        print(String(format: "Recall@10   %.4f", metrics.recallAt10))
        print(String(format: "Recall@100  %.4f", metrics.recallAt100))
        print("not found   \(Format.count(metrics.unanswered)) (no relevant document in the top \(limit))")
    }

    /// The per-query TSV: a header, then qid, the query as searched, the rank of the first relevant hit
    /// (empty when none), the first hit's id (empty when none) and the relevant ids separated by spaces.
    /// Tabs and line breaks inside fields become spaces.
    static func details(_ report: RetrievalEvaluation.Report) -> String {
        var text = "qid\tquery\trank\tfirst_hit\trelevant\n"
        for outcome in report.outcomes {
            let fields = [
                outcome.qid, outcome.searched, outcome.rank.map(String.init) ?? "", outcome.hits.first ?? "",
                outcome.relevant.joined(separator: " "),
            ]
            text += fields.map(clean).joined(separator: "\t") + "\n"
        }
        return text
    }

    /// `--restoration`: `{"queries","skipped","syllables","syllable_accuracy","marked_syllables",
    /// "marked_accuracy"}` with `--json`.
    static func printRestoration(_ report: RestorationEvaluation.Report, json: Bool) {
        if json {
            var object = JSONNumbers()
            object.add("queries", report.queries)
            object.add("skipped", report.skipped)
            object.add("syllables", report.syllables)
            object.add("syllable_accuracy", report.accuracy, decimals: 4)
            object.add("marked_syllables", report.marked)
            object.add("marked_accuracy", report.markedAccuracy, decimals: 4)
            print(object.output)
            return
        }
        print("\(Format.count(report.queries)) questions read back (\(Format.count(report.skipped)) skipped)")
        print(String(format: "syllables read as written  %.4f of %d", report.accuracy, report.syllables))
        print(String(format: "  of those with a mark     %.4f of %d", report.markedAccuracy, report.marked))
    }

    private static func clean(_ field: String) -> String {
        String(String.UnicodeScalarView(field.unicodeScalars.map { "\t\n\r".unicodeScalars.contains($0) ? " " : $0 }))
    }
}
