import Foundation
import Testing
import TraTestSupport

/// Damaged index files seen through the command line: for every file of a small index, random
/// byte flips and random truncations (seeded). `tra verify` must exit 2 naming the file; `tra
/// search` must exit 2 with a one-line message or print exactly what it prints on the clean index,
/// and never crash or hang.
///
/// No exception: from format version 3 on (IndexFormat.md), readers check the section table,
/// META, TERMS, NORMS and IDS when they open a segment, and every block of POSTINGS, POSITIONS,
/// STORED and PAIRS against its own checksum the first time they decode it, so damage a search
/// reads makes it fail, and damage it does not read leaves its results as they were.
///
/// The library-level suites (`CorruptionTests` in TraIndexTests: every file, flipped bytes and
/// truncations through `IndexVerifier`; `LZ4BlockCorruptionTests`) cover verification in depth;
/// this suite adds the searches and the executable's exit codes and messages.
/// `scripts/reliability/corrupt-loop.sh` runs it longer (`TRA_CORRUPT_TRIALS` per file and kind,
/// `TRA_CORRUPT_SEED`).
@Suite("Corrupt index files: tra verify and tra search (the built executable)")
struct CorruptIndexCommandTests {
    /// Queries that read postings, positions (the phrase), norms and stored fields (snippets).
    static let queries = [
        ["nước", "pháp", "--limit", "1000"], ["\"thế kỷ\"", "--limit", "1000"], ["+luther", "đức"],
    ]

    /// Two segments (40 documents, then 20 more appended) and a deletes file.
    func makeIndex(in folder: TempFolder) throws -> String {
        let (lines, _) = try corpusDocuments(60)
        let first = try folder.write("first.jsonl", bytes: Array(lines.prefix(40).map { $0 + [0x0A] }.joined()))
        let second = try folder.write("second.jsonl", bytes: Array(lines.suffix(20).map { $0 + [0x0A] }.joined()))
        let index = folder.path("index")
        try indexSucceeds(index, [first], documents: 40)
        try indexSucceeds(index, [second], extra: ["--append"], documents: 20)
        let delete = try TraProcess.run("delete", "--index", index, "xquad-vi-d00003")
        try #require(delete.status == 0, "\(delete)")
        return index
    }

    /// `tra search --json` output without the time it took, to compare runs.
    static func comparable(_ result: TraResult) -> String {
        result.stdout.replacing(/"took_us":\d+,?/, with: "")
    }

    @Test("every file, flipped and truncated: verify exits 2 naming it; search fails cleanly or is right")
    func flippedAndTruncatedFiles() throws {
        let trials = ReliabilitySettings.integer("TRA_CORRUPT_TRIALS", default: 4)
        var random = SeededRandom(seed: ReliabilitySettings.seed("TRA_CORRUPT_SEED", default: 6))
        let folder = try TempFolder()
        defer { folder.remove() }
        let index = try makeIndex(in: folder)
        let names = try FileManager.default.contentsOfDirectory(atPath: index).filter { $0 != "lock" }.sorted()
        try #require(names.contains { $0.hasSuffix(".del") } && names.filter { $0.hasSuffix(".tra") }.count == 2)
        var expected: [String] = []
        for query in Self.queries {
            let clean = try TraProcess.run(["search", "--index", index, "--json"] + query)
            try #require(clean.status == 0, "\(clean)")
            expected.append(Self.comparable(clean))
        }

        var counts = Counts()
        for name in names {
            let path = index + "/" + name
            let original = try Data(contentsOf: URL(fileURLWithPath: path))
            for trial in 0..<(2 * trials) {
                var damaged = original
                let what: String
                if trial % 2 == 0 {
                    var offsets: [Int] = []
                    for _ in 0...random.next(below: 3) {
                        let offset = random.next(below: damaged.count)
                        damaged[offset] ^= UInt8(1 + random.next(below: 255))
                        offsets.append(offset)
                    }
                    what = "\(name) with bytes flipped at \(offsets)"
                } else {
                    let length = random.next(below: original.count)
                    damaged = original.prefix(length)
                    what = "\(name) cut to \(length) of \(original.count) bytes"
                }
                if damaged == original { continue }
                try damaged.write(to: URL(fileURLWithPath: path))
                try check(index, file: name, what: what, expected: expected, scratch: folder.url, counts: &counts)
            }
            try original.write(to: URL(fileURLWithPath: path))
        }
        print(
            "corruption: verify detected \(counts.verifyDetected)/\(counts.trials); search over \(counts.searches) "
                + "runs: \(counts.searchDetected) failed cleanly (exit 2), \(counts.searchSame) gave the clean "
                + "results, \(counts.searchWrong) other")
        #expect(counts.verifyDetected == counts.trials)
        #expect(counts.searchWrong == 0)
        let verify = try TraProcess.run("verify", "--index", index)
        #expect(verify.status == 0, "restored: \(verify)")
    }

    struct Counts {
        var trials = 0
        var verifyDetected = 0
        var searches = 0
        var searchDetected = 0
        var searchSame = 0
        var searchWrong = 0
    }

    func check(
        _ index: String, file: String, what: String, expected: [String], scratch: URL, counts: inout Counts
    ) throws {
        counts.trials += 1
        let verify = try runBounded(["verify", "--index", index], timeout: 60, scratch: scratch)
        if let result = verify.result {
            let oneLine = result.stderr.filter { $0 == "\n" }.count == 1
            if result.status == 2, result.exitedNormally, oneLine, result.stderr.contains(file) {
                counts.verifyDetected += 1
            } else {
                Issue.record("verify, \(what): \(result)")
            }
        } else {
            Issue.record("verify hung on \(what)")
        }
        for (query, clean) in zip(Self.queries, expected) {
            counts.searches += 1
            let search = try runBounded(["search", "--index", index, "--json"] + query, timeout: 60, scratch: scratch)
            guard let result = search.result else {
                counts.searchWrong += 1
                Issue.record("search \(query) hung on \(what)")
                continue
            }
            let oneLine = result.stderr.filter { $0 == "\n" }.count == 1
            if result.status == 2, result.exitedNormally, oneLine, result.stdout.isEmpty {
                counts.searchDetected += 1
            } else if result.status == 0, result.exitedNormally, Self.comparable(result) == clean {
                counts.searchSame += 1
            } else {
                counts.searchWrong += 1
                Issue.record("search \(query), \(what): \(result.description.prefix(2_000))")
            }
        }
    }
}
