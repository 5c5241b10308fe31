import Foundation
import Testing

/// `tra bench` and `tra eval`: their one-line errors and exit codes.
@Suite("tra bench and tra eval: errors (the built executable)")
struct BenchEvalErrorTests {
    static let goodSet = #"{"qid":"q1","query":"phở bò","relevant":["pho"]}"# + "\n"

    @Test func missingQueryFileNamesIt() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let missing = folder.path("nowhere.txt")
        for command in ["bench", "eval"] {
            let result = try TraProcess.run(command, "--index", folder.path("index"), "--queries", missing)
            expectOneLineError(result, status: 1, prefix: "tra: ", missing, "no such file")
        }
    }

    @Test func badJSONLineNamesFileAndLine() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let path = try folder.write("set.jsonl", Self.goodSet + "\n" + #"{"qid":"q2","query":"x","relevant":["a"]"#)
        let result = try TraProcess.run("eval", "--index", folder.path("index"), "--queries", path)
        expectOneLineError(result, status: 1, prefix: "tra: \(path):3: invalid JSON at column 41")
    }

    @Test func missingFieldNamesFileAndLine() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let path = try folder.write("set.jsonl", Self.goodSet + #"{"qid":"q2","query":"sông"}"# + "\n")
        let result = try TraProcess.run("eval", "--index", folder.path("index"), "--queries", path)
        expectOneLineError(result, status: 1, prefix: "tra: \(path):2: missing required field \"relevant\"")
    }

    @Test func missingIndex() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let queries = try folder.write("queries.txt", "phở bò\n")
        let set = try folder.write("set.jsonl", Self.goodSet)
        let index = folder.path("no-index")
        let bench = try TraProcess.run("bench", "--index", index, "--queries", queries)
        expectOneLineError(bench, status: 1, prefix: "tra: no index at \(index)")
        let eval = try TraProcess.run("eval", "--index", index, "--queries", set)
        expectOneLineError(eval, status: 1, prefix: "tra: no index at \(index)")
    }

    @Test func emptyQueryFile() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let path = try folder.write("blank.txt", "\n  \n\r\n")
        let result = try TraProcess.run("bench", "--index", folder.path("index"), "--queries", path)
        expectOneLineError(result, status: 1, prefix: "tra: \(path): no queries")
    }

    @Test func badOptions() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let queries = try folder.write("queries.txt", "phở bò\n")
        for (arguments, message) in [
            (["bench", "--runs", "0"], "--runs must be at least 1"),
            (["bench", "--limit", "0"], "--limit must be at least 1"),
            (["eval", "--limit=-3"], "--limit must be at least 1"),
        ] {
            let result = try TraProcess.run(arguments + ["--queries", queries])
            expectOneLineError(result, status: 1, prefix: "tra: ", message)
        }
        let missingOption = try TraProcess.run("bench")
        expectOneLineError(missingOption, status: 1, prefix: "tra: ", "--queries")
    }
}

/// `tra bench` and `tra eval` on a tiny index whose answers are known.
@Suite("tra bench and tra eval on a tiny index (the built executable)")
struct BenchEvalSearchTests {
    /// Five questions on `threeDocuments`, with the rank of the first relevant hit each gets:
    /// q1 1 (only "pho" has phở bò), q2 2 (both Hà Nội documents match; "hanoi" has it in its title
    /// too), q3 1, q4 none (đà lạt is nowhere), q5 1 ("nowhere" is not in the index).
    /// MRR@10 = (1 + 1/2 + 1 + 0 + 1) / 5 = 0.7; Recall@10 = (1 + 1 + 1 + 0 + 1/2) / 5 = 0.7.
    static let set = """
        {"qid":"q1","query":"phở bò","relevant":["pho"]}
        {"qid":"q2","query":"Hà Nội","relevant":["song-hong"]}
        {"qid":"q3","query":"món ăn buổi sáng","relevant":["pho"]}
        {"qid":"q4","query":"đà lạt","relevant":["hanoi"]}
        {"qid":"q5","query":"sông hồng","relevant":["nowhere","song-hong"]}

        """

    /// Sông Hồng gets a body that names Hà Nội, so that q2 has two hits.
    static let documents = threeDocuments.replacingOccurrences(
        of: "Sông Hồng chảy qua nhiều tỉnh miền Bắc.", with: "Sông Hồng chảy qua Hà Nội và nhiều tỉnh miền Bắc.")

    @Test func evalJSONAndDetails() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let index = folder.path("index")
        try indexSucceeds(index, [try folder.write("docs.jsonl", Self.documents)], documents: 3)
        let set = try folder.write("set.jsonl", Self.set)
        let details = folder.path("details.tsv")

        let result = try TraProcess.run("eval", "--index", index, "--queries", set, "--json", "--details", details)
        #expect(result.status == 0, "\(result)")
        expectBytes(
            result.stdout,
            #"{"queries":5,"mrr@10":0.7000,"recall@10":0.7000,"recall@100":0.7000,"unanswered":1,"#
                + #""unknown_relevant":1,"limit":100,"strip_diacritics":false}"# + "\n", "stdout")
        #expect(result.stderr.hasPrefix("tra: warning: 1 relevant id is not in \(index) (1 query; first: nowhere)"))
        expectBytes(
            try String(contentsOfFile: details, encoding: .utf8),
            """
            qid\tquery\trank\tfirst_hit\trelevant
            q1\tphở bò\t1\tpho\tpho
            q2\tHà Nội\t2\thanoi\tsong-hong
            q3\tmón ăn buổi sáng\t1\tpho\tpho
            q4\tđà lạt\t\t\thanoi
            q5\tsông hồng\t1\tsong-hong\tnowhere song-hong

            """, "details")

        // Without diacritics the same documents come first: the folded keys match every accented form.
        let stripped = try TraProcess.run(
            "eval", "--index", index, "--queries", set, "--strip-diacritics", "--details", details)
        #expect(stripped.status == 0, "\(stripped)")
        #expect(stripped.stdout.contains("MRR@10      0.7000\n"), "\(stripped)")
        #expect(stripped.stdout.contains("diacritics stripped"), "\(stripped)")
        let lines = try String(contentsOfFile: details, encoding: .utf8).split(separator: "\n")
        #expect(
            lines.map { $0.split(separator: "\t", omittingEmptySubsequences: false)[1] } == [
                "query", "pho bo", "Ha Noi", "mon an buoi sang", "da lat", "song hong",
            ])
    }

    @Test func benchJSONKeysAndLatencies() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let index = folder.path("index")
        try indexSucceeds(index, [try folder.write("docs.jsonl", Self.documents)], documents: 3)
        let queries = try folder.write("queries.txt", "hà nội\n\nphở\nsong hong\nđà lạt\n")
        let latencies = folder.path("latencies.tsv")

        let result = try TraProcess.run(
            "bench", "--index", index, "--queries", queries, "--runs", "2", "--json", "--latencies", latencies)
        #expect(result.status == 0, "\(result)")
        expectBytes(result.stderr, "", "stderr")
        let object = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        #expect(Set(object.keys) == ["queries", "runs", "p50_us", "p95_us", "p99_us", "mean_us", "qps"])
        let order = ["queries", "runs", "p50_us", "p95_us", "p99_us", "mean_us", "qps"].compactMap {
            result.stdout.range(of: "\"\($0)\":")?.lowerBound
        }
        #expect(order.count == 7 && order == order.sorted(), "keys in the contract's order: \(result.stdout)")
        #expect(object["queries"] as? Int == 4)
        #expect(object["runs"] as? Int == 2)
        let p50 = try #require(object["p50_us"] as? Double)
        let p99 = try #require(object["p99_us"] as? Double)
        let mean = try #require(object["mean_us"] as? Double)
        let qps = try #require(object["qps"] as? Double)
        #expect(p50 > 0 && p50 <= p99, "\(result.stdout)")
        #expect(abs(qps - 1e6 / mean) <= 0.1 + qps * 1e-3, "\(result.stdout)")

        let rows = try String(contentsOfFile: latencies, encoding: .utf8).split(separator: "\n")
        #expect(rows.first == "line\trun\tmicroseconds\tmatches")
        #expect(rows.count == 1 + 4 * 2)
        // Blank line 2 is skipped; "song hong" finds Sông Hồng without its marks; đà lạt finds nothing.
        #expect(rows.dropFirst().map { $0.split(separator: "\t")[0] } == ["1", "3", "4", "5", "1", "3", "4", "5"])
        #expect(rows.dropFirst(5).map { $0.split(separator: "\t")[3] } == ["2", "1", "1", "0"])

        let text = try TraProcess.run("bench", "--index", index, "--queries", queries, "--runs", "1", "--phrase")
        #expect(text.status == 0, "\(text)")
        #expect(text.stdout.hasPrefix("4 queries (as phrases) × 1 run, top 10, \(index) (3 documents)\n"), "\(text)")
        #expect(text.stdout.contains("\nlatency  p50 "), "\(text)")
        #expect(text.stdout.contains("matched  nothing for 1 of the queries"), "\(text)")
    }

    /// `--phases`: the mean of each phase, by name in their order, within the mean latency (each
    /// call's phases are timed inside it); as a table without --json.
    @Test func benchPhases() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let index = folder.path("index")
        try indexSucceeds(index, [try folder.write("docs.jsonl", Self.documents)], documents: 3)
        let queries = try folder.write("queries.txt", "hà nội\nphở bò buổi sáng\nsong hong\n")
        let names = ["planning", "restoration", "expansion", "setup", "retrieval", "proximity", "explanation", "hits"]

        let result = try TraProcess.run(
            "bench", "--index", index, "--queries", queries, "--runs", "3", "--phases", "--json")
        #expect(result.status == 0, "\(result)")
        let object = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        let phases = try #require(object["phases_us"] as? [String: Double], "\(result.stdout)")
        #expect(Set(phases.keys) == Set(names))
        let order = names.compactMap { result.stdout.range(of: "\"\($0)\":")?.lowerBound }
        #expect(order.count == names.count && order == order.sorted(), "\(result.stdout)")
        let mean = try #require(object["mean_us"] as? Double)
        #expect(phases.values.allSatisfy { $0 >= 0 } && phases.values.reduce(0, +) <= mean + 1, "\(result.stdout)")
        #expect(phases["retrieval"]! > 0, "\(result.stdout)")

        let text = try TraProcess.run("bench", "--index", index, "--queries", queries, "--runs", "1", "--phases")
        #expect(text.status == 0, "\(text)")
        let lines = text.stdout.split(separator: "\n")
        let header = try #require(lines.firstIndex(of: "phases   mean µs per search"), "\(text)")
        #expect(lines[(header + 1)...].map { $0.split(separator: " ").first.map(String.init) } == names.map { $0 })
        // Without --phases, neither.
        let plain = try TraProcess.run("bench", "--index", index, "--queries", queries, "--runs", "1", "--json")
        #expect(!plain.stdout.contains("phases"), "\(plain)")
    }
}
