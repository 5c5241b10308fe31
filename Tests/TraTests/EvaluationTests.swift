import Foundation
import Testing
import Tra

@Suite("Evaluation: latency arithmetic")
struct LatencyStatisticsTests {
    /// The nearest-rank example worked by hand: 15, 20, 35, 40, 50.
    @Test func nearestRankPercentilesOfFiveValues() {
        let sorted: [Double] = [15, 20, 35, 40, 50]
        #expect(LatencyStatistics.percentile(sorted, 0) == 15)  // rank 1
        #expect(LatencyStatistics.percentile(sorted, 5) == 15)  // ⌈0.25⌉ = 1
        #expect(LatencyStatistics.percentile(sorted, 30) == 20)  // ⌈1.5⌉ = 2
        #expect(LatencyStatistics.percentile(sorted, 40) == 20)  // ⌈2.0⌉ = 2
        #expect(LatencyStatistics.percentile(sorted, 50) == 35)  // ⌈2.5⌉ = 3
        #expect(LatencyStatistics.percentile(sorted, 80) == 40)  // ⌈4.0⌉ = 4
        #expect(LatencyStatistics.percentile(sorted, 81) == 50)  // ⌈4.05⌉ = 5
        #expect(LatencyStatistics.percentile(sorted, 100) == 50)
        #expect(LatencyStatistics.percentile([], 50) == nil)
    }

    /// 1...20: p50 is the 10th value, p95 the 19th (95·20/100 = 19 exactly), p99 the 20th (⌈19.8⌉).
    @Test func nearestRankPercentilesOfTwentyValues() {
        let sorted = (1...20).map(Double.init)
        #expect(LatencyStatistics.percentile(sorted, 50) == 10)
        #expect(LatencyStatistics.percentile(sorted, 95) == 19)
        #expect(LatencyStatistics.percentile(sorted, 99) == 20)
        // 1...1000: p99.9 is rank 999 exactly, p99 rank 990.
        let thousand = (1...1000).map(Double.init)
        #expect(LatencyStatistics.percentile(thousand, 99.9) == 999)
        #expect(LatencyStatistics.percentile(thousand, 99) == 990)
    }

    @Test func meanAndQueriesPerSecond() {
        #expect(LatencyStatistics.mean([]) == nil)
        #expect(LatencyStatistics.mean([1, 2, 3, 6]) == 3)
        #expect(LatencyStatistics.queriesPerSecond(meanMicroseconds: 250) == 4000)
        #expect(LatencyStatistics.queriesPerSecond(meanMicroseconds: 0) == 0)
    }

    @Test func summaryOfUnsortedLatencies() {
        let summary = LatencySummary(microseconds: [50, 15, 40, 20, 35])
        #expect(summary.count == 5)
        #expect(summary.p50 == 35)
        #expect(summary.p95 == 50)  // ⌈4.75⌉ = 5
        #expect(summary.p99 == 50)
        #expect(summary.max == 50)
        #expect(summary.mean == 32)  // 160 / 5
        #expect(summary.queriesPerSecond == 31_250)  // 10^6 / 32
        #expect(LatencySummary(microseconds: []) == LatencySummary(microseconds: []))
        #expect(LatencySummary(microseconds: []).p99 == 0)
    }

    @Test func durationsInMicroseconds() {
        #expect(QueryBenchmark.microseconds(.microseconds(1500)) == 1500)
        #expect(QueryBenchmark.microseconds(.nanoseconds(2500)) == 2.5)
        #expect(QueryBenchmark.microseconds(.seconds(2)) == 2_000_000)
    }
}

@Suite("Evaluation: retrieval metrics")
struct RetrievalMetricsTests {
    /// Five queries worked by hand:
    ///
    /// | query | relevant | first relevant rank | RR@10 | R@10 | R@100 |
    /// |---|---|---|---|---|---|
    /// | q1 | a | 1 | 1 | 1 | 1 |
    /// | q2 | d | 3 | 1/3 | 1 | 1 |
    /// | q3 | e | 11 | 0 | 0 | 1 |
    /// | q4 | f, g | 1 (g) | 1 | 1/2 | 1/2 |
    /// | q5 | h | none | 0 | 0 | 0 |
    ///
    /// MRR@10 = (1 + 1/3 + 0 + 1 + 0) / 5 = 7/15; Recall@10 = 2.5 / 5 = 0.5; Recall@100 = 3.5 / 5 = 0.7.
    static let outcomes = [
        EvaluationOutcome(qid: "q1", searched: "q1", relevant: ["a"], hits: ["a", "b", "c"]),
        EvaluationOutcome(qid: "q2", searched: "q2", relevant: ["d"], hits: ["x", "y", "d"]),
        EvaluationOutcome(
            qid: "q3", searched: "q3", relevant: ["e"], hits: (1...10).map { "n\($0)" } + ["e"]),
        EvaluationOutcome(qid: "q4", searched: "q4", relevant: ["f", "g"], hits: ["g", "z"]),
        EvaluationOutcome(qid: "q5", searched: "q5", relevant: ["h"], hits: []),
    ]

    @Test func ranks() {
        #expect(Self.outcomes.map(\.rank) == [1, 3, 11, 1, nil])
        #expect(RetrievalMetrics.reciprocalRank(3, cutoff: 10) == 1.0 / 3)
        #expect(RetrievalMetrics.reciprocalRank(10, cutoff: 10) == 0.1)
        #expect(RetrievalMetrics.reciprocalRank(11, cutoff: 10) == 0)
        #expect(RetrievalMetrics.reciprocalRank(nil, cutoff: 10) == 0)
        // Duplicates in the relevant list count once.
        #expect(RetrievalMetrics.recall(hits: ["a", "b"], relevant: ["a", "a", "c"], k: 10) == 0.5)
        #expect(RetrievalMetrics.recall(hits: ["b", "a"], relevant: ["a"], k: 1) == 0)
    }

    @Test func handComputedAggregate() {
        let metrics = RetrievalMetrics(Self.outcomes)
        #expect(metrics.queries == 5)
        #expect(abs(metrics.mrrAt10 - 7.0 / 15) < 1e-12)
        #expect(abs(metrics.recallAt10 - 0.5) < 1e-12)
        #expect(abs(metrics.recallAt100 - 0.7) < 1e-12)
        #expect(metrics.unanswered == 1)
        #expect(metrics.unknownRelevant == 0)
        #expect(metrics.queriesWithUnknownRelevant == 0)
    }

    @Test func unknownRelevantIdsAreCountedAndStillScored() {
        let metrics = RetrievalMetrics(Self.outcomes, isKnown: { !["f", "h", "zz"].contains($0) })
        #expect(metrics.unknownRelevant == 2)
        #expect(metrics.queriesWithUnknownRelevant == 2)
        #expect(abs(metrics.recallAt100 - 0.7) < 1e-12)
    }

    @Test func emptySet() {
        let metrics = RetrievalMetrics([])
        #expect(metrics.queries == 0)
        #expect(metrics.mrrAt10 == 0)
    }

    @Test func runnerStripsDiacriticsAndAsksForTheLimit() throws {
        let queries = [
            EvaluationQuery(qid: "1", query: "Đường Hồ Chí Minh", relevant: ["hcm"], line: 1),
            EvaluationQuery(qid: "2", query: "Phở bò", relevant: ["pho", "lost"], line: 2),
        ]
        var asked: [String] = []
        let report = try RetrievalEvaluation.run(queries, limit: 100, stripDiacritics: true, unknownIDs: ["lost"]) {
            (text, limit) throws(TraError) in
            asked.append("\(text)|\(limit)")
            return text.hasPrefix("Duong") ? ["x", "hcm"] : ["pho"]
        }
        #expect(asked == ["Duong Ho Chi Minh|100", "Pho bo|100"])
        #expect(report.outcomes.map(\.rank) == [2, 1])
        #expect(report.outcomes.map(\.searched) == ["Duong Ho Chi Minh", "Pho bo"])
        #expect(abs(report.metrics.mrrAt10 - 0.75) < 1e-12)
        #expect(report.metrics.recallAt10 == 0.75)  // (1 + 1/2) / 2
        #expect(report.metrics.unknownRelevant == 1)
        #expect(report.unknownRelevantIDs == ["lost"])

        let accented = try RetrievalEvaluation.run(queries) { (text, _) throws(TraError) in [text] }
        #expect(accented.outcomes.map(\.searched) == ["Đường Hồ Chí Minh", "Phở bò"])
    }

    @Test func benchmarkRunnerWarmsUpThenTimesEveryCall() throws {
        var calls: [String] = []
        let report = try QueryBenchmark.run(["a", "b", "c"], runs: 2) { (query) throws(TraError) in
            calls.append(query)
            return query == "b" ? 0 : 5
        }
        #expect(calls == ["a", "b", "c", "a", "b", "c", "a", "b", "c"])
        #expect(report.queries == 3)
        #expect(report.runs == 2)
        #expect(report.latencies.count == 2)
        #expect(report.latencies.allSatisfy { $0.count == 3 && $0.allSatisfy { $0 >= 0 } })
        #expect(report.summary.count == 6)
        #expect(report.zeroHitQueries == 1)
        #expect(throws: TraError.self) {
            try QueryBenchmark.run(["x"], runs: 1) { (_) throws(TraError) in throw TraError(.user, "boom") }
        }
    }
}

@Suite("Evaluation: diacritics")
struct DiacriticStripperTests {
    /// The 67 lower-case precomposed Vietnamese letters (12 vowels × 6 tones, minus the 6 plain ASCII
    /// vowels, plus đ) and their bases; with upper case, the 134 of the Vietnamese alphabet.
    static let letters: [(String, String)] = [
        ("àáảãạ", "a"), ("ăằắẳẵặ", "a"), ("âầấẩẫậ", "a"), ("èéẻẽẹ", "e"), ("êềếểễệ", "e"), ("ìíỉĩị", "i"),
        ("òóỏõọ", "o"), ("ôồốổỗộ", "o"), ("ơờớởỡợ", "o"), ("ùúủũụ", "u"), ("ưừứửữự", "u"), ("ỳýỷỹỵ", "y"),
        ("đ", "d"),
    ]

    @Test func every134PrecomposedLetterInNFCAndNFD() throws {
        let stripper = try DiacriticStripper()
        var count = 0
        for (group, base) in Self.letters {
            for letter in group {
                #expect(letter.unicodeScalars.count == 1, "\(letter) is precomposed")
                for (form, expected) in [(String(letter), base), (String(letter).uppercased(), base.uppercased())] {
                    count += 1
                    #expect(stripper.strip(form) == expected, "\(form)")
                    let nfd = form.decomposedStringWithCanonicalMapping
                    #expect(stripper.strip(nfd) == expected, "NFD of \(form)")
                }
            }
        }
        #expect(count == 134)
    }

    @Test func sentencesInNFCNFDAndUpperCase() throws {
        let nfc = "Đường Hồ Chí Minh, Thuỷ điện Hoà Bình; NGHĨA ĐỊA Ðức"
        let expected = "Duong Ho Chi Minh, Thuy dien Hoa Binh; NGHIA DIA Duc"
        #expect(try stripDiacritics(nfc) == expected)
        #expect(try stripDiacritics(nfc.decomposedStringWithCanonicalMapping) == expected)
        // "Composite" input: a precomposed letter followed by a combining tone (U+0301 after ê).
        #expect(try stripDiacritics("Vi\u{EA}\u{301}t ti\u{1EBF}ng") == "Viet tieng")
        #expect(try stripDiacritics("TIẾNG VIỆT") == "TIENG VIET")
        #expect(try stripDiacritics("ð Ð đ Đ") == "d D d D")
    }

    @Test func otherTextIsKept() throws {
        #expect(try stripDiacritics("Năm 1945: 3,14% — “ok” 東京 ภาษาไทย") == "Nam 1945: 3,14% — “ok” 東京 ภาษาไทย")
        #expect(try stripDiacritics("Müller, Ñandú, garçon, Pokémon") == "Muller, Nandu, garcon, Pokemon")
        #expect(try stripDiacritics("u\u{308}") == "u")  // any mark of U+0300-U+036F goes
        #expect(try stripDiacritics("") == "")
        #expect(try stripDiacritics("plain ascii?") == "plain ascii?")
    }
}

@Suite("Evaluation: query files")
struct QueryFilesTests {
    @Test func readsAnEvaluationSet() throws {
        let folder = try IngestTemporaryFolder()
        let path = try folder.write(
            "set.jsonl",
            #"{"qid":"a1","query":"Hà Nội ở đâu?","relevant":["hn"],"split":"dev","answers":["x"]}"# + "\r\n\n"
                + #"  {"relevant":["d1","d2"],"query":"Phở","qid":17}  "# + "\n"
                + #"{"qid":"c\u0033","query":"\"q\" \\ \u1EC7","relevant":["x"],"n":[1,-2.5e3,{"k":null},true]}"#)
        let queries = try QueryFiles.readEvaluationSet(path: path)
        #expect(
            queries == [
                EvaluationQuery(qid: "a1", query: "Hà Nội ở đâu?", relevant: ["hn"], line: 1),
                EvaluationQuery(qid: "17", query: "Phở", relevant: ["d1", "d2"], line: 3),
                EvaluationQuery(qid: "c3", query: "\"q\" \\ \u{1EC7}", relevant: ["x"], line: 4),
            ])
    }

    @Test func byteOrderMarkIsIgnored() throws {
        let folder = try IngestTemporaryFolder()
        let path = try folder.write(
            "bom.jsonl", [0xEF, 0xBB, 0xBF] + Array(#"{"qid":"a","query":"b","relevant":["c"]}"#.utf8))
        #expect(try QueryFiles.readEvaluationSet(path: path).map(\.qid) == ["a"])
    }

    /// Each bad file, and the message its error must have after "PATH".
    static let badSets: [(String, [UInt8], String)] = [
        (
            "bad JSON on line 3", Array((good + "\n\n" + #"{"qid":"b","query":"x","relevant":["d"]"# + "\n").utf8),
            ":3: invalid JSON at column 40: unexpected end of line, expected ',' or '}'"
        ),
        ("not an object", Array((good + "\n[1,2]\n").utf8), ":2: expected a JSON object"),
        ("missing qid", Array(#"{"query":"x","relevant":["d"]}"#.utf8), #":1: missing required field "qid""#),
        (
            "missing query", Array((good + "\n" + #"{"qid":"a","relevant":["d"]}"#).utf8),
            #":2: missing required field "query""#
        ),
        ("missing relevant", Array(#"{"qid":"a","query":"x"}"#.utf8), #":1: missing required field "relevant""#),
        (
            "relevant not an array", Array(#"{"qid":"a","query":"x","relevant":"d"}"#.utf8),
            #":1: field "relevant" is not an array of ids (found a string)"#
        ),
        (
            "relevant with a number", Array(#"{"qid":"a","query":"x","relevant":["d",4]}"#.utf8),
            #":1: field "relevant" must hold strings (found a number)"#
        ),
        ("relevant empty", Array(#"{"qid":"a","query":"x","relevant":[]}"#.utf8), #":1: field "relevant" is empty"#),
        ("query empty", Array(#"{"qid":"a","query":"  ","relevant":["d"]}"#.utf8), #":1: field "query" is empty"#),
        (
            "query not a string", Array(#"{"qid":"a","query":null,"relevant":["d"]}"#.utf8),
            #":1: field "query" is not a string (found null)"#
        ),
        (
            "qid an array", Array(#"{"qid":[],"query":"x","relevant":["d"]}"#.utf8),
            #":1: field "qid" is not a string (found an array)"#
        ),
        (
            "invalid UTF-8",
            Array(#"{"qid":"a","query":"caf"#.utf8) + [0xC3, 0x28] + Array(#"","relevant":["d"]}"#.utf8),
            ":1: invalid UTF-8 at column 24"
        ),
        ("trailing data", Array((good + " x").utf8), ":1: invalid JSON at column 42: unexpected data after the value"),
        ("bad escape", Array(#"{"qid":"a\q","query":"x","relevant":["d"]}"#.utf8), ":1: invalid JSON at column 10"),
        (
            "lone surrogate", Array(#"{"qid":"\ud800","query":"x","relevant":["d"]}"#.utf8),
            ":1: invalid JSON at column 15: lone surrogate"
        ),
        ("blank lines only", Array(" \n\t\r\n".utf8), ": no queries"),
        ("empty", [], ": no queries"),
    ]
    static let good = #"{"qid":"a","query":"x","relevant":["d"]}"#

    @Test func badEvaluationSetsNameFileAndLine() throws {
        let folder = try IngestTemporaryFolder()
        for (name, bytes, expected) in Self.badSets {
            let path = try folder.write("bad.jsonl", bytes)
            do {
                _ = try QueryFiles.readEvaluationSet(path: path)
                Issue.record("\(name): no error")
            } catch {
                #expect(error.kind == .user, "\(name)")
                #expect(error.exitStatus == 1, "\(name)")
                #expect(error.message.hasPrefix(path + expected.prefix(while: { $0 != " " })), "\(name): \(error)")
                #expect(error.message.contains(expected), "\(name): \(error)")
                #expect(!error.message.contains("\n"), "\(name): one line")
            }
        }
    }

    @Test func deepNestingIsAnErrorNotACrash() throws {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let line = Array((#"{"qid":"a","query":"x","relevant":["d"],"deep":"# + deep + "}").utf8)
        #expect(throws: IngestError.self) { try QueryFiles.parseEvaluationLine(line, file: "f", line: 1) }
    }

    @Test func missingFileAndFolder() throws {
        let folder = try IngestTemporaryFolder()
        let missing = folder.path("nowhere.jsonl")
        #expect(userError { _ = try QueryFiles.readEvaluationSet(path: missing) } == "\(missing): no such file")
        #expect(userError { _ = try QueryFiles.readQueryList(path: missing) } == "\(missing): no such file")
        let path = folder.path("")
        #expect(
            userError { _ = try QueryFiles.readQueryList(path: path) }?.hasSuffix(": is a folder, not a file") == true)
    }

    @Test func queryListKeepsLineNumbersAndSkipsBlankLines() throws {
        let folder = try IngestTemporaryFolder()
        let path = try folder.write("q.txt", "hà nội\r\n\n  \nphở bò\n\"sông hồng\"")
        #expect(
            try QueryFiles.readQueryList(path: path) == [
                BenchmarkQuery(text: "hà nội", line: 1), BenchmarkQuery(text: "phở bò", line: 4),
                BenchmarkQuery(text: "\"sông hồng\"", line: 5),
            ])
        let bad = try folder.write("bad.txt", [0x61, 0x0A, 0x62, 0xFF, 0x0A])
        let message = userError { _ = try QueryFiles.readQueryList(path: bad) }
        #expect(message?.hasPrefix("\(bad):2: invalid UTF-8 at column 2: ") == true, "\(message ?? "no error")")
    }
}

/// The message of the user error `body` throws; nil when it throws none (or another kind).
private func userError(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch let error as TraError {
        return error.kind == .user && error.exitStatus == 1 ? error.message : nil
    } catch {
        return nil
    }
}
