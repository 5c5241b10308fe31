import Foundation
import Testing
import TraTestSupport

/// Queries built to hurt: ten thousand terms, deep quoting, unbalanced quotes, control characters,
/// invalid UTF-8 in the argument, prefixes matching much of the dictionary, only very common
/// words, enormous words. Each must give a result (exit 0) or a one-line error (exit 1), in bounded
/// time, never a crash.
///
/// The index is the XQuAD part of the bundled corpus (240 articles), small enough to build in a
/// debug test. The time bound here is loose (debug build, a busy machine);
/// `scripts/reliability/hostile-queries.py` runs the same kinds of query against any index (the
/// 87 MB Wikipedia sample, a release build) and prints each one's time and peak memory.
@Suite("Hostile queries (the built executable)")
struct HostileQueryTests {
    /// The words of the indexed bodies, in order.
    static func corpusWords() throws -> [String] {
        let (_, documents) = try corpusDocuments(240)
        return documents.flatMap { ($0.fields["body"] ?? "").split(separator: " ").map(String.init) }
    }

    /// Each case: a name and the query argument, as bytes (so that it can be invalid UTF-8).
    static func cases() throws -> [(name: String, query: [UInt8])] {
        var random = SeededRandom(seed: 10_000)
        let words = try corpusWords()
        let many = (0..<10_000).map { _ in words[random.next(below: words.count)] }
        func text(_ string: String) -> [UInt8] { Array(string.utf8) }
        return [
            ("10,000 words", text(many.joined(separator: " "))),
            ("10,000 words in one phrase", text("\"" + many.joined(separator: " ") + "\"")),
            ("3,000 required words", text(many.prefix(3_000).map { "+" + $0 }.joined(separator: " "))),
            ("3,000 excluded words and one", text(many.prefix(3_000).map { "-" + $0 }.joined(separator: " ") + " nam")),
            ("2,000 prefixes", text(many.prefix(2_000).map { $0 + "*" }.joined(separator: " "))),
            ("a*", text("a*")), ("n*", text("n*")), ("t* c* đ*", text("t* c* đ*")),
            ("5,000 quotes", text(String(repeating: "\"", count: 5_000) + "việt")),
            ("3,000 unclosed quotes", text(Array(repeating: "\"hà nội", count: 3_000).joined(separator: " "))),
            ("an unclosed quote", text("\"việt nam")),
            ("5,000 field prefixes", text(String(repeating: "title:", count: 5_000) + "nam")),
            ("signs and stars", text(String(repeating: "+-*\"", count: 5_000))),
            ("control characters", text("việt\u{1}\u{7}\u{8}\u{1B}[31m\u{7F}\u{85}\u{9B}nam\t\r\nhà")),
            ("only control characters", text("\u{1}\u{2}\u{1B}\u{7F}")),
            ("invalid UTF-8", [0x76, 0x69, 0xFF, 0xFE, 0x74, 0x20, 0x6E, 0x61, 0x6D]),
            ("a lone lead byte", [0xC3]),
            ("an encoded surrogate", [0xED, 0xA0, 0x80, 0x20, 0x68, 0xC3, 0xA0]),
            ("overlong encodings", [0xC0, 0xAF, 0xE0, 0x80, 0xAF, 0xF8, 0x88, 0x80, 0x80, 0x80]),
            ("only very common words", text("và là của các có được những một trong cho")),
            ("a 100,000-letter word", text(String(repeating: "x", count: 100_000))),
            ("30,000 Vietnamese letters", text(String(repeating: "ưở", count: 15_000))),
            ("20,000 combining marks", text("a" + String(repeating: "\u{301}\u{323}", count: 10_000))),
            ("30,000 zero-width spaces", text(String(repeating: "\u{200B}", count: 30_000))),
            ("a 100,000-digit number", text(String(repeating: "9", count: 100_000))),
        ]
    }

    @Test("each hostile query gives a result or a one-line error, quickly, without crashing")
    func hostileQueries() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let index = folder.path("index")
        try indexSucceeds(index, [TestData.corpus.appendingPathComponent("xquad-vi-docs.jsonl").path], documents: 240)
        for (name, query) in try Self.cases() {
            let run: BoundedRun
            if let string = String(bytes: query, encoding: .utf8) {
                run = try runBounded(
                    ["search", "--index", index, "--limit", "5", "--", string], timeout: 120, scratch: folder.url)
            } else {
                // Bytes that are not UTF-8 cannot go through Process's String arguments: printf
                // makes them.
                let escaped = query.map { String(format: "\\%03o", $0) }.joined()
                let script = #"exec "$0" search --index "$1" --limit 5 -- "$(printf "$2")""#
                run = try runBounded(
                    ["-c", script, try TraProcess.executable.get().path, index, escaped], timeout: 120,
                    scratch: folder.url, executable: URL(fileURLWithPath: "/bin/sh"))
            }
            let result = try #require(run.result, "\(name): no answer in \(run.seconds) s")
            #expect(result.exitedNormally, "\(name): \(result.description.prefix(1_000))")
            #expect(run.seconds < 60, "\(name): \(run.seconds) s")
            let errorLines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            switch result.status {
            case 0:
                #expect(result.stdout.contains("matched"), "\(name): \(result.description.prefix(1_000))")
                // Notes about what the parser changed, at most 16 listed and a few summaries.
                #expect(errorLines.allSatisfy { $0.hasPrefix("tra: note: ") }, "\(name): \(result.stderr.prefix(500))")
                #expect(errorLines.count <= 20, "\(name): \(errorLines.count) notes")
            case 1:
                expectOneLineError(result, status: 1, prefix: "tra: ")
            default:
                Issue.record("\(name): \(result.description.prefix(1_000))")
            }
        }
    }

    @Test("an argument with more than 30 combining marks in a row is refused before parsing")
    func longRunsOfCombiningMarks() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let index = folder.path("index")
        // Checked before the index is opened: no index is needed for the error.
        let refused = try TraProcess.run(
            "search", "--index", index, "--", "việt" + String(repeating: "\u{301}\u{323}", count: 20_000))
        expectOneLineError(
            refused, status: 1, prefix: "tra: argument 5: more than 30 combining marks in a row at byte 66",
            "UAX #15")
        // 30 in a row are accepted (the index is missing, a different error).
        let accepted = try TraProcess.run(
            "search", "--index", index, "--", "a" + String(repeating: "\u{301}", count: 30))
        #expect(!accepted.stderr.contains("combining marks"), "\(accepted)")
    }
}
