import Foundation
import Testing
import TraIndex
import TraTestSupport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `tra index --commit-every N` killed with SIGKILL at random moments: the index must always hold
/// exactly the documents of its last completed commit.
///
/// Each trial rebuilds the same index (without `--append`) from the first documents of the bundled
/// corpus, committing every `N` documents, and is killed after a random delay (seeded) between
/// zero and a little more than a whole run. Then:
///
/// - `tra verify` passes;
/// - the live documents are exactly the first `D` documents of the input, for a `D` at a commit
///   boundary (a multiple of `N`, or all of them), each with the title and body of the input
///   (none half-written, none repeated, none missing);
/// - the commit is not older than the last one the test saw before the kill: just before sending
///   the signal it reads the manifest's generation; afterwards the generation must be at least
///   that, and equal only if the documents are the same. Rebuilding starts from the generation
///   of the index it replaces, so generations only grow across trials.
///
/// Why this identifies "the last completed commit": a commit is complete when its manifest has
/// been renamed over the old one (IndexWriter.writeCommit), and the manifest names every live
/// segment; commit `k` of a run holds the first `k × N` documents because the pipeline adds
/// documents in input order. Merges commit again with the same documents.
///
/// CI runs a few tens of kills on 60 documents; `scripts/reliability/crash-loop.sh` runs as many as
/// asked (`TRA_CRASH_TRIALS`, `TRA_CRASH_DOCUMENTS`, `TRA_CRASH_COMMIT_EVERY`, `TRA_CRASH_SEED`).
@Suite("Crash safety: tra index killed at random moments")
struct CrashSafetyTests {
    struct Observed {
        var generation: Int
        var documents: Int
    }

    static func observe(_ index: String) -> Observed? {
        guard let manifest = try? Manifest(path: index + "/" + Manifest.fileName) else { return nil }
        return Observed(
            generation: manifest.generation, documents: manifest.segments.reduce(0) { $0 + $1.documentCount })
    }

    @Test("SIGKILL at random moments leaves exactly the last commit")
    func killedIndexingKeepsTheLastCommit() throws {
        let trials = ReliabilitySettings.integer("TRA_CRASH_TRIALS", default: 24)
        let count = ReliabilitySettings.integer("TRA_CRASH_DOCUMENTS", default: 60)
        let every = ReliabilitySettings.integer("TRA_CRASH_COMMIT_EVERY", default: 3)
        var random = SeededRandom(seed: ReliabilitySettings.seed("TRA_CRASH_SEED", default: 2026))
        let folder = try TempFolder()
        defer { folder.remove() }
        let (lines, documents) = try corpusDocuments(count)
        let input = try folder.write("input.jsonl", bytes: Array(lines.map { $0 + [0x0A] }.joined()))
        let index = folder.path("index")
        // A small RAM budget makes the writer flush segments between commits, so kills also land
        // in flushes and merges.
        let arguments = ["index", "--index", index, "--commit-every", String(every), "--ram-budget", "1", input]

        let start = Date()
        let clean = try TraChild(arguments, scratch: folder.url)
        try #require(clean.wait(seconds: 600), "a whole run did not finish in 10 minutes")
        let whole = Date().timeIntervalSince(start)
        let cleanResult = clean.result()
        try #require(cleanResult.status == 0 && cleanResult.exitedNormally, "\(cleanResult)")
        try #require(check(index, documents, every: every, seen: nil) == nil)

        var survived = 0
        var killed = 0
        var failures: [String] = []
        for trial in 0..<trials {
            let delay = whole * Double(random.next(below: 1_100)) / 1_000
            let child = try TraChild(arguments, scratch: folder.url)
            let deadline = Date().addingTimeInterval(delay)
            while child.isRunning, Date() < deadline { usleep(1_000) }
            let seen = Self.observe(index)
            child.kill()
            try #require(child.wait(seconds: 60), "the killed child did not go away")
            let result = child.result()
            if result.exitedNormally {
                #expect(result.status == 0, "trial \(trial) ran to the end but failed: \(result)")
            } else {
                killed += 1
            }
            if let problem = check(index, documents, every: every, seen: seen) {
                failures.append("trial \(trial) (killed after \(String(format: "%.3f", delay)) s): \(problem)")
            } else {
                survived += 1
            }
            if (trial + 1) % 100 == 0, trial + 1 < trials {
                print("crash safety: \(survived)/\(trial + 1) trials survived so far (\(killed) killed mid-run)")
            }
        }
        print(
            "crash safety: \(survived)/\(trials) trials survived (\(killed) killed mid-run, \(count) documents, "
                + "--commit-every \(every), a whole run \(String(format: "%.2f", whole)) s)")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    /// Checks the index after a trial; returns what is wrong, or nil.
    func check(_ index: String, _ documents: [InputDocument], every: Int, seen: Observed?) -> String? {
        guard let now = Self.observe(index) else { return "no readable manifest" }
        guard let verify = try? TraProcess.run("verify", "--index", index) else { return "could not run verify" }
        guard verify.status == 0, verify.exitedNormally else { return "verify failed: \(verify)" }
        if let seen {
            if now.generation < seen.generation {
                return "generation \(now.generation) is older than \(seen.generation), seen before the kill"
            }
            if now.generation == seen.generation, now.documents != seen.documents {
                return "generation \(now.generation) changed from \(seen.documents) to \(now.documents) documents"
            }
        }
        let committed: [String: [String: String]]
        do { committed = try committedDocuments(index) } catch { return "cannot read the documents: \(error)" }
        let total = committed.count
        guard total % every == 0 || total == documents.count else {
            return "\(total) documents is not a commit boundary (every \(every))"
        }
        guard total <= documents.count else { return "\(total) documents, more than the input's" }
        for document in documents.prefix(total) {
            guard let stored = committed[document.id] else {
                return "\(document.id) (among the first \(total)) is missing"
            }
            for (name, value) in document.fields where !sameScalars(stored[name], value) {
                return "\(document.id): \(name) differs from the input: \(stored[name]?.debugDescription ?? "nil")"
            }
            if stored.count != document.fields.count { return "\(document.id) has fields \(stored.keys.sorted())" }
        }
        return nil
    }

    /// Exact equality (String's `==` is canonical equivalence).
    func sameScalars(_ a: String?, _ b: String) -> Bool {
        a.map { Array($0.unicodeScalars) == Array(b.unicodeScalars) } ?? false
    }
}
