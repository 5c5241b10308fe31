import ArgumentParser
import Foundation
import Tra

/// `tra bench [--index DIR] --queries FILE [--phrase] [--limit N] [--runs N] [--phases] [--json]`
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure query latency on an index, one thread, inside the process.",
        discussion: """
            FILE holds one query a line (blank lines skipped). After one unmeasured warm-up pass over \
            all queries, every query runs --runs times; each search call is timed alone with a monotonic \
            clock (query parsing, ranking the top --limit and fetching the hits' ids; their stored \
            fields with --fetch-documents, snippets with --snippets). The percentiles are nearest-rank \
            over all timed calls (queries × runs), qps is 10^6 / mean µs. --phases also times each \
            phase of every search (a few clock readings more in each call) and prints their means: \
            planning (parsing, analysis, readings), restoration (the accented reading of words typed \
            without marks), expansion (index terms, idf), setup (the first stage's cursors), retrieval \
            (the first stage: the top documents by BM25F), proximity (the proximity window scored \
            with positions), explanation, hits (ids, stored fields, snippets). --json prints \
            {"queries","runs","p50_us","p95_us","p99_us","mean_us","qps"}, and "phases_us" (the \
            phases' means by name) with --phases.
            """
    )

    @OptionGroup var options: IndexOptions

    @Option(name: .long, help: ArgumentHelp("A file of queries, one a line.", valueName: "file"))
    var queries: String

    @Flag(name: .long, help: "Search each line as a phrase (wrapped in double quotes).")
    var phrase = false

    @Option(name: .long, parsing: .unconditional, help: "Hits per search (top-k).")
    var limit = 10

    @Option(name: .long, parsing: .unconditional, help: "Measured passes over the queries, after one warm-up pass.")
    var runs = 5

    @Flag(name: .long, help: "Also build a snippet for each hit.")
    var snippets = false

    @Flag(name: .long, help: "Also fetch each hit's stored fields (title, body, ...), not only its id.")
    var fetchDocuments = false

    @Flag(name: .long, help: "Also time each phase of the searches and print their means.")
    var phases = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Write every timed call to this TSV file: line, run, microseconds, matches.", valueName: "file"))
    var latencies: String?

    @Flag(name: .long, help: "Print one JSON object.")
    var json = false

    @OptionGroup(title: "Forgiving input") var forgiving: ForgivingOptions

    @OptionGroup(title: "Scoring") var scoring: ScoringOptions

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
        if runs < 1 { throw ValidationError("--runs must be at least 1") }
    }

    func run() throws {
        let lines = try QueryFiles.readQueryList(path: queries)
        try options.requireExisting()
        let searcher = try Searcher(directory: options.directory)
        let texts = lines.map { phrase ? Self.phrase($0.text) : $0.text }
        let report = try QueryBenchmark.run(
            texts, searcher: searcher, runs: runs, limit: limit, snippets: snippets, fetchDocuments: fetchDocuments,
            scoring: try scoring.parameters(), fuzzy: forgiving.fuzzy, decodeInputMethods: !forgiving.noDecode,
            restoreDiacritics: !scoring.noRestore, keepQuestionWords: scoring.keepQuestionWords, phases: phases,
            label: { "\(queries):\(lines[$0].line)" })
        if let latencies { try Self.writeLatencies(report, lines: lines, to: latencies) }
        let summary = report.summary
        if json {
            var object = JSONNumbers()
            object.add("queries", report.queries)
            object.add("runs", report.runs)
            object.add("p50_us", summary.p50, decimals: 1)
            object.add("p95_us", summary.p95, decimals: 1)
            object.add("p99_us", summary.p99, decimals: 1)
            object.add("mean_us", summary.mean, decimals: 1)
            object.add("qps", summary.queriesPerSecond, decimals: 1)
            if let phases = report.phases {
                var means = JSONNumbers()
                for (name, value) in zip(SearchPhases.names, phases.microseconds) {
                    means.add(name, value, decimals: 1)
                }
                object.add("phases_us", means)
            }
            print(object.output)
            return
        }
        print(
            "\(Format.count(report.queries)) quer\(report.queries == 1 ? "y" : "ies")\(phrase ? " (as phrases)" : "")"
                + " × \(report.runs) run\(report.runs == 1 ? "" : "s"), top \(limit), "
                + "\(options.directory) (\(Format.count(searcher.documentCount)) documents)")
        print(
            "latency  p50 \(Self.micro(summary.p50))  p95 \(Self.micro(summary.p95))  p99 \(Self.micro(summary.p99))"
                + "  mean \(Self.micro(summary.mean))  max \(Self.micro(summary.max))")
        print(String(format: "qps      %.1f (one thread)", summary.queriesPerSecond))
        if report.zeroHitQueries > 0 {
            print("matched  nothing for \(Format.count(report.zeroHitQueries)) of the queries")
        }
        if let phases = report.phases {
            // Shares of the phases' sum (the latencies also hold the benchmark's own clock readings).
            let total = phases.microseconds.reduce(0, +)
            print("phases   mean µs per search")
            for (name, value) in zip(SearchPhases.names, phases.microseconds) {
                let share = total > 0 ? 100 * value / total : 0
                print(
                    "  " + name.padding(toLength: 12, withPad: " ", startingAt: 0)
                        + String(format: "%9.1f  %5.1f %%", value, share))
            }
        }
    }

    /// The line as a phrase query: its double quotes dropped, the rest wrapped in a pair of them.
    static func phrase(_ line: String) -> String {
        "\"" + line.replacingOccurrences(of: "\"", with: " ").trimmingCharacters(in: .whitespaces) + "\""
    }

    static func micro(_ value: Double) -> String { String(format: "%.1f µs", value) }

    static func writeLatencies(_ report: QueryBenchmark.Report, lines: [BenchmarkQuery], to path: String) throws {
        var text = "line\trun\tmicroseconds\tmatches\n"
        for (run, pass) in report.latencies.enumerated() {
            for (index, value) in pass.enumerated() {
                text += "\(lines[index].line)\t\(run + 1)\t\(String(format: "%.3f", value))\t\(report.matches[index])\n"
            }
        }
        try writeFile(text, to: path)
    }
}

/// Writes `text` as UTF-8 to `path`, or throws a one-line user error naming it.
func writeFile(_ text: String, to path: String) throws {
    do {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    } catch {
        let reason = (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
        throw TraError(.user, "\(path): cannot write: \(reason)")
    }
}

/// One JSON object of numbers (and strings), keys in the order added. `JSONWriter` writes integers
/// only; figures such as latencies and MRR need decimals.
struct JSONNumbers {
    private var members: [String] = []

    mutating func add(_ name: String, _ value: Int) {
        members.append(Self.key(name) + String(value))
    }

    /// A number rounded to `decimals` places (a non-finite value, which JSON cannot hold, as null).
    mutating func add(_ name: String, _ value: Double, decimals: Int) {
        members.append(Self.key(name) + (value.isFinite ? String(format: "%.\(decimals)f", value) : "null"))
    }

    mutating func add(_ name: String, _ value: String) {
        var string = ""
        JSONWriter.appendString(value, to: &string)
        members.append(Self.key(name) + string)
    }

    mutating func add(_ name: String, _ value: Bool) {
        members.append(Self.key(name) + (value ? "true" : "false"))
    }

    /// A nested object.
    mutating func add(_ name: String, _ value: JSONNumbers) {
        members.append(Self.key(name) + value.output)
    }

    var output: String { "{" + members.joined(separator: ",") + "}" }

    private static func key(_ name: String) -> String {
        var key = ""
        JSONWriter.appendString(name, to: &key)
        return key + ":"
    }
}
