import ArgumentParser
import Foundation
import Tra

/// `tra search [--index DIR] [--limit N] [--json] [--explain] [--all] QUERY...`
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search an index, with or without diacritics.",
        discussion: """
            Words are matched with or without their marks: "viet nam" finds Việt Nam; marks you type \
            are kept ("đuong" finds đường and đương, not dương). Documents with more of the words, \
            and with them next to each other, rank higher. "quoted words" must appear together, \
            +word is required, -word excluded, title:word and body:word look in one field, pre* \
            matches words starting with "pre", word~ also matches words a wrong tone, mark or letter \
            away. Words typed as Telex or VNI keys ("vieejt", "vie65t") are also searched as the \
            syllable they type, with a note. With no index and a Corpus/ folder here, the \
            default index is built from Corpus/ first.
            """
    )

    @OptionGroup var options: IndexOptions

    @Option(name: .long, parsing: .unconditional, help: "How many hits to show (0: count the matching documents only).")
    var limit = 10

    @Flag(name: .long, help: "Print one JSON object.")
    var json = false

    @Flag(name: .long, help: "Show how each hit's score was computed.")
    var explain = false

    @Flag(name: .long, help: "Require every word (by default documents with more of them rank higher).")
    var all = false

    @OptionGroup(title: "Forgiving input") var forgiving: ForgivingOptions

    @OptionGroup(title: "Scoring") var scoring: ScoringOptions

    /// Words that start with one `-` (exclusions, `-việt`) are query words as they are; `--` ends
    /// the options as usual (after it, a word may start with `--`).
    @Argument(
        parsing: .allUnrecognized,
        help: "The query (several arguments are joined with spaces; -word excludes word).")
    var query: [String]

    func validate() throws {
        if limit < 0 || limit > 10_000 { throw ValidationError("--limit must be between 0 and 10000") }
        let end = query.firstIndex(of: "--") ?? query.endIndex
        if let option = query[..<end].first(where: { $0.hasPrefix("--") }) {
            throw ValidationError("unknown option '\(option)' (put query words that start with -- after --)")
        }
    }

    /// The query's words joined, without the `--` that ends the options.
    var text: String {
        var words = query
        if let end = words.firstIndex(of: "--") { words.remove(at: end) }
        return words.joined(separator: " ")
    }

    func run() throws {
        try buildDefaultIndexIfNeeded()
        try options.requireExisting()
        let searcher = try Searcher(directory: options.directory)
        var searchOptions = SearchOptions()
        searchOptions.limit = limit
        searchOptions.requireAll = all
        searchOptions.explain = explain
        searchOptions.scoring = try scoring.parameters()
        forgiving.apply(to: &searchOptions)
        searchOptions.restoreDiacritics = !scoring.noRestore
        searchOptions.keepQuestionWords = scoring.keepQuestionWords
        let result = try searcher.search(text, options: searchOptions)
        if json {
            print(Self.json(result, explain: explain))
            return
        }
        for notice in result.notices { printError("tra: note: \(notice)") }
        print(Self.text(result, terminal: isatty(1) != 0, explain: explain))
    }

    /// The embedded default: with no `--index`, no `$TRA_INDEX`, no index yet and a `Corpus/`
    /// folder here, index `Corpus/` into the default folder first (with progress on a terminal).
    private func buildDefaultIndexIfNeeded() throws {
        let environment = ProcessInfo.processInfo.environment
        guard options.index == nil, (environment["TRA_INDEX"] ?? "").isEmpty else { return }
        let directory = options.directory
        guard !FileManager.default.fileExists(atPath: directory + "/manifest") else { return }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: "Corpus", isDirectory: &isFolder), isFolder.boolValue else {
            return
        }
        printError("tra: no index at \(directory) yet: building it from Corpus/ (once)")
        let summary = try IndexCommand.build(
            inputs: ["Corpus"], directory: directory, append: false, skipBad: false, commitEvery: nil, ramBudget: 256)
        printError("tra: " + IndexCommand.describe(summary, directory: directory))
    }

    static func json(_ result: SearchResult, explain: Bool) -> String {
        var writer = JSONWriter()
        writer.object { writer in
            writer.field("query", result.query)
            writer.field("total", result.total)
            writer.field("total_is_lower_bound", result.totalIsLowerBound)
            writer.field("took_us", result.tookMicroseconds)
            if let restored = result.restored {
                writer.field("restored", restored)
                writer.field("restored_probability", result.restoredProbability ?? 1)
            }
            writer.field("notices", array: result.notices) { writer, notice in
                writer.value(notice)
            }
            writer.field("readings", array: result.readings) { writer, reading in
                writer.object { writer in
                    writer.field("typed", reading.typed)
                    writer.field("reading", reading.reading)
                    writer.field("method", reading.method)
                    writer.field("searched", reading.searched)
                }
            }
            writer.field("hits", array: result.hits) { writer, hit in
                writer.object { writer in
                    writer.field("id", hit.id)
                    writer.field("score", hit.score)
                    writer.field("title", hit.title)
                    writer.field("snippet", hit.snippet?.rendered(open: "<b>", close: "</b>") ?? "")
                    if explain, let explanation = hit.explanation {
                        writer.field("explanation", array: explanation.components) { writer, component in
                            writer.object { writer in
                                writer.field("name", component.name)
                                writer.field("score", component.score)
                                writer.field("details", component.details)
                            }
                        }
                    }
                }
            }
        }
        return writer.output
    }

    static func text(_ result: SearchResult, terminal: Bool, explain: Bool) -> String {
        let (open, close) = terminal ? ("\u{1B}[1;33m", "\u{1B}[0m") : ("[", "]")
        var lines: [String] = []
        let total = (result.totalIsLowerBound ? "at least " : "") + Format.count(result.total)
        lines.append(
            "\(total) document\(result.total == 1 ? "" : "s") matched; top \(result.hits.count) "
                + "(\(Format.count(result.tookMicroseconds)) µs)")
        if let restored = result.restored {
            let probability = explain ? ", probability \(Explanation.format(result.restoredProbability ?? 1))" : ""
            lines.append("Showing results for: \(restored)\(probability)")
        }
        for (rank, hit) in result.hits.enumerated() {
            lines.append("")
            let title = hit.title.isEmpty ? "(no title)" : hit.title
            lines.append("\(rank + 1). \(title)  [\(hit.id)]  score \(Explanation.format(hit.score))")
            if let snippet = hit.snippet, !snippet.text.isEmpty {
                lines.append("   " + snippet.rendered(open: open, close: close))
            }
            if explain, let explanation = hit.explanation {
                for component in explanation.components {
                    lines.append("     \(Explanation.format(component.score))  \(component.name): \(component.details)")
                }
            }
        }
        return lines.joined(separator: "\n")
    }
}

/// The ranking weights, for experiments (`tra search` and `tra eval` take them); the defaults are
/// the tuned ones, which the help shows.
struct ScoringOptions: ParsableArguments {
    private static let defaults = ScoringParameters()

    @Option(
        name: .customLong("k1"), parsing: .unconditional,
        help: "BM25 term-frequency saturation (default: \(defaults.k1)).")
    var k1: Double?

    @Option(
        name: .customLong("b-title"), parsing: .unconditional,
        help: "BM25 length normalization of titles, 0 to 1 (default: \(defaults.titleB))."
    )
    var titleB: Double?

    @Option(
        name: .customLong("b-body"), parsing: .unconditional,
        help: "BM25 length normalization of bodies, 0 to 1 (default: \(defaults.bodyB)).")
    var bodyB: Double?

    @Option(
        name: .customLong("title-weight"),
        parsing: .unconditional,
        help: "Weight of a title occurrence against a body one (default: \(defaults.titleWeight)).")
    var titleWeight: Double?

    @Option(
        name: .customLong("proximity-weight"),
        parsing: .unconditional,
        help: "Weight of adjacent query syllables found adjacent (default: \(defaults.proximityWeight)).")
    var proximityWeight: Double?

    @Option(
        name: .customLong("triple-weight"),
        parsing: .unconditional,
        help: "Weight of three query syllables found in a row (default: \(defaults.tripleWeight)).")
    var tripleWeight: Double?

    @Option(
        name: .customLong("proximity-window"),
        parsing: .unconditional,
        help:
            "How many of the best documents by BM25F alone proximity reorders (0: every document; default: \(defaults.proximityWindow))."
    )
    var proximityWindow: Int?

    @Option(
        name: .customLong("common-cutoff"),
        parsing: .unconditional,
        help: ArgumentHelp(
            "In a query of many words, words typed with marks that more than this fraction of the documents hold "
                + "score only in the proximity window (0: off; default: \(defaults.commonCutoff))."))
    var commonCutoff: Double?

    @Option(
        name: .customLong("common-minimum"),
        parsing: .unconditional,
        help:
            "The fewest words a query needs for --common-cutoff to apply (default: \(defaults.commonMinimumSyllables))."
    )
    var commonMinimum: Int?

    @Option(
        name: .customLong("exact-boost"),
        parsing: .unconditional,
        help: "Extra weight of an occurrence written exactly as typed (default: \(defaults.exactBoost)).")
    var exactBoost: Double?

    @Option(
        name: .customLong("reading-weight"),
        parsing: .unconditional,
        help:
            "How much a restored reading discounts a syllable's other forms (0 to 1, times its probability; default: \(defaults.readingWeight))."
    )
    var readingWeight: Double?

    @Option(
        name: .customLong("reading-idf-weight"),
        parsing: .unconditional,
        help:
            "How far a restored syllable's idf moves towards its restored form's (0 to 1, times its probability; default: \(defaults.readingIDFWeight))."
    )
    var readingIDFWeight: Double?

    @Flag(name: .customLong("no-restore"), help: "Do not restore missing diacritics with the corpus language model.")
    var noRestore = false

    @Flag(
        name: .customLong("keep-question-words"),
        help: "Score the question words of a query ending with '?' (gì, nào, bao nhiêu...) like other words.")
    var keepQuestionWords = false

    func parameters() throws -> ScoringParameters {
        var parameters = ScoringParameters()
        if let k1 { parameters.k1 = k1 }
        if let titleB { parameters.titleB = titleB }
        if let bodyB { parameters.bodyB = bodyB }
        if let titleWeight { parameters.titleWeight = titleWeight }
        if let proximityWeight { parameters.proximityWeight = proximityWeight }
        if let exactBoost { parameters.exactBoost = exactBoost }
        if let tripleWeight { parameters.tripleWeight = tripleWeight }
        if let proximityWindow { parameters.proximityWindow = proximityWindow }
        if let commonCutoff { parameters.commonCutoff = commonCutoff }
        if let commonMinimum { parameters.commonMinimumSyllables = commonMinimum }
        if let readingWeight { parameters.readingWeight = readingWeight }
        if let readingIDFWeight { parameters.readingIDFWeight = readingIDFWeight }
        if let problem = parameters.validated() { throw ValidationError(problem) }
        return parameters
    }
}

/// The forgiving-input switches `search`, `bench` and `eval` take.
struct ForgivingOptions: ParsableArguments {
    @Flag(name: .long, help: "Typo tolerance for every word, as word~ gives it to one.")
    var fuzzy = false

    @Flag(name: .customLong("no-decode"), help: "Do not read words as Telex or VNI keystrokes.")
    var noDecode = false

    func apply(to options: inout SearchOptions) {
        options.fuzzy = fuzzy
        options.decodeInputMethods = !noDecode
    }
}
